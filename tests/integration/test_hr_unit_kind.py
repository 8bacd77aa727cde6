"""The console shows a unit's kind (enhetstype) where HR looks for a unit, and the task list filters by it (issue 12):
the sector's unit table, one task's page, and the bulk selection list."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from domain.models import OrgUnit
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.plan_year import spring_input, task_of
from web.app import create_app

KINDS = {"V1": "sykehjem", "V2": "sykehjem", "V3": "hjemmetjeneste"}  # V4 (Oppvekst) has none


@pytest.fixture
def hr(rt: Runtime) -> Iterator[TestClient]:
    with rt.session() as session:
        spring_input(session, rt)
    client = TestClient(create_app(rt), follow_redirects=False)
    sign_in_as_hr(client, rt)
    yield client


def set_kinds(rt: Runtime, kinds: dict[str, str]) -> None:
    with rt.session() as session:
        for unit_id, kind in kinds.items():
            unit = session.get(OrgUnit, unit_id)
            assert unit is not None
            unit.kind = kind


def cells(html: str, unit: str) -> list[str]:
    """The text of the cells of the table row that names a unit."""
    row = re.search(rf"<tr(?:(?!</tr>).)*?>{re.escape(unit)}<(?:(?!</tr>).)*?</tr>", html, re.S)
    assert row, unit
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row.group(0), re.S)]


def test_the_sector_page_and_the_task_page_show_the_unit_kind(hr: TestClient, rt: Runtime) -> None:
    sector = "/hr/sektor/S1?ar=2027&fase=spring-input"
    assert "Enhetstype" not in hr.get(sector).text  # no kinds imported: no empty column
    set_kinds(rt, KINDS)
    page = hr.get(sector).text
    assert '<th scope="col">Enhet</th><th scope="col">Enhetstype</th>' in page
    assert cells(page, "Enhet 1")[:2] == ["Enhet 1", "sykehjem"]
    assert cells(page, "Enhet 3")[:2] == ["Enhet 3", "hjemmetjeneste"]
    task = hr.get(f"/hr/oppgave/{task_of(rt, 'leder3@testvik.no')}").text
    assert "<dt>Enhetstype</dt><dd>hjemmetjeneste</dd>" in task
    assert "Enhetstype" not in hr.get(f"/hr/oppgave/{task_of(rt, 'leder4@testvik.no')}").text  # a unit without


def test_the_task_list_shows_and_filters_by_unit_kind(hr: TestClient, rt: Runtime) -> None:
    listing = "/hr/oppgaver?ar=2027&fase=spring-input"
    assert 'id="enhetstype"' not in hr.get(listing).text  # nothing to filter by yet
    set_kinds(rt, KINDS)
    everything = hr.get(listing).text
    assert '<option value="hjemmetjeneste">hjemmetjeneste</option><option value="sykehjem">sykehjem</option>' in (
        everything
    )
    assert cells(everything, "Solsiden barnehage")[3:5] == ["Oppvekst", "–"]  # kindless unit, kind column
    homes = hr.get(listing + "&enhetstype=Sykehjem").text  # any case, as the årshjul file writes kinds
    assert '<option value="sykehjem" selected>' in homes
    assert "Enhet 1" in homes and "Enhet 2" in homes and "Enhet 3" not in homes and "Solsiden" not in homes
    assert "2 oppgaver passer filteret." in homes  # the leaders of V1 and V2
    assert '<input type="hidden" name="enhetstype" value="sykehjem">' in homes  # kept into the preview
    assert "0 oppgaver passer filteret" in hr.get(listing + "&enhetstype=skole").text
