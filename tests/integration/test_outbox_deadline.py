"""A moved deadline: the "Ny frist" notice in three languages, and a calendar event that updates, not duplicates."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlmodel import select

from domain.aarshjul.workdays import local_moment
from domain.clock import ManualClock
from domain.models import Assignment, OutboxMessage, Person
from notifications.catcher import MailCatcher
from notifications.templating import Language, render_email
from tasks.cycle.dispatch import deliver_outbox_task, open_phase_task, plan_tick
from tasks.org.people import ensure_hr
from tasks.outbox.mail import queue_assignment_notice
from tasks.runtime import Runtime
from tests.support.org import build_small_org


def calendar_of(message: Any) -> dict[str, str]:
    """UID, SEQUENCE and DTSTART of the one event in the message's calendar attachment."""
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    content = part.get_content()
    text = re.sub(r"\r\n[ \t]", "", content if isinstance(content, str) else content.decode())
    return {k: v for k, v in re.findall(r"^(UID|SEQUENCE|DTSTART):(.*?)\r?$", text, re.MULTILINE)}


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_a_moved_deadline_sends_ny_frist_with_the_same_uid_and_a_higher_sequence(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, language: str
) -> None:
    with rt.session() as session:
        build_small_org(session, language=language)
        ensure_hr(session, rt.settings)
    opening = local_moment(date(2027, 1, 4), time(8))
    clock.set(opening)
    for step in plan_tick.fn(opening):
        open_phase_task.fn(step.key, step.year, opening)
    deliver_outbox_task.fn(opening)

    moved = local_moment(date(2027, 3, 12), time(15))
    clock.set(opening + timedelta(days=10))
    with rt.session() as session:
        leader = session.exec(select(Person).where(Person.email == "leder1@testvik.no")).one()
        assignment = session.exec(select(Assignment).where(Assignment.assignee_id == leader.id)).one()
        assignment.due_at, assignment.deadline_sequence = moved, assignment.deadline_sequence + 1
        message = queue_assignment_notice(session, rt, person=leader, assignments=[assignment], kind="deadline_changed",
                                    key=f"deadline:{assignment.id}:1", now=rt.now())  # fmt: skip
        assert message is not None and message.kind == "deadline_changed"
    deliver_outbox_task.fn(rt.now())

    to_leader = [m for m in catcher.messages() if m["To"].addresses[0].addr_spec == "leder1@testvik.no"]
    invitation, notice = (calendar_of(m) for m in to_leader)
    assert notice["UID"] == invitation["UID"]
    assert (int(invitation["SEQUENCE"]), int(notice["SEQUENCE"])) == (0, 1)
    assert notice["DTSTART"] == "20270312T140000Z" != invitation["DTSTART"]
    subject = str(to_leader[1]["Subject"])
    assert (
        subject
        == {
            "nb": "Ny frist: evaluering av fjorårets tiltak for Enhet 1 – fredag 12. mars",
            "nn": "Ny frist: evaluering av tiltaka i fjor for Enhet 1 – fredag 12. mars",
            "en": "New deadline: Evaluation of last year's measures for Enhet 1 – Friday 12 March",
        }[language]
    )
    with rt.session() as session:
        stored = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "deadline_changed")).one()
    assert stored.status == "sent"


def notice(count: int) -> dict[str, Any]:
    deadline = datetime(2027, 5, 14, 13, 0, tzinfo=UTC)
    return {
        "recipient_name": "Kari <Nordmann>",
        "kind": "deadline_changed",
        "tasks": [
            {
                "title": "Kompetanseinnspill",
                "unit_name": f"Enhet {n}",
                "deadline": deadline + timedelta(days=n),
                "link": f"https://arshjul.example/svar/{n}",
                "what": "Beskriv behovet.",
            }
            for n in range(count)
        ],
        "contact_name": "HR",
        "contact_email": "hr@testvik.no",
        "municipality": "Testvik kommune",
    }


@pytest.mark.parametrize(
    ("language", "subject", "intro", "label"),
    [
        ("nb", "Ny frist: 2 oppgaver i årshjulet", "Fristen for 2 oppgaver i årshjulet er endret.", "Ny frist:"),
        ("nn", "Ny frist: 2 oppgåver i årshjulet", "Fristen for 2 oppgåver i årshjulet er endra.", "Ny frist:"),
        ("en", "New deadline: 2 tasks in Årshjul", "The deadline for 2 tasks in Årshjul has changed.", "New deadline:"),
    ],
)
def test_the_ny_frist_notice_in_bokmal_nynorsk_and_english(
    language: Language, subject: str, intro: str, label: str
) -> None:
    email = render_email("task_notice", language, notice(2))
    assert email.subject.startswith(subject)
    assert intro in email.text and intro in email.html
    assert email.text.count(label) == 2 and "https://arshjul.example/svar/1" in email.text
    assert "Kari &lt;Nordmann&gt;" in email.html


def test_an_unknown_notice_kind_is_refused(rt: Runtime) -> None:
    with rt.session() as session, pytest.raises(ValueError, match="unknown task notice kind"):
        queue_assignment_notice(session, rt, person=Person(name="X", email="x@testvik.no"), assignments=[],
                          kind="deadline_moved", key="k", now=rt.now())  # fmt: skip
