"""Occurrences of a repeating phase in the console and the weekly digest: each is a phase like any other."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient

from domain.aarshjul.model import Aarshjul
from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from tasks.cycle.phases import ensure_cycle, open_phase, phases_of
from tasks.notices.digest_rows import unit_assignment_rows
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.e2e.test_recurrence_flows import FOLLOW_UP
from tests.support.accounts import sign_in_as_hr
from tests.support.org import build_small_org
from web.app import create_app

NOVEMBER = datetime(2027, 11, 1, 8, 0, tzinfo=OSLO)


@pytest.fixture
def november(rt: Runtime, clock: ManualClock) -> Runtime:
    data = rt.aarshjul.model_dump(exclude={"written", "weekly_digest"})
    rt.aarshjul = Aarshjul.model_validate(data | {"phases": [FOLLOW_UP]})
    clock.set(NOVEMBER)
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
        ensure_cycle(session, rt, 2027, NOVEMBER)
        first = phases_of(session, 2027)[0]
        open_phase(session, rt, first, 2027, NOVEMBER)
    return rt


@pytest.fixture
def client(november: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(november), follow_redirects=False) as test_client:
        sign_in_as_hr(test_client, november)
        yield test_client


def test_the_overview_and_the_sector_page_show_each_occurrence_by_its_title(client: TestClient) -> None:
    page = client.get("/hr?ar=2027")
    assert page.status_code == 200
    assert "Månedlig oppfølging – november 2027" in page.text
    assert "Månedlig oppfølging – januar 2028" in page.text
    sector = client.get("/hr/sektor/S1?ar=2027&fase=monthly-follow-up-2027-11")
    assert sector.status_code == 200 and "Månedlig oppfølging – november 2027" in sector.text


def test_the_weekly_digest_counts_an_open_occurrences_tasks(november: Runtime) -> None:
    with november.session() as session:
        rows = unit_assignment_rows(session, november, opened_before=datetime(2027, 11, 8, 9, tzinfo=OSLO))
    assert {row.phase_key for row in rows} == {"monthly-follow-up-2027-11"} and len(rows) == 3
