"""Reminders through the real notice queueing and a real SMTP server: answered tasks, holidays, DST, one email."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import Session, select

from domain.aarshjul.model import PhaseConfig
from domain.aarshjul.workdays import WorkCalendar, local_moment, to_local
from domain.clock import ManualClock
from domain.models import (
    Assignment,
    AssignmentState,
    Event,
    OrgUnit,
    OutboxMessage,
    OutboxStatus,
    Person,
    Role,
    RoleKind,
    UnitLevel,
)
from domain.states import transition
from notifications.catcher import MailCatcher
from tasks.cycle.dispatch import close_phase_task, deliver_outbox_task, open_phase_task, plan_tick, queue_notices_task
from tasks.org.people import ensure_hr
from tasks.outbox.feed import OutboxFeed
from tasks.runtime import Runtime
from tests.support.org import build_small_org

PHASE: dict[str, Any] = {
    "key": "spring-input",
    "title": {"nb": "Kompetanseinnspill", "nn": "Kompetanseinnspel", "en": "Competence input"},
    "what": {"nb": "Beskriv behovet.", "nn": "Skildra behovet.", "en": "Describe the need."},
    "audience": [{"who": "unit_leaders"}],
    "form": "input",
    "opens": "2027-04-01",
    "due": "2027-05-17",
    "closes": "2027-06-30",
    "reminders": [14, 3, 0],
    "escalation": {"to_sector_leader_after": 3, "to_hr_after": 8},
}
CAL = WorkCalendar()


@pytest.fixture
def org(rt: Runtime) -> None:
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)


def use_phase(rt: Runtime, **changes: Any) -> None:
    """An årshjul with this one unit phase (and no weekly digest, which these tests are not about)."""
    phase = PhaseConfig.model_validate(PHASE | changes)
    digest = rt.aarshjul.weekly_digest.model_copy(update={"enabled": False})
    rt.aarshjul = rt.aarshjul.model_copy(update={"phases": [phase], "weekly_digest": digest})


def tick(clock: ManualClock, moment: datetime) -> None:
    """What the dispatcher does at a moment, step by step, without the Prefect engine."""
    clock.set(moment)
    for step in plan_tick.fn(moment):
        (open_phase_task if step.action == "open" else close_phase_task).fn(step.key, step.year, moment)
    queue_notices_task.fn(moment)
    deliver_outbox_task.fn(moment)


def run_days(clock: ManualClock, first: date, last: date, hours: tuple[int, ...] = (3, 9, 12, 22)) -> None:
    """The scheduler ticking every day, night included, from `first` to `last`."""
    day = first
    while day <= last:
        for hour in hours:
            tick(clock, local_moment(day, time(hour)))
        day += timedelta(days=1)


def mails(catcher: MailCatcher, to: str | None = None) -> list[tuple[datetime, str, str]]:
    """(local send time, kind, recipient) of every message received, optionally for one recipient."""
    rows = []
    for m in catcher.messages():
        address = m["To"].addresses[0].addr_spec
        if to is None or address == to:
            rows.append((to_local(m["Date"].datetime), str(m["X-Arshjul-Key"]).split(":")[0], address))
    return rows


def at(day: date, hour: int = 9) -> datetime:
    return to_local(local_moment(day, time(hour)))


def answer(rt: Runtime, email: str) -> None:
    with rt.session() as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        for assignment in session.exec(select(Assignment).where(Assignment.assignee_id == person.id)):
            assignment.state = transition(assignment.state, AssignmentState.ANSWERED)
            assignment.answered_at = rt.now()


@pytest.mark.usefixtures("org")
def test_a_deadline_on_17_may_moves_every_notice_to_working_days_at_nine(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    use_phase(rt)
    run_days(clock, date(2027, 4, 1), date(2027, 6, 1))
    with rt.session() as session:
        assert {to_local(a.due_at) for a in session.exec(select(Assignment))} == {at(date(2027, 5, 18), 15)}
    assert [(when, kind) for when, kind, _ in mails(catcher, "leder1@testvik.no")] == [
        (at(date(2027, 4, 1)), "invitation"),  # opens 08:00; the 09:00 tick sends it
        (at(date(2027, 4, 26)), "reminder"),  # 14 working days before, skipping Ascension Day (6 May)
        (at(date(2027, 5, 12)), "reminder"),  # 3 working days before
        (at(date(2027, 5, 18)), "reminder"),  # the deadline day: 17 May (also Whit Monday) moved it to the 18th
        (at(date(2027, 5, 19)), "overdue"),
    ]
    assert [(when, kind) for when, kind, _ in mails(catcher, "siri@testvik.no")] == [
        (at(date(2027, 5, 21)), "escalate_sector")  # 3 working days after the deadline
    ]
    assert [(when, kind) for when, kind, _ in mails(catcher, "hr@testvik.no")] == [
        (at(date(2027, 5, 28)), "escalate_hr")  # 8 working days after
    ]
    for when, _, _ in mails(catcher):
        assert CAL.is_working_day(when.date()) and time(8) <= when.time() < time(16)


@pytest.mark.usefixtures("org")
def test_easter_and_the_spring_dst_change_keep_reminders_at_nine_on_working_days(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    # Maundy Thursday 25 March 2027 is a holiday, so is Good Friday and Easter Monday; DST starts on the 28th.
    use_phase(rt, opens="2027-03-01", due="2027-03-25", closes="2027-04-30", reminders=[3, 0], escalation={})
    run_days(clock, date(2027, 3, 1), date(2027, 4, 6))
    sent = [(when, kind) for when, kind, _ in mails(catcher, "leder1@testvik.no")]
    assert sent == [
        (at(date(2027, 3, 1)), "invitation"),
        (at(date(2027, 3, 22)), "reminder"),  # 3 working days before Tuesday 30 March
        (at(date(2027, 3, 30)), "reminder"),
        (at(date(2027, 3, 31)), "overdue"),
    ]
    offsets = [when.utcoffset() for when, _ in sent]
    assert offsets[:2] == [timedelta(hours=1)] * 2 and offsets[2:] == [timedelta(hours=2)] * 2
    ics = _ics(catcher, "leder1@testvik.no", "reminder")
    assert "DTSTART:20270330T130000Z" in ics  # 15:00 summer time


@pytest.mark.usefixtures("org")
def test_the_autumn_dst_change_keeps_reminders_at_nine(rt: Runtime, clock: ManualClock, catcher: MailCatcher) -> None:
    use_phase(rt, opens="2027-10-01", due="2027-11-01", closes="2027-11-30", reminders=[3, 0], escalation={})
    run_days(clock, date(2027, 10, 25), date(2027, 11, 2))
    reminders = [when for when, kind, _ in mails(catcher, "leder1@testvik.no") if kind == "reminder"]
    assert reminders == [at(date(2027, 10, 27)), at(date(2027, 11, 1))]
    assert [when.utcoffset() for when in reminders] == [timedelta(hours=2), timedelta(hours=1)]


@pytest.mark.usefixtures("org")
def test_an_answer_before_the_reminder_moment_means_no_reminder(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    use_phase(rt)
    run_days(clock, date(2027, 4, 1), date(2027, 4, 20))
    answer(rt, "leder1@testvik.no")
    run_days(clock, date(2027, 4, 21), date(2027, 6, 1))
    assert [kind for _, kind, _ in mails(catcher, "leder1@testvik.no")] == ["invitation"]
    assert [kind for _, kind, _ in mails(catcher, "leder2@testvik.no")] == [
        "invitation", "reminder", "reminder", "reminder", "overdue"
    ]  # fmt: skip


@pytest.mark.usefixtures("org")
@pytest.mark.parametrize(
    "when", ["before-delivery", "during-delivery", "server-down"], ids=lambda when: f"answered-{when}"
)
def test_a_reminder_queued_before_the_answer_is_cancelled_not_sent(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch, when: str
) -> None:
    use_phase(rt)
    run_days(clock, date(2027, 4, 1), date(2027, 4, 25))
    moment = local_moment(date(2027, 4, 26), time(9))
    clock.set(moment)
    queue_notices_task.fn(moment)  # queued …
    if when == "during-delivery":  # … answered after the delivery round read the due messages, before the claim
        read_page = OutboxFeed._read_page

        def read_then_answer(feed: OutboxFeed, session: Session) -> None:
            read_page(feed, session)
            answer(rt, "leder1@testvik.no")

        monkeypatch.setattr(OutboxFeed, "_read_page", read_then_answer)
    else:  # … answered before it went out
        answer(rt, "leder1@testvik.no")
    if when == "server-down":  # no connection, so no claim: the round still cancels what is answered
        catcher.stop()
        assert deliver_outbox_task.fn(moment)["cancelled"] == 1
        with rt.session() as session:
            due = session.exec(select(OutboxMessage).where(OutboxMessage.created_at == moment)).all()
        assert {(m.to_address, m.status) for m in due} >= {
            ("leder1@testvik.no", OutboxStatus.CANCELLED),
            ("leder2@testvik.no", OutboxStatus.FAILED),
        }
        return
    deliver_outbox_task.fn(moment)
    assert [kind for _, kind, _ in mails(catcher, "leder1@testvik.no")] == ["invitation"]
    assert [kind for _, kind, _ in mails(catcher, "leder2@testvik.no")] == ["invitation", "reminder"]
    with rt.session() as session:
        cancelled = session.exec(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.CANCELLED)).one()
        event = session.exec(select(Event).where(Event.kind == "email.cancelled")).one()
    assert cancelled.to_address == "leder1@testvik.no" and cancelled.kind == "reminder"
    assert cancelled.last_error == "oppgaven er besvart eller fritatt" == event.payload["reason"]


@pytest.mark.usefixtures("org")
def test_a_leader_of_two_units_gets_one_email_per_moment(rt: Runtime, clock: ManualClock, catcher: MailCatcher) -> None:
    with rt.session() as session:
        session.add(OrgUnit(id="V9", name="Enhet 9", parent_id="S1", level=UnitLevel.VIRKSOMHET))
        leader = session.exec(select(Person).where(Person.email == "leder1@testvik.no")).one()
        assert leader.id is not None
        session.add(Role(person_id=leader.id, kind=RoleKind.UNIT_LEADER, unit_id="V9"))
    use_phase(rt)
    run_days(clock, date(2027, 4, 1), date(2027, 4, 26))
    to_leader = [m for m in catcher.messages() if m["To"].addresses[0].addr_spec == "leder1@testvik.no"]
    assert [str(m["Subject"]) for m in to_leader] == [
        "2 nye oppgaver i årshjulet – første frist tirsdag 18. mai",
        "Påminnelse: 2 oppgaver i årshjulet – første frist tirsdag 18. mai",
    ]
    for message in to_leader:
        ics = _attachment(message)
        assert ics.count("BEGIN:VEVENT") == 2
        text = message.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "Enhet 1" in text and "Enhet 9" in text


def _attachment(message: Any) -> str:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return str(part.get_content() if isinstance(part.get_content(), str) else part.get_content().decode())


def _ics(catcher: MailCatcher, to: str, kind: str) -> str:
    for message in catcher.messages():
        if message["To"].addresses[0].addr_spec == to and str(message["X-Arshjul-Key"]).startswith(f"{kind}:"):
            return re.sub(r"\r\n[ \t]", "", _attachment(message))
    raise AssertionError(f"no {kind} to {to}")
