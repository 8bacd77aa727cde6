"""The rules behind an answer: one answer per double submit, refusals as sentences, deadlines that reopen tasks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import Session, select

from domain.aarshjul.workdays import OSLO, to_local
from domain.models import Assignment, AssignmentState, OutboxMessage, Person
from tasks.answers.submission import AnswerContext, InvalidAnswer, load_context, save_answer
from tasks.notices.ladder import queue_due_notices
from tasks.runtime import Runtime
from tests.integration.test_web_answers import (
    World,
    answers,
    assignment_of,
    events,
    hr_csrf,
    input_fields,
    link_for,
    login,
    post_form,
    world_at,
)

RAW_INPUT = {  # as a caller other than the web form might pass it: untrimmed, a number as text, defaults left out
    "requirements": "  Alle skal kunne bruke fagsystemet.  ",
    "holdings": "To superbrukere.",
    "needs": [],
    "measures": [{"area": "Digital", "goal": "Bruke systemet", "title": "Kurs", "cost": "25000"}],
}


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as opened:
        yield opened


def _submit_raw(world: World, assignment_id: int, content: dict[str, object]) -> int:
    with world.rt.session() as session:
        assignment = session.get(Assignment, assignment_id)
        assert assignment is not None
        actor = session.get(Person, assignment.assignee_id)
        assert actor is not None
        ctx = load_context(session, world.rt, assignment, actor)
        answer = save_answer(session, world.rt, ctx, content, submit=True, base_revision=0, now=world.clock.now())
        return answer.id or 0


def test_a_double_submit_from_any_caller_is_one_answer(world: World) -> None:
    kari = assignment_of(world, world.leaders["solsiden"]).id or 0
    first = _submit_raw(world, kari, dict(RAW_INPUT))
    second = _submit_raw(world, kari, dict(RAW_INPUT))  # the same stale base revision, the same raw content
    assert first == second
    (answer,) = answers(world, kari)
    assert answer.content["requirements"] == "Alle skal kunne bruke fagsystemet."
    assert answer.content["measures"][0]["cost"] == 25000 and answer.content["measures"][0]["priority"] == 2
    assert len(events(world, "answer.submitted")) == 1
    with pytest.raises(InvalidAnswer, match="Noen felt må rettes"):
        _submit_raw(world, kari, {**RAW_INPUT, "requirements": " "})


def test_adoption_with_no_plan_version_is_refused_with_a_sentence(tmp_path: Path) -> None:
    with world_at(tmp_path, phase_key="december-adoption") as world:
        world.clock.set(datetime(2027, 12, 6, 10, 0, tzinfo=OSLO))
        token = link_for(world, world.rt.settings.hr_email)
        refused = post_form(
            world,
            token,
            {"handlings-0-body": "Kommunestyret", "handlings-0-held_on": "16.12.2027", "handlings-0-kind": "vedtak"},
        )
        assert refused.status_code == 409
        assert "Det finnes ingen planversjon for 2027 å vedta ennå" in refused.text
        assert 'value="Kommunestyret"' in refused.text  # what was typed is still in the form
        with world.session() as session:
            task = session.exec(select(Assignment).where(Assignment.form == "adoption")).one()
        assert task.state == AssignmentState.OPEN and answers(world, task.id or 0) == []
        assert events(world, "answer.submitted") == [] and events(world, "plan.adopted") == []


def test_extending_the_deadline_of_an_escalated_task_makes_it_current_again(world: World) -> None:
    ola = assignment_of(world, world.leaders["bakken"])
    for moment in (datetime(2027, 4, 12, 10, 0, tzinfo=OSLO), datetime(2027, 5, 20, 10, 0, tzinfo=OSLO)):
        world.clock.set(moment)  # a reminder in April; by 20 May, three weeks late, escalated to HR
        with world.rt.session() as session:
            queue_due_notices(session, world.rt, 2027, world.clock.now())
    late = assignment_of(world, world.leaders["bakken"])
    assert late.state == AssignmentState.ESCALATED and late.escalation_level == 2
    login(world)
    extend = {"csrf_token": hr_csrf(world), "frist": "2027-06-10"}
    response = world.client.post(f"/hr/oppgave/{ola.id}/frist", data=extend)
    assert response.status_code == 303
    after = assignment_of(world, world.leaders["bakken"])
    assert after.state == AssignmentState.REMINDED and after.escalation_level == 0  # reminders had gone out
    assert to_local(after.due_at).isoformat() == "2027-06-10T15:00:00+02:00"
    (event,) = events(world, "assignment.deadline_extended")
    assert event.payload["old_due_at"] == late.due_at.isoformat()
    assert event.payload["new_due_at"] == after.due_at.isoformat()
    assert (event.payload["state_before"], event.payload["state"]) == ("escalated", "reminded")
    with world.session() as session:
        notice = session.exec(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == f"deadline:{ola.id}:1")
        ).one()
    assert notice.kind == "deadline_changed" and notice.to_address == "ola@kommune.example"
    with world.rt.session() as session:  # the ladder starts over: overdue again only after 10 June
        assert queue_due_notices(session, world.rt, 2027, world.clock.now()).overdue == 0
    assert assignment_of(world, world.leaders["bakken"]).state == AssignmentState.REMINDED


def test_a_leader_and_a_substitute_saving_at_once_see_both_versions_and_merge(world: World) -> None:
    from web.security import csrf_token

    kari = link_for(world, "kari@kommune.example")
    handed = world.client.post(
        f"/svar/{kari}/stedfortreder",
        data={"csrf_token": csrf_token(world.rt, kari), "navn": "Vera Vikar", "epost": "vera@kommune.example"},
    )
    assert handed.status_code == 200
    vera = link_for(world, "vera@kommune.example")
    fields = {"requirements": "Krav", "action": "save"}
    assert post_form(world, vera, {**fields, "holdings": "Veras tekst"}).status_code == 303
    clash = post_form(world, kari, {**fields, "holdings": "Karis tekst", "action": "submit"})  # Kari typed from 0
    assert clash.status_code == 409 and "Noen andre har lagret svaret mens du skrev" in clash.text
    theirs, mine = clash.text.split('<form method="post"', 1)[0], clash.text.split('<form method="post"', 1)[1]
    assert "Veras tekst" in theirs and "av Vera Vikar på vegne av Kari Nordmann" in theirs
    assert "Karis tekst" in mine and 'name="base_revision" value="1"' in mine
    merged = post_form(
        world, kari, {**fields, "holdings": "Karis tekst. Veras tekst", "base_revision": "1", "action": "submit"}
    )
    assert merged.status_code == 303
    late = post_form(world, vera, {**fields, "holdings": "Veras neste utkast", "base_revision": "1"})
    assert late.status_code == 409 and "Karis tekst. Veras tekst" in late.text and "av Kari Nordmann" in late.text
    task = assignment_of(world, world.leaders["solsiden"])
    saved = answers(world, task.id or 0)
    assert [(a.revision, a.status.value, a.content["holdings"]) for a in saved] == [
        (1, "draft", "Veras tekst"),
        (2, "submitted", "Karis tekst. Veras tekst"),
    ]
    assert saved[0].on_behalf_of_id == world.leaders["solsiden"] and saved[1].on_behalf_of_id is None
    with world.rt.session() as session:  # Kari's receipt carries her own link, not Vera's
        receipt = session.exec(
            select(OutboxMessage).where(
                OutboxMessage.kind == "receipt", OutboxMessage.to_address == "kari@kommune.example"
            )
        ).one()
    token = re.search(r"/svar/([A-Za-z0-9_.-]+)", receipt.body_text)
    assert token is not None
    claims = world.rt.links.verify(token.group(1), now=world.rt.now(), purpose="answer")
    assert claims.person_id == world.leaders["solsiden"]


def test_a_double_submit_racing_past_the_check_still_ends_as_one_answer(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both requests read 'no answer yet'; the second's insert then hits the unique revision and is looked at again."""
    import web.deps
    from web.answer.form_specs import SPECS
    from web.answer.formdata import parse, values_from_form

    token = link_for(world, "kari@kommune.example")
    fields = input_fields(token, world, action="submit")
    real_open = web.deps.open_by_link

    def open_then_lose_the_race(session: Session, rt: Runtime, link: str, now: datetime) -> AnswerContext:
        ctx = real_open(session, rt, link, now)  # this request has looked: nothing saved yet
        content = parse(SPECS["input"], values_from_form(SPECS["input"], fields)).content
        with rt.session() as other:  # the first click's request commits in between
            first = real_open(other, rt, link, now)
            save_answer(other, rt, first, content, submit=True, base_revision=0, now=now)
        return ctx

    monkeypatch.setattr(web.deps, "open_by_link", open_then_lose_the_race)
    response = world.client.post(f"/svar/{token}", data=fields)
    assert response.status_code == 303 and response.headers["location"].endswith("?sendt=1")
    assert len(answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0)) == 1
    assert len(events(world, "answer.submitted")) == 1
