"""HR reads an answer on the task page: the form's labels, every revision, last year's beside it; fitting actions."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from domain.aarshjul.workdays import OSLO
from domain.models import Assignment, Cycle, OutboxMessage, Person, Phase
from tasks.answers.submission import load_context, save_answer
from tasks.cycle.phases import ensure_cycle, open_phase, phases_of
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.plan_year import INPUTS, spring_input
from web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def _task(session: Session, email: str, year: int) -> Assignment:
    return session.exec(
        select(Assignment)
        .join(Phase, Phase.id == Assignment.phase_id)  # type: ignore[arg-type]
        .join(Cycle, Cycle.id == Phase.cycle_id)  # type: ignore[arg-type]
        .join(Person, Person.id == Assignment.assignee_id)  # type: ignore[arg-type]
        .where(Person.email == email, Phase.key == "spring-input", Cycle.year == year)
    ).one()


def _submit(session: Session, rt: Runtime, assignment: Assignment, content: dict[str, object], at: datetime) -> None:
    person = session.get(Person, assignment.assignee_id)
    assert person is not None
    ctx = load_context(session, rt, assignment, person)
    base = ctx.latest.revision if ctx.latest else 0
    save_answer(session, rt, ctx, content, submit=True, base_revision=base, now=at)


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    with rt.session() as session:
        ensure_cycle(session, rt, 2026, datetime(2026, 1, 2, tzinfo=OSLO))
    with rt.session() as session:
        spring_input(session, rt)  # the organisation, 2027's cycle, leder1 answers
        spring_2026 = next(p for p in phases_of(session, 2026) if p.key == "spring-input")
        open_phase(session, rt, spring_2026, 2026, datetime(2026, 3, 2, 8, tzinfo=OSLO))
        last_year = {"requirements": "Fjorårets krav", "holdings": "Fjorårets status", **INPUTS["leder4@testvik.no"]}
        _submit(session, rt, _task(session, "leder1@testvik.no", 2026), last_year, datetime(2026, 3, 20, tzinfo=OSLO))
        revised = {"requirements": "Nye krav etter revisjon", "holdings": "Har", **INPUTS["leder1@testvik.no"]}
        _submit(session, rt, _task(session, "leder1@testvik.no", 2027), revised, datetime(2027, 3, 12, tzinfo=OSLO))
    with TestClient(create_app(rt), follow_redirects=False) as test_client:
        sign_in_as_hr(test_client, rt)
        yield test_client


def _task_id(rt: Runtime, email: str) -> int:
    with rt.session() as session:
        return _task(session, email, 2027).id or 0


def test_hr_reads_the_answer_with_its_labels_revisions_and_last_year(client: TestClient, rt: Runtime) -> None:
    page = client.get(f"/hr/oppgave/{_task_id(rt, 'leder1@testvik.no')}")
    assert page.status_code == 200
    answer = page.text.split('id="answer-heading"')[1].split('id="last-year"')[0]
    assert "Svaret, versjon 2 (sendt inn)" in page.text
    assert "Nye krav etter revisjon" in answer and "Demensomsorgens ABC" in answer and "50000" in answer
    assert "Tiltak" in answer  # the form's own label for the list of measures
    beside = page.text.split('id="last-year"')[1].split("Alle versjoner")[0]
    assert "Svaret for 2026" in beside and "Fjorårets krav" in beside and "Språkløyper" in beside
    assert "Vis versjon 1" in page.text
    first = client.get(f"/hr/oppgave/{_task_id(rt, 'leder1@testvik.no')}?versjon=1")
    assert "Svaret, versjon 1" in first.text and "Nye krav etter revisjon" not in first.text.split("Svaret for")[0]


def test_an_unanswered_task_says_so_and_offers_a_reminder(client: TestClient, rt: Runtime) -> None:
    page = client.get(f"/hr/oppgave/{_task_id(rt, 'leder3@testvik.no')}")
    assert "Ingen har lagret noe svar ennå." in page.text
    assert "Send påminnelse nå" in page.text and "Utsett fristen" in page.text


def test_an_answered_task_offers_no_reminder(client: TestClient, rt: Runtime) -> None:
    page = client.get(f"/hr/oppgave/{_task_id(rt, 'leder1@testvik.no')}")
    assert "Send påminnelse nå" not in page.text and "Utsett fristen" not in page.text
    assert "Send ny lenke" in page.text


def _csrf(client: TestClient, task_id: int) -> str:
    token = CSRF.search(client.get(f"/hr/oppgave/{task_id}").text)
    assert token
    return token.group(1)


def test_hr_excuses_a_task_with_a_reason(client: TestClient, rt: Runtime) -> None:
    task_id = _task_id(rt, "leder3@testvik.no")
    csrf = _csrf(client, task_id)
    refused = client.post(f"/hr/oppgave/{task_id}/fritak", data={"csrf_token": csrf, "begrunnelse": " "})
    assert refused.status_code == 400 and "Skriv hvorfor oppgaven fritas" in refused.text
    assert client.post(f"/hr/oppgave/{task_id}/fritak", data={"begrunnelse": "Lagt ned"}).status_code == 400
    done = client.post(f"/hr/oppgave/{task_id}/fritak", data={"csrf_token": csrf, "begrunnelse": "Enheten er lagt ned"})
    assert done.status_code == 303 and done.headers["location"].endswith("?ok=excused")
    page = client.get(done.headers["location"]).text
    assert "Oppgaven er fritatt." in page and "Oppgaven fritatt (Enhet 3): Enheten er lagt ned" in page
    assert "Send påminnelse nå" not in page and "Frita oppgaven" not in page
    with rt.session() as session:
        task = session.get(Assignment, task_id)
        assert task is not None and task.state.value == "excused"
    again = client.post(f"/hr/oppgave/{task_id}/fritak", data={"csrf_token": csrf, "begrunnelse": "Igjen"})
    assert again.status_code == 400 and "allerede besvart eller fritatt" in again.text


def test_a_substitutes_email_says_who_handed_it_over_for_which_unit_and_where_the_link_goes(
    client: TestClient, rt: Runtime
) -> None:
    from tasks.answers.delegation import delegate

    task_id = _task_id(rt, "leder3@testvik.no")
    csrf = _csrf(client, task_id)
    handed = client.post(
        f"/hr/oppgave/{task_id}/stedfortreder", data={"csrf_token": csrf, "navn": "Vera Vikar", "epost": "vera@x.no"}
    )
    assert handed.status_code == 303
    with rt.session() as session:  # and the leader hands it on from the answer page (actor: the leader's email)
        delegate(session, rt, task_id, name="Per Vikar", email="per@x.no", actor="leder3@testvik.no",
                 now=datetime(2027, 4, 2, tzinfo=OSLO))  # fmt: skip
    with rt.session() as session:
        mails = {m.to_address: m for m in session.exec(select(OutboxMessage)).all()}
    vera, per = mails["vera@x.no"], mails["per@x.no"]
    assert vera.subject.startswith("HR-koordinatoren har gitt deg en oppgave: kompetanseinnspill for Enhet 3")
    assert "HR-koordinatoren har gitt deg denne oppgaven som stedfortreder for Enhet 3." in vera.body_text
    assert "Lenken nedenfor går til 127.0.0.1:9, Testvik kommunes eget skjema" in vera.body_text
    assert "som stedfortreder for Enhet 3" in vera.body_html
    assert per.subject.startswith("Leder 3 har gitt deg en oppgave:")
