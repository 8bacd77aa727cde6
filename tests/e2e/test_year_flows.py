"""The real Prefect flows over a simulated year for a small organisation: every state change and email, in order."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from domain.aarshjul.workdays import local_moment, to_local
from domain.clock import ManualClock
from domain.models import Assignment, Event, Person, Phase, PlanStatus, PlanVersion
from flows.dispatcher import PhaseStepsFailed, dispatcher
from notifications.catcher import MailCatcher
from tasks.answers.submission import load_context, save_answer
from tasks.org.people import ensure_hr
from tasks.outbox.mail import queue_plain
from tasks.runtime import Runtime
from tasks.store.guards import ImmutableRecordError
from tests.support.org import build_small_org
from tests.support.step_year import run_year
from web.app import create_app

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness", "small_org")]


@pytest.fixture
def small_org(rt: Runtime) -> None:
    """Testvik kommune: three units in one sector, a kommunalsjef, a tillitsvalgt and HR."""
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)


INPUT: dict[str, object] = {
    "requirements": "Oppdatert fagkompetanse",
    "holdings": "God",
    "needs": [{"area": "Demens", "criticality": "høy", "horizon": "kort", "strategy": "utvikle"}],
    "measures": [{"area": "Demens", "goal": "Bedre demensomsorg", "title": "Demensomsorgens ABC", "cost": 50000}],
}
ANSWERS: dict[str, dict[str, object]] = {
    "evaluation": {
        "items": [
            {
                "title": "Kurs",
                "carried_out": "delvis",
                "why_not": "Én samling ble avlyst.",
                "participants": 8,
                "cost": 12_000,
                "goal_attainment": "delvis nådd",
                "next_step": "endre",
            }
        ],
        "lessons": "Mer tid",
    },
    "input": INPUT,
    "consultation": {
        "statement": "Vi støtter planen",
        "comments": [{"target": "Demensomsorgens ABC", "position": "enig", "text": "Bra"}],
    },
    "adoption": {
        "handlings": [{"body": "Kommunestyret", "held_on": "2027-12-09", "kind": "vedtak", "case_number": "2027/512"}]
    },
}
# Who answers when (Oslo time); V3 never answers and is escalated in both unit phases.
SCRIPT = [
    (datetime(2027, 1, 11, 10, 0), "leder1@testvik.no", "january-evaluation"),
    (datetime(2027, 2, 24, 11, 0), "leder2@testvik.no", "january-evaluation"),
    (datetime(2027, 3, 2, 10, 0), "leder1@testvik.no", "spring-input"),
    (datetime(2027, 4, 28, 13, 0), "leder2@testvik.no", "spring-input"),
    (datetime(2027, 3, 10, 12, 0), "tora@testvik.no", "spring-input"),
    (datetime(2027, 9, 14, 9, 30), "tora@testvik.no", "september-draft"),
    (datetime(2027, 12, 10, 10, 0), "hr@testvik.no", "december-adoption"),
]


def _answer(rt: Runtime, email: str, phase_key: str) -> None:
    with rt.session() as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        assignment = session.exec(
            select(Assignment).join(Phase).where(Phase.key == phase_key, Assignment.assignee_id == person.id)
        ).one()
        ctx = load_context(session, rt, assignment, person)
        save_answer(session, rt, ctx, ANSWERS[assignment.form], submit=True, base_revision=0, now=rt.now())


def _run_year(rt: Runtime, clock: ManualClock) -> int:
    """The year on the shared simulated clock (tests/support/step_year.py), each scripted person answering."""
    return run_year(rt, clock, [(when, _answering(email, key)) for when, email, key in SCRIPT])


def _answering(email: str, phase_key: str) -> Callable[[Runtime], None]:
    return lambda rt: _answer(rt, email, phase_key)


def test_a_whole_year_runs_through_the_real_flows(rt: Runtime, clock: ManualClock, catcher: MailCatcher) -> None:
    _run_year(rt, clock)
    with rt.session() as session:
        kinds = [e.kind for e in session.exec(select(Event).order_by(col(Event.id)))]
        states = {(a.unit_id, p.key): a.state.value for a, p in session.exec(select(Assignment, Phase).join(Phase))}
        versions = list(session.exec(select(PlanVersion).order_by(col(PlanVersion.number))))
    assert states[("V1", "january-evaluation")] == "answered"
    assert states[("V2", "january-evaluation")] == "answered"
    assert states[("V3", "january-evaluation")] == "escalated"
    assert states[("V3", "spring-input")] == "escalated"
    assert [v.status for v in versions] == [PlanStatus.CONSULTATION, PlanStatus.ADOPTED]
    assert [(v.cycle_year, v.plan_year, v.title[:19]) for v in versions] == [(2027, 2028, "Kompetanseplan 2028")] * 2
    assert versions[1].parent_id == versions[0].id
    assert kinds.count("phase.opened") == 4 and kinds.count("phase.completed") == 4
    assert "plan.adopted" in kinds
    page = TestClient(create_app(rt)).get("/plan/2028")
    assert page.status_code == 200 and "Demensomsorgens ABC" in page.text


def test_an_adopted_plan_cannot_be_changed_by_the_orm_or_the_database(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    _run_year(rt, clock)
    with Session(rt.engine) as session:
        adopted = session.exec(select(PlanVersion).where(PlanVersion.status == PlanStatus.ADOPTED)).one()
        adopted.rendered = "endret"
        with pytest.raises(ImmutableRecordError):
            session.commit()
    with rt.engine.begin() as connection, pytest.raises(DBAPIError, match="immutable"):
        connection.execute(text("UPDATE plan_version SET rendered = 'endret' WHERE status = 'ADOPTED'"))
    with rt.engine.begin() as connection, pytest.raises(DBAPIError, match="cannot be changed"):
        connection.execute(text("DELETE FROM event"))
    assert len(_mail_log(catcher)) > 0


def test_january_sends_exactly_the_expected_mails_in_order(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    _run_year(rt, clock)
    mails = sorted(_mail_log(catcher))  # two SMTP connections deliver concurrently: same-minute order varies
    assert [m for m in mails if m[0] < "2027-03-01"] == [
        ("2027-01-04 08:00", "invitation", "leder1@testvik.no"),
        ("2027-01-04 08:00", "invitation", "leder2@testvik.no"),
        ("2027-01-04 08:00", "invitation", "leder3@testvik.no"),
        # Weekly digests: Mondays 09:00 to HR and the kommunalsjef while a unit task is open (not the opening day).
        ("2027-01-11 09:00", "digest", "hr@testvik.no"),
        ("2027-01-11 09:00", "digest", "siri@testvik.no"),
        ("2027-01-11 10:05", "receipt", "leder1@testvik.no"),
        ("2027-01-18 09:00", "digest", "hr@testvik.no"),
        ("2027-01-18 09:00", "digest", "siri@testvik.no"),
        ("2027-01-25 09:00", "digest", "hr@testvik.no"),
        ("2027-01-25 09:00", "digest", "siri@testvik.no"),
        ("2027-02-01 09:00", "digest", "hr@testvik.no"),
        ("2027-02-01 09:00", "digest", "siri@testvik.no"),
        ("2027-02-08 09:00", "digest", "hr@testvik.no"),
        ("2027-02-08 09:00", "digest", "siri@testvik.no"),
        ("2027-02-12 09:00", "reminder", "leder2@testvik.no"),
        ("2027-02-12 09:00", "reminder", "leder3@testvik.no"),
        ("2027-02-15 09:00", "digest", "hr@testvik.no"),
        ("2027-02-15 09:00", "digest", "siri@testvik.no"),
        ("2027-02-22 09:00", "digest", "hr@testvik.no"),
        ("2027-02-22 09:00", "digest", "siri@testvik.no"),
        ("2027-02-23 09:00", "reminder", "leder2@testvik.no"),
        ("2027-02-23 09:00", "reminder", "leder3@testvik.no"),
        ("2027-02-24 11:05", "receipt", "leder2@testvik.no"),
        ("2027-02-26 09:00", "reminder", "leder3@testvik.no"),
    ]
    # V3 never answers: overdue the first working day after the deadline, then kommunalsjef, then HR.
    assert [m for m in mails if m[1] in ("overdue", "escalate_sector", "escalate_hr") and m[0] < "2027-04-01"] == [
        ("2027-03-01 09:00", "overdue", "leder3@testvik.no"),
        ("2027-03-03 09:00", "escalate_sector", "siri@testvik.no"),
        ("2027-03-10 09:00", "escalate_hr", "hr@testvik.no"),
    ]
    with rt.session() as session:
        v3 = [
            (f"{to_local(e.at):%Y-%m-%d %H:%M}", e.kind)
            for e in session.exec(
                select(Event)
                .where(Event.unit_id == "V3", Event.phase_key == "january-evaluation")
                .order_by(col(Event.id))
            )
        ]
    assert v3 == [
        ("2027-01-04 08:00", "assignment.created"),
        ("2027-02-12 09:00", "reminder.queued"),
        ("2027-02-23 09:00", "reminder.queued"),
        ("2027-02-26 09:00", "reminder.queued"),
        ("2027-03-01 09:00", "assignment.overdue"),
        ("2027-03-03 09:00", "assignment.escalated"),
        ("2027-03-10 09:00", "assignment.escalated"),
    ]


def test_running_the_dispatcher_twice_for_one_moment_changes_nothing(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    for moment in (local_moment(date(2027, 1, 4), time(8, 0)), local_moment(date(2027, 2, 12), time(9, 0))):
        clock.set(moment)
        dispatcher(as_of=moment)
        with rt.session() as session:
            before = len(session.exec(select(Event)).all())
        sent_before = len(catcher.messages())
        result = dispatcher(as_of=moment)
        with rt.session() as session:
            assert len(session.exec(select(Event)).all()) == before
        assert len(catcher.messages()) == sent_before
        assert result["phases"] == [] and result["delivery"]["sent"] == 0


def _mail_log(catcher: MailCatcher) -> list[tuple[str, str, str]]:
    rows = []
    for m in catcher.messages():
        sent = to_local(m["Date"].datetime)
        rows.append((f"{sent:%Y-%m-%d %H:%M}", str(m["X-Arshjul-Key"]).split(":")[0], m["To"].addresses[0].addr_spec))
    return rows


def test_starting_mid_year_skips_phases_that_already_closed_without_inviting_anyone(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    moment = local_moment(date(2027, 11, 22), time(10, 0))
    clock.set(moment)
    dispatcher(as_of=moment)
    with rt.session() as session:
        kinds = [(e.kind, e.phase_key) for e in session.exec(select(Event).where(col(Event.phase_key).is_not(None)))]
        assert session.exec(select(Assignment)).all() == []
    assert kinds == [
        ("phase.skipped", "january-evaluation"),
        ("phase.skipped", "spring-input"),
        ("phase.skipped", "september-draft"),
    ]
    assert catcher.messages() == []


def test_a_phase_that_fails_to_open_does_not_stop_the_mail_of_everything_else(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    (rt.settings.data_dir / "planramme.yaml").write_text("ambitions: [1, 2]\n", encoding="utf-8")
    moment = local_moment(date(2027, 9, 1), time(8, 0))  # September opens and compiles its draft with the frame
    clock.set(moment)
    with rt.session() as session:
        person = session.exec(select(Person).where(Person.email == "siri@testvik.no")).one()
        queue_plain(
            session,
            rt,
            person=person,
            template="sector_complete",
            kind="sector_complete",
            key="waiting",
            now=moment,
            context={
                "sector_name": "Helse og omsorg",
                "task_title": "Innspill",
                "unit_count": 3,
                "review_link": "http://127.0.0.1:9/hr/sektor",
            },
        )
    with pytest.raises(PhaseStepsFailed, match="september-draft 2027"):
        dispatcher(as_of=moment)
    assert [str(m["X-Arshjul-Key"]) for m in catcher.messages()] == ["waiting"]
    with rt.session() as session:
        september = session.exec(select(Phase).where(Phase.key == "september-draft")).one()
        assert september.status.value == "pending"
    (rt.settings.data_dir / "planramme.yaml").unlink()  # HR fixes the frame; the next tick opens the phase
    dispatcher(as_of=moment)
    with rt.session() as session:
        assert session.exec(select(Phase).where(Phase.key == "september-draft")).one().status.value == "open"
