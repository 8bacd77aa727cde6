"""The weekly digest to each kommunalsjef and the summary to HR: when, to whom, what, and only once a week."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from domain.aarshjul.model import WeeklyDigest
from domain.aarshjul.workdays import local_moment, to_local
from domain.clock import ManualClock
from domain.models import Assignment, AssignmentState, Event, OutboxMessage, Person, Phase
from notifications.catcher import MailCatcher
from notifications.templating import Language, render_email
from tasks.cycle.dispatch import deliver_outbox_task, next_due, open_phase_task, plan_tick
from tasks.notices.digest import DigestStats, digest_moment, next_digest_at, queue_digests
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.org import build_small_org


def oslo(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return local_moment(day, time(hour, minute))


@pytest.fixture
def january(rt: Runtime, clock: ManualClock) -> None:
    """Testvik with the January evaluation opened on Monday 4 January 2027 at 08:00."""
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
    opening = oslo(date(2027, 1, 4), 8)
    clock.set(opening)
    for step in plan_tick.fn(opening):
        assert step.action == "open"
        open_phase_task.fn(step.key, step.year, opening)


def digests_at(rt: Runtime, clock: ManualClock, moment: datetime) -> DigestStats:
    clock.set(moment)
    with rt.session() as session:
        return queue_digests(session, rt, moment)


def set_state(rt: Runtime, unit_id: str, state: AssignmentState) -> None:
    with rt.session() as session:
        for assignment in session.exec(select(Assignment).where(Assignment.unit_id == unit_id)):
            assignment.state = state


@pytest.mark.parametrize(
    ("week", "expected"),
    [
        (2, datetime(2027, 1, 11, 9)),  # an ordinary Monday
        (13, datetime(2027, 3, 30, 9)),  # Easter Monday → Tuesday
        (20, datetime(2027, 5, 18, 9)),  # 17 May (and Whit Monday) → Tuesday
        (43, datetime(2027, 10, 25, 9)),  # the week DST ends: still 09:00 Oslo
    ],
)
def test_the_digest_goes_out_on_monday_at_nine_or_the_next_working_day(
    rt: Runtime, week: int, expected: datetime
) -> None:
    moment = digest_moment(rt.aarshjul, 2027, week)
    assert moment is not None and to_local(moment).replace(tzinfo=None) == expected


def test_the_digest_weekday_and_time_are_configurable_and_a_closed_week_has_none(rt: Runtime) -> None:
    digest = WeeklyDigest.model_validate({"weekday": "onsdag", "send_time": "10:30"})
    wednesday = rt.aarshjul.model_copy(update={"weekly_digest": digest})
    moment = digest_moment(wednesday, 2027, 2)
    assert moment is not None and to_local(moment).replace(tzinfo=None) == datetime(2027, 1, 13, 10, 30)
    digest = WeeklyDigest.model_validate({"weekday": "friday"})
    friday = rt.aarshjul.model_copy(update={"closed_days": ["12-31"], "weekly_digest": digest})
    assert digest_moment(friday, 2027, 52) is None  # Friday 31 December closed and nothing left that week


@pytest.mark.usefixtures("january")
def test_each_kommunalsjef_and_hr_get_one_digest_a_week(rt: Runtime, clock: ManualClock) -> None:
    assert digests_at(rt, clock, oslo(date(2027, 1, 4), 9)) == DigestStats()  # the phase opened that morning
    assert digests_at(rt, clock, oslo(date(2027, 1, 11), 8, 59)) == DigestStats()
    set_state(rt, "V1", AssignmentState.ANSWERED)
    assert digests_at(rt, clock, oslo(date(2027, 1, 11))) == DigestStats(sectors=1, hr=1)
    assert digests_at(rt, clock, oslo(date(2027, 1, 11), 15)) == DigestStats()
    assert digests_at(rt, clock, oslo(date(2027, 1, 15), 11)) == DigestStats()
    assert digests_at(rt, clock, oslo(date(2027, 1, 18), 10)) == DigestStats(sectors=1, hr=1)
    with rt.session() as session:
        people = {p.id: p.email for p in session.exec(select(Person))}
        messages = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
        events = session.exec(select(Event).where(Event.kind == "digest.queued").order_by(col(Event.id))).all()
    digests = [(m.kind, m.to_address, m.idempotency_key) for m in messages if m.kind in ("digest", "hr_summary")]
    ids = {email: person_id for person_id, email in people.items()}
    assert digests == [
        ("hr_summary", "hr@testvik.no", f"digest:{ids['hr@testvik.no']}:2027-W02"),
        ("digest", "siri@testvik.no", f"digest:{ids['siri@testvik.no']}:2027-W02"),
        ("hr_summary", "hr@testvik.no", f"digest:{ids['hr@testvik.no']}:2027-W03"),
        ("digest", "siri@testvik.no", f"digest:{ids['siri@testvik.no']}:2027-W03"),
    ]
    assert [(e.payload["scope"], e.payload["answered"], e.payload["total"]) for e in events[:2]] == [
        ("hr", 1, 3),
        ("sector", 1, 3),
    ]


@pytest.mark.usefixtures("january")
def test_no_digest_once_everyone_has_answered_or_after_the_phase_closed(rt: Runtime, clock: ManualClock) -> None:
    for unit in ("V1", "V2"):
        set_state(rt, unit, AssignmentState.ANSWERED)
    set_state(rt, "V3", AssignmentState.EXCUSED)
    assert digests_at(rt, clock, oslo(date(2027, 1, 11))) == DigestStats()
    with rt.session() as session:
        assert next_digest_at(session, rt, clock.now()) is None


@pytest.mark.usefixtures("january")
def test_the_simulated_clock_stops_at_the_digest_moment(rt: Runtime, clock: ManualClock) -> None:
    clock.set(oslo(date(2027, 1, 8), 16))
    with rt.session() as session:
        assert next_digest_at(session, rt, clock.now()) == oslo(date(2027, 1, 11))
        assert next_due(session, rt, clock.now()) == oslo(date(2027, 1, 11))


@pytest.mark.usefixtures("january")
def test_the_digests_arrive_with_the_sector_table_and_the_hr_summary(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    set_state(rt, "V1", AssignmentState.ANSWERED)
    set_state(rt, "V3", AssignmentState.OVERDUE)
    moment = oslo(date(2027, 1, 11))
    digests_at(rt, clock, moment)
    deliver_outbox_task.fn(moment)
    received = {m["To"].addresses[0].addr_spec: m for m in catcher.messages()}
    chief, hr = received["siri@testvik.no"], received["hr@testvik.no"]
    assert str(chief["Subject"]) == "Ukestatus for Helse og omsorg: 1 av 3 svar mottatt"
    text = chief.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "- Enhet 1 – Evaluering av fjorårets tiltak: Besvart (frist fredag 26. februar 2027)" in text
    assert "- Enhet 3 – Evaluering av fjorårets tiltak: Over fristen (frist fredag 26. februar 2027)" in text
    assert str(hr["Subject"]) == "Ukesammendrag for Testvik kommune: 1 av 3 svar mottatt"
    summary = hr.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "- Helse og omsorg: 1 av 3" in summary
    assert "- Enhet 2 (Helse og omsorg), Leder 2 – Evaluering av fjorårets tiltak: Ikke besvart" in summary
    assert "Enhet 1 (Helse og omsorg)" not in summary  # only the outstanding units are listed
    assert "http://127.0.0.1:9/hr" in summary


SUMMARY: dict[str, Any] = {
    "recipient_name": "Hanne",
    "scope_name": "Fjordvik kommune",
    "answered": 1,
    "total": 2,
    "week": "2027-W02",
    "sectors": [{"name": "Oppvekst", "answered": 1, "total": 2}],
    "outstanding": [
        {
            "unit_name": "Fjordvik skole <b>",
            "sector_name": "Oppvekst",
            "leader_name": "Per",
            "task_title": "Kompetanseinnspill",
            "state": "overdue",
            "deadline": datetime(2027, 4, 30, 13, 0, tzinfo=to_local(oslo(date(2027, 4, 30))).tzinfo),
        }
    ],
    "console_link": "https://arshjul.example/hr",
}


@pytest.mark.parametrize(
    ("language", "subject", "phrase"),
    [
        ("nb", "Ukesammendrag for Fjordvik kommune: 1 av 2 svar mottatt", "Ikke besvart ennå:"),
        ("nn", "Vekesamandrag for Fjordvik kommune: 1 av 2 svar motteke", "Ikkje svara enno:"),
        ("en", "Weekly summary for Fjordvik kommune: 1 of 2 answers received", "Not answered yet:"),
    ],
)
def test_the_hr_summary_speaks_bokmal_nynorsk_and_english(language: Language, subject: str, phrase: str) -> None:
    email = render_email("hr_summary", language, SUMMARY)
    assert email.subject == subject
    assert phrase in email.text and "Fjordvik skole <b>" in email.text
    assert (
        "Fjordvik skole &lt;b&gt;" in email.html and "<b>" not in email.html.split("<body", 1)[1].split("<strong>")[0]
    )
    assert f'<html lang="{language}">' in email.html
    assert {"nb": "Over fristen", "nn": "Over fristen", "en": "Overdue"}[language] in email.text


def test_phase_rows_come_from_open_unit_phases_only(rt: Runtime, clock: ManualClock) -> None:
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
    opening = oslo(date(2027, 3, 1), 8)  # January evaluation (opened late) and spring input, a tillitsvalgt asked too
    clock.set(opening)
    for step in plan_tick.fn(opening):
        open_phase_task.fn(step.key, step.year, opening)
    with rt.session() as session:
        open_keys = [p.key for p in session.exec(select(Phase).where(col(Phase.opened_at).is_not(None)))]
    assert sorted(open_keys) == ["january-evaluation", "spring-input"]
    monday = oslo(date(2027, 3, 8))
    assert digests_at(rt, clock, monday) == DigestStats(sectors=1, hr=1)
    with rt.session() as session:
        event = session.exec(select(Event).where(Event.kind == "digest.queued")).first()
    assert event is not None and event.payload["total"] == 6  # three units in two phases; not the tillitsvalgt
    assert digests_at(rt, clock, monday + timedelta(days=7)) == DigestStats(sectors=1, hr=1)
