"""The year's calendar as an ICS file in the console (issue 12): the very bytes `arshjul calendar --ics` writes for
the same file and year, a Norwegian 400 for a year that cannot be used, and the link from the overview."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from arshjul.bootstrap import bootstrap
from arshjul.commands.calendar import run
from config.aarshjul import load_aarshjul
from config.settings import Settings
from domain.clock import ManualClock
from tasks.runtime import Runtime
from tasks.store.db import migrate
from tests.support.accounts import sign_in_as_hr
from web.app import create_app

EXAMPLES = Path(__file__).resolve().parents[2] / "config" / "examples"


@pytest.fixture
def console(
    request: pytest.FixtureRequest, settings: Settings, clock: ManualClock
) -> Iterator[tuple[Runtime, TestClient]]:
    """A signed-in HR console on the packaged årshjul, or on an example's (`indirect` parameter)."""
    example = getattr(request, "param", None)
    if example is not None:
        settings = settings.model_copy(update={"aarshjul_file": EXAMPLES / f"{example}.yaml"})
    rt = bootstrap(settings, clock=clock)
    migrate(rt.engine)
    client = TestClient(create_app(rt), follow_redirects=False)
    sign_in_as_hr(client, rt)
    yield rt, client
    rt.engine.dispose()


def cli_ics(rt: Runtime, year: int, folder: Path, capsys: pytest.CaptureFixture[str]) -> bytes:
    path = folder / f"cli-{year}.ics"
    assert run(argparse.Namespace(year=year, ics=path, config=rt.settings.aarshjul_file)) == 0
    capsys.readouterr()
    return path.read_bytes()


@pytest.mark.parametrize("console", [None, "baerum", "sorum"], indirect=True)
def test_the_console_serves_the_same_ics_as_the_command_line(
    console: tuple[Runtime, TestClient], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rt, client = console
    for year in (2027, 2028, 2031):
        response = client.get(f"/hr/kalender.ics?aar={year}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        assert response.headers["content-disposition"] == f'attachment; filename="arshjul-{year}.ics"'
        assert response.content == cli_ics(rt, year, tmp_path, capsys)
        assert response.content.startswith(b"BEGIN:VCALENDAR\r\n") and b"\r\nEND:VEVENT\r\n" in response.content
    assert client.get("/hr/kalender.ics").content == cli_ics(rt, 2027, tmp_path, capsys)  # no year: this year
    assert 'href="/hr/kalender.ics?aar=2027">Legg til i kalender (ICS)</a>' in client.get("/hr").text
    assert 'href="/hr/kalender.ics?aar=2026">Legg til i kalender (ICS)</a>' in client.get("/hr?ar=2026").text


@pytest.mark.parametrize("year", ["abc", "1999", "2101", "-2027", "2027.5", "²⁰²⁷", "9" * 30, " ", "2027;1"])
def test_a_year_that_cannot_be_used_gets_a_norwegian_400(console: tuple[Runtime, TestClient], year: str) -> None:
    _, client = console
    response = client.get("/hr/kalender.ics", params={"aar": year})
    assert response.status_code == 400 and response.headers["content-type"].startswith("text/html")
    assert "er ikke et årstall Årshjul kan lage kalender for. Skriv et år fra 2000 til 2100" in response.text


def test_a_year_whose_dates_do_not_work_out_gets_a_400_naming_the_problem(
    console: tuple[Runtime, TestClient], tmp_path: Path
) -> None:
    rt, client = console
    text = rt.settings.aarshjul_file.read_text(encoding="utf-8")
    assert "due: last working day of February" in text, "the rule this test changes is gone from the packaged file"
    leap_only = tmp_path / "aarshjul.yaml"
    leap_only.write_text(text.replace("due: last working day of February", "due: 29. februar"), encoding="utf-8")
    rt.aarshjul = load_aarshjul(leap_only)  # loaded without years, as a file edited after start could be
    assert client.get("/hr/kalender.ics?aar=2028").status_code == 200  # a leap year
    response = client.get("/hr/kalender.ics?aar=2027")
    assert response.status_code == 400
    assert "Datoene i årshjulet for 2027 kan ikke regnes ut: january-evaluation 2027:" in response.text
