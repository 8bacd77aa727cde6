"""Limits checked at the moment of the request: the phase's closing time, text lengths on drafts, comment targets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from domain.models import Phase, PhaseStatus
from tasks.answers.submission import AnswerRefused
from tasks.cycle.phases import open_phase
from tasks.runtime import Runtime
from tests.integration.test_web_answers import World, answers, assignment_of, input_fields, link_for, world_at
from tests.support.plan_year import CONSULTATION, answer, at, phase, spring_input


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as opened:
        yield opened


def _spring_input(world: World) -> Phase:
    with world.session() as session:
        found = session.exec(select(Phase).where(Phase.key == "spring-input")).one()
    assert found.status == PhaseStatus.OPEN
    return found


@pytest.mark.parametrize("action", ["save", "submit"])
def test_an_answer_after_the_closing_moment_is_refused_though_the_phase_row_is_still_open(
    world: World, action: str
) -> None:
    token = link_for(world, "kari@kommune.example")
    closes_at = _spring_input(world).closes_at
    world.clock.set(closes_at - timedelta(minutes=1))
    assert world.client.post(f"/svar/{token}", data=input_fields(token, world)).status_code == 303  # just in time
    world.clock.set(closes_at)  # no dispatcher has run: the row still says open
    late = world.client.post(f"/svar/{token}", data=input_fields(token, world, action=action, base_revision="1"))
    assert late.status_code == 409
    assert "Fristen for denne fasen gikk ut 30.06.2027 kl. 16.00. Svar kan ikke lenger lagres." in late.text
    assert _spring_input(world).status == PhaseStatus.OPEN
    assert len(answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0)) == 1


def test_a_draft_is_length_checked_like_a_submit(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    for field, text in (("requirements", "x" * 100_586), ("measures-0-title", "y" * 201)):
        response = world.client.post(f"/svar/{token}", data=input_fields(token, world, **{field: text}))
        assert response.status_code == 422, field
        assert "Teksten er for lang (høyst" in response.text and f'id="{field}-error"' in response.text
    assert answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0) == []
    at_limit = world.client.post(f"/svar/{token}", data=input_fields(token, world, requirements="z" * 4000))
    assert at_limit.status_code == 303  # the limit itself is allowed


def test_a_comment_on_a_measure_key_the_version_does_not_have_is_refused(rt: Runtime) -> None:
    with rt.session() as session:
        spring_input(session, rt)
        open_phase(session, rt, phase(session, "september-draft"), 2027, at(9, 1, 8))
    stray = {"target": "ukjent::tiltak som ikke finnes", "position": "enig", "text": "Bra."}
    with rt.session() as session, pytest.raises(AnswerRefused, match="ikke finnes i versjon 1"):
        answer(session, rt, "tora@testvik.no", "september-draft", {**CONSULTATION, "comments": [stray]}, at(9, 14))
    with rt.session() as session:  # a measure key, a measure's title and a section are all fine
        answer(session, rt, "tora@testvik.no", "september-draft", CONSULTATION, at(9, 14))
