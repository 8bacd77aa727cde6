"""Malformed input gets a 400/404 page in Norwegian, nothing stored, and no traceback in the log (never a 500)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.integration.test_web_answers import (
    World,
    answers,
    assignment_of,
    hr_csrf,
    input_fields,
    link_for,
    login,
    world_at,
)

HUGE = "9223372036854775808"


@pytest.fixture
def world(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[World]:
    caplog.set_level(logging.INFO)
    with world_at(tmp_path) as opened:
        yield opened
    tracebacks = [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]
    assert tracebacks == []  # every refusal below is a page, not an unexpected error


def _kari(world: World) -> tuple[str, int]:
    return link_for(world, "kari@kommune.example"), assignment_of(world, world.leaders["solsiden"]).id or 0


@pytest.mark.parametrize("csrf", ["æøå", "\u2603" * 64, "\x00", "0" * 63 + "²"])
def test_a_non_ascii_csrf_token_is_refused_with_a_page_on_every_kind_of_form(world: World, csrf: str) -> None:
    token, assignment_id = _kari(world)
    answer = world.client.post(f"/svar/{token}", data=input_fields(token, world, csrf_token=csrf))
    delegate = world.client.post(
        f"/svar/{token}/stedfortreder", data={"csrf_token": csrf, "navn": "A", "epost": "a@b.no"}
    )
    hr_login = world.client.post("/logg-inn", data={"csrf_token": csrf, "epost": "a@b.no", "passord": "x"})
    login(world)
    hr_action = world.client.post(f"/hr/oppgave/{assignment_id}/purring", data={"csrf_token": csrf})
    for response in (answer, delegate, hr_login, hr_action):
        assert response.status_code == 400
        assert "Skjemaet er utløpt eller ugyldig" in response.text
    assert answers(world, assignment_id) == []


def test_a_forged_session_cookie_with_a_non_ascii_or_huge_time_sends_to_the_login(world: World) -> None:
    for cookie in ("²." + "0" * 64, "1700000000.æøå", HUGE * 3 + ".00", "\x00" * 40):
        response = world.client.get("/hr", headers={b"cookie": b"arshjul_okt=" + cookie.encode()})
        assert response.status_code == 303 and response.headers["location"].startswith("/logg-inn")


@pytest.mark.parametrize(
    "path",
    [f"/plan/{HUGE}", f"/plan/{HUGE}/xlsx", "/plan/-1", "/plan/²", f"/plan/{'9' * 400}"],
)
def test_a_huge_or_malformed_id_in_a_public_path_is_404(world: World, path: str) -> None:
    response = world.client.get(path)
    assert response.status_code == 404 and "Siden finnes ikke" in response.text


def test_huge_ids_behind_a_link_and_in_the_console_are_404_or_400(world: World) -> None:
    token, _ = _kari(world)
    assert world.client.get(f"/svar/{token}/revisjon/{HUGE}").status_code == 404
    login(world)
    csrf = hr_csrf(world)
    for path in (f"/hr/oppgave/{HUGE}", f"/hr/plan/{HUGE}/versjon/1", f"/hr/plan/2027/versjon/{HUGE}"):
        response = world.client.get(path)
        assert response.status_code == 404 and "Siden finnes ikke" in response.text, path
    posted = world.client.post(f"/hr/oppgave/{HUGE}/purring", data={"csrf_token": csrf})
    assert posted.status_code == 404
    compare = world.client.get(f"/hr/plan/2027/sammenlign?fra={HUGE}&til=1")
    assert compare.status_code == 400 and "Noe var galt med forespørselen" in compare.text
    remind = world.client.post("/hr/purring", data={"csrf_token": csrf, "fase": "spring-input", "aar": HUGE})
    assert remind.status_code == 400


@pytest.mark.parametrize("base", ["3", "1" * 5000, "²", "٣", "-1", " 0", ""])
def test_a_base_revision_that_cannot_be_is_refused(world: World, base: str) -> None:
    token, assignment_id = _kari(world)
    response = world.client.post(f"/svar/{token}", data=input_fields(token, world, base_revision=base))
    assert response.status_code == 400 and "Noe var galt med forespørselen" in response.text
    assert answers(world, assignment_id) == []


@pytest.mark.parametrize("button", ["needs-²", "needs-" + "9" * 40, "needs-", "-", "needs-1-2"])
def test_a_malformed_remove_row_button_is_refused(world: World, button: str) -> None:
    token, assignment_id = _kari(world)
    response = world.client.post(f"/svar/{token}", data=input_fields(token, world, remove_row=button))
    assert response.status_code == 400
    assert answers(world, assignment_id) == []


def test_a_control_character_in_an_answer_is_a_field_error_on_a_draft_and_on_submit(world: World) -> None:
    token, assignment_id = _kari(world)
    for action in ("save", "submit"):
        fields = input_fields(token, world, action=action, **{"measures-0-title": "Kurs\x00", "holdings": "a\x1bb"})
        response = world.client.post(f"/svar/{token}", data=fields)
        assert response.status_code == 422
        assert 'id="measures-0-title-error"' in response.text and 'id="holdings-error"' in response.text
        assert "Teksten inneholder et ugyldig tegn (et kontrolltegn)" in response.text
    assert answers(world, assignment_id) == []
    fine = world.client.post(f"/svar/{token}", data=input_fields(token, world, holdings="Linje 1\r\nLinje 2\tog tab"))
    assert fine.status_code == 303


@pytest.mark.parametrize(
    ("name", "email"), [("Per\x00Vikar", "per@kommune.example"), ("Per", "per\x00@kommune.example")]
)
def test_a_control_character_in_a_substitutes_name_or_address_is_refused(world: World, name: str, email: str) -> None:
    token, assignment_id = _kari(world)
    fields = {"csrf_token": input_fields(token, world)["csrf_token"], "navn": name, "epost": email}
    response = world.client.post(f"/svar/{token}/stedfortreder", data=fields)
    assert response.status_code == 400
    assert "kontrolltegn" in response.text or "Skriv en gyldig e-postadresse" in response.text
    login(world)
    hr = world.client.post(
        f"/hr/oppgave/{assignment_id}/stedfortreder", data={"csrf_token": hr_csrf(world), "navn": name, "epost": email}
    )
    assert hr.status_code == 400
    assert assignment_of(world, world.leaders["solsiden"]).assignee_id == world.leaders["solsiden"]
