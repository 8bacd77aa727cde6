"""HR's "remind everyone who has not answered, now": the preview, one email per person, CLI and console."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from arshjul.cli import main
from config.settings import get_settings
from domain.aarshjul.workdays import local_moment
from domain.clock import ManualClock
from domain.models import Assignment, AssignmentState, Event, OrgUnit, OutboxMessage, Person, Role, RoleKind, UnitLevel
from notifications.catcher import MailCatcher
from tasks.cycle.dispatch import deliver_outbox_task, open_phase_task, plan_tick
from tasks.notices.manual import ReminderRefused, preview_reminders, send_reminders_now
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.org import build_small_org
from web.app import create_app


def oslo(day: date, hour: int, minute: int = 0) -> datetime:
    return local_moment(day, time(hour, minute))


@pytest.fixture
def spring(rt: Runtime, clock: ManualClock, catcher: MailCatcher) -> None:
    """Spring input open since Monday 1 March 2027; Leder 1 also leads Enhet 9 and has answered for Enhet 1."""
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
        session.add(OrgUnit(id="V9", name="Enhet 9", parent_id="S1", level=UnitLevel.VIRKSOMHET))
        leader = session.exec(select(Person).where(Person.email == "leder1@testvik.no")).one()
        assert leader.id is not None
        session.add(Role(person_id=leader.id, kind=RoleKind.UNIT_LEADER, unit_id="V9"))
    opening = oslo(date(2027, 3, 1), 8)
    clock.set(opening)
    for step in plan_tick.fn(opening):
        open_phase_task.fn(step.key, step.year, opening)
    deliver_outbox_task.fn(opening)
    catcher.clear()  # the invitations
    with rt.session() as session:
        done = session.exec(select(Assignment).where(Assignment.unit_id == "V1", Assignment.form == "input")).one()
        done.state = AssignmentState.ANSWERED
    clock.set(oslo(date(2027, 3, 2), 10))


def preview(rt: Runtime) -> list[tuple[str, list[str | None]]]:
    with rt.session() as session:
        found = preview_reminders(session, rt, "spring-input", 2027)
        return [(person.email, [a.unit_id for a in tasks]) for person, tasks in found]


def queued(rt: Runtime) -> list[OutboxMessage]:
    with rt.session() as session:
        query = select(OutboxMessage).where(col(OutboxMessage.idempotency_key).startswith("manual:"))
        return list(session.exec(query.order_by(col(OutboxMessage.id))))


EXPECTED = [
    ("leder1@testvik.no", ["V9"]),  # Enhet 1 is answered
    ("leder2@testvik.no", ["V2"]),
    ("leder3@testvik.no", ["V3"]),
    ("tora@testvik.no", ["K"]),
]


@pytest.mark.usefixtures("spring")
def test_the_preview_lists_each_person_once_with_their_unanswered_tasks(rt: Runtime) -> None:
    assert preview(rt) == EXPECTED
    assert queued(rt) == []
    with rt.session() as session, pytest.raises(ReminderRefused, match="ikke åpen"):
        preview_reminders(session, rt, "september-draft", 2027)


@pytest.mark.usefixtures("spring")
def test_sending_queues_one_combined_email_per_person_and_records_manual_reminders(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    with rt.session() as session:
        leader = session.exec(select(Person).where(Person.email == "leder1@testvik.no")).one()
    with rt.session() as session:
        result = send_reminders_now(session, rt, "spring-input", 2027, actor="HR (test)", now=rt.now())
    assert [(p.email, [a.unit_id for a in tasks]) for p, tasks in result.recipients] == EXPECTED
    assert result.goes_out_at == rt.now()
    with rt.session() as session:
        again = send_reminders_now(session, rt, "spring-input", 2027, actor="HR (test)", now=rt.now())
    assert again.recipients == []  # a double click in the same second queues nothing more
    messages = queued(rt)
    assert messages[0].idempotency_key == f"manual:{leader.id}:20270302T090000"  # 10:00 Oslo, in UTC
    assert len(messages) == 4
    with rt.session() as session:
        events = session.exec(select(Event).where(Event.kind == "reminder.queued")).all()
        states = {a.unit_id: a.state for a in session.exec(select(Assignment).where(Assignment.form == "input"))}
    assert len(events) == 4 and all(e.payload["manual"] is True and e.actor == "HR (test)" for e in events)
    assert states == {"V1": "answered", "V2": "reminded", "V3": "reminded", "V9": "reminded", "K": "reminded"}
    deliver_outbox_task.fn(rt.now())
    subjects = {m["To"].addresses[0].addr_spec: str(m["Subject"]) for m in catcher.messages() if "manual" in
                str(m["X-Arshjul-Key"])}  # fmt: skip
    assert subjects["leder2@testvik.no"] == "Påminnelse: kompetanseinnspill for Enhet 2 – frist fredag 30. april"
    assert len(subjects) == 4


@pytest.mark.usefixtures("spring")
def test_asked_after_office_hours_the_reminders_wait_for_the_next_working_morning(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    friday_evening = oslo(date(2027, 3, 5), 20)
    clock.set(friday_evening)
    with rt.session() as session:
        result = send_reminders_now(session, rt, "spring-input", 2027, actor="HR", now=rt.now())
    assert result.goes_out_at == oslo(date(2027, 3, 8), 8)
    deliver_outbox_task.fn(friday_evening)
    assert catcher.messages() == []
    clock.set(result.goes_out_at)
    deliver_outbox_task.fn(result.goes_out_at)
    assert len(catcher.messages()) == 4


@pytest.fixture
def cli(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("spring", "cli")
def test_the_remind_command_previews_unless_told_yes(rt: Runtime, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["remind", "--phase", "spring-input", "--year", "2027"]) == 0
    out = capsys.readouterr().out
    assert "Leder 2 <leder2@testvik.no>" in out and "Enhet 9: ikke besvart, frist fredag 30. april 2027" in out
    assert "4 personer med 4 ubesvarte oppgaver" in out and "--yes" in out
    assert queued(rt) == []
    assert main(["remind", "--phase", "spring-input", "--year", "2027", "--yes"]) == 0
    assert "Påminnelse lagt i utboksen til 4 personer" in capsys.readouterr().out
    assert len(queued(rt)) == 4
    assert main(["remind", "--phase", "december-adoption", "--year", "2027"]) == 1
    assert "ikke åpen" in capsys.readouterr().err


def _login(client: TestClient, rt: Runtime) -> None:
    sign_in_as_hr(client, rt)


@pytest.mark.usefixtures("spring")
def test_the_hr_console_previews_and_sends_behind_login_and_csrf(rt: Runtime) -> None:
    client = TestClient(create_app(rt), follow_redirects=False)
    assert client.get("/hr/purring").headers["location"].startswith("/logg-inn")
    assert client.post("/hr/purring", data={"csrf_token": "x"}).headers["location"].startswith("/logg-inn")
    _login(client, rt)

    page = client.get("/hr/purring?fase=spring-input")
    assert page.status_code == 200 and "Påminnelse til alle som ikke har svart" in page.text
    assert "Leder 3" in page.text and "tora@testvik.no" in page.text and "Send påminnelse til 4 personer" in page.text
    assert "Leder 1" in page.text and "Enhet 9" in page.text and "Enhet 1:" not in page.text
    assert "Kompetanseinnspel" in client.get("/hr/purring?fase=spring-input&lang=nn").text

    forged = client.post("/hr/purring", data={"csrf_token": "0" * 64, "fase": "spring-input", "aar": "2027"})
    assert forged.status_code == 400 and queued(rt) == []
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert csrf
    sent = client.post("/hr/purring", data={"csrf_token": csrf.group(1), "fase": "spring-input", "aar": "2027"})
    assert sent.status_code == 303 and sent.headers["location"] == "/hr/purring?fase=spring-input&sendt=4"
    assert "Påminnelse er lagt i utboksen til 4 personer" in client.get(sent.headers["location"]).text
    assert len(queued(rt)) == 4
    closed = client.post("/hr/purring", data={"csrf_token": csrf.group(1), "fase": "december-adoption", "aar": "2027"})
    assert closed.status_code == 400 and "ikke åpen" in closed.text
