"""`/lenke/ny`: CSRF bound to a same-site cookie, and the same answer and the same database work for any address."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlmodel import col, select

from domain.models import Event, OutboxMessage
from tasks.answers.link_requests import ASKED, handle_link_requests
from tests.integration.test_web_answers import LINK, World, world_at

SENTENCE = "Hvis adressen er registrert hos oss, får du en ny lenke på e-post."


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as opened:
        yield opened


def _form_token(world: World) -> str:
    page = world.client.get("/svar/not-a-link")  # a broken link's page carries the form
    assert page.status_code == 403 and "arshjul_lenke=" in page.headers["set-cookie"]
    assert "samesite=strict" in page.headers["set-cookie"].lower()
    found = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert found
    return found.group(1)


def _relinks(world: World) -> list[OutboxMessage]:
    with world.session() as session:
        query = select(OutboxMessage).where(col(OutboxMessage.idempotency_key).startswith("relink:"))
        return list(session.exec(query).all())


def _asked(world: World) -> int:
    with world.session() as session:
        return len(session.exec(select(Event).where(Event.kind == ASKED)).all())


def test_a_cross_site_post_without_the_cookie_and_token_is_refused(world: World) -> None:
    token = _form_token(world)
    for cookies, fields in (
        ({}, {"epost": "kari@kommune.example"}),  # a forged form on another site: no token
        ({}, {"epost": "kari@kommune.example", "csrf_token": token}),  # a token, but the browser sends no cookie
        ({"arshjul_lenke": "gjettet"}, {"epost": "kari@kommune.example", "csrf_token": token}),
        (None, {"epost": "kari@kommune.example", "csrf_token": "æøå"}),
    ):
        if cookies is not None:
            world.client.cookies.clear()
            for name, value in cookies.items():
                world.client.cookies.set(name, value, path="/lenke")
        response = world.client.post("/lenke/ny", data=fields)
        assert response.status_code == 400 and "Skjemaet er utløpt eller ugyldig" in response.text
    assert _asked(world) == 0 and _relinks(world) == []


def _statements(world: World, email: str, token: str) -> tuple[int, str, list[str]]:
    seen: list[str] = []

    def count(conn: Any, cursor: Any, statement: str, parameters: Any, context: Any, executemany: bool) -> None:
        seen.append(statement.split()[0].upper() + " " + re.sub(r"\s+", " ", statement)[:60])

    event.listen(world.rt.engine, "before_cursor_execute", count)
    try:
        response = world.client.post("/lenke/ny", data={"epost": email, "csrf_token": token})
    finally:
        event.remove(world.rt.engine, "before_cursor_execute", count)
    assert response.status_code == 200 and SENTENCE in response.text
    return response.status_code, re.sub(r'value="[0-9a-f]{64}"', "", response.text), seen


def test_known_and_unknown_addresses_get_the_same_answer_after_the_same_statements(world: World) -> None:
    token = _form_token(world)
    known = _statements(world, "Kari@Kommune.example", token)
    unknown = _statements(world, "nobody@example.org", token)
    assert known == unknown  # same status, same page, same SQL statements in the same order
    assert not any(s.startswith("SELECT") and "person" in s.lower() for s in known[2])  # no lookup at request time
    assert _relinks(world) == []  # nothing is sent from the request
    with world.session() as session:  # the dispatcher's step looks the addresses up
        assert handle_link_requests(session, world.rt, now=world.clock.now()) == 1
        session.commit()
    with world.session() as session:
        assert handle_link_requests(session, world.rt, now=world.clock.now()) == 0  # each request answered once
        session.commit()
    (relink,) = _relinks(world)
    assert relink.to_address == "kari@kommune.example" and LINK.search(relink.body_text)


def test_a_control_character_in_the_address_is_refused_before_anything_is_recorded(world: World) -> None:
    token = _form_token(world)
    response = world.client.post("/lenke/ny", data={"epost": "kari\x00@kommune.example", "csrf_token": token})
    assert response.status_code == 400 and "ugyldig tegn" in response.text
    assert _asked(world) == 0
