"""The HR overview at 150 units: the year on one screen, counts per phase and sector, drill-down, past years."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, func, select

from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from domain.models import Assignment
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.municipality import spring_under_way
from web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture
def client(rt: Runtime, clock: ManualClock, tmp_path: Path) -> Iterator[TestClient]:
    spring_under_way(rt, tmp_path / "org")
    clock.set(datetime(2027, 5, 20, 12, 0, tzinfo=OSLO))
    with TestClient(create_app(rt), follow_redirects=False) as test_client:
        sign_in_as_hr(test_client, rt)
        yield test_client


def _state_counts(rt: Runtime) -> dict[str, int]:
    with rt.session() as session:
        rows = session.exec(select(Assignment.state, func.count()).group_by(col(Assignment.state))).all()
        return {str(state): int(n) for state, n in rows}


def _row(html: str, heading: str) -> list[int]:
    """The numbers in the table row whose header starts with `heading`."""
    row = re.search(rf"<th scope=\"row\"><a [^>]*>{re.escape(heading)}.*?</tr>", html, re.S)
    assert row, heading
    return [int(n) for n in re.findall(r'<td class="num[^"]*">(\d+)</td>', row.group(0))]


def test_the_overview_shows_the_year_per_phase_and_sector_on_one_screen(client: TestClient, rt: Runtime) -> None:
    states = _state_counts(rt)
    total_tasks = sum(states.values())  # every task is a spring input task (one per unit and kommunalsjef)
    assert total_tasks >= 150 and states["escalated"] > 0 and states["answered"] > 90
    page = client.get("/hr")
    assert page.status_code == 200
    html = page.text
    assert "<h1>Årshjulet 2027</h1>" in html
    assert html.count('<svg class="wheel"') == 1 and 'role="img"' in html and "i dag som viser" in html
    answered, open_, overdue, escalated, excused, total = _row(html, "2. Kompetanseinnspill")
    assert (answered, total) == (states["answered"], total_tasks) and escalated == states["escalated"]
    assert open_ + overdue == total_tasks - answered - escalated and overdue > 0 and excused == 0
    sectors = re.findall(r'<th scope="row"><a href="/hr/sektor/([^?"]+)\?ar=2027&amp;fase=spring-input">', html)
    assert len([s for s in sectors if s != "-"]) == 6  # and "-": the municipality's own tasks, if any
    per_sector = [_row(html, name) for name in re.findall(r'fase=spring-input">([^<]+)</a></th>', html)]
    assert sum(numbers[-1] for numbers in per_sector) == total_tasks
    assert len(re.findall(r"<tr", html)) <= 15  # 4 phases, 6 sectors and the municipality, 2 header rows
    attention = re.findall(
        r'<li><a href="(/hr/sektor/[^"]+status=sen)">(\d+) enhet(?:er)? over fristen i ([^<]+)', html
    )
    assert 1 <= len(attention) <= 5
    assert sum(int(n) for _href, n, _text in attention) <= overdue + escalated
    assert "Det neste som skjer" in html and "Kompetanseinnspill: lukkes" in html


def test_drill_down_from_sector_to_units_to_task(client: TestClient) -> None:
    html = client.get("/hr").text
    href, count, _rest = re.findall(r'<li><a href="([^"]+)">(\d+) enhet(?:er)? over fristen i ([^<]+)', html)[0]
    sector = client.get(href.replace("&amp;", "&"))
    assert sector.status_code == 200
    assert f"{count} oppgave" in sector.text
    tasks = re.findall(r'<a href="(/hr/oppgave/\d+)">', sector.text)
    assert len(tasks) == int(count)
    assert client.get(tasks[0]).status_code == 200
    everything = client.get(href.replace("&amp;", "&").replace("status=sen", "status="))
    assert len(re.findall(r'<a href="/hr/oppgave/\d+">', everything.text)) > int(count)


def test_a_year_switch_and_unknown_places(client: TestClient) -> None:
    past = client.get("/hr?ar=2026")
    assert past.status_code == 200 and "Årshjulet for 2026 er ikke opprettet ennå." in past.text
    assert "Du ser årshjulet for 2026" in past.text
    assert client.get("/hr?ar=tjue").status_code == 400
    assert client.get("/hr/sektor/finnes-ikke?ar=2027").status_code == 404
    assert client.get("/hr/sektor/-?ar=2027&status=tull").status_code == 404


def test_a_stranger_is_sent_to_the_login(rt: Runtime) -> None:
    with TestClient(create_app(rt), follow_redirects=False) as anonymous:
        for path in ("/hr", "/hr/sektor/-"):
            assert anonymous.get(path).headers["location"].startswith("/logg-inn")
