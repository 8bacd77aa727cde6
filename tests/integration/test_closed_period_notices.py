"""Fellesferie in the årshjul file: invitations, reminders, the deadline, overdue notices and escalations all step
around it through the real notice queueing and a real SMTP server, as they step around weekends and holidays."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlmodel import select

from domain.aarshjul.closed_periods import parse_closed_period
from domain.aarshjul.model import PhaseConfig
from domain.aarshjul.workdays import to_local
from domain.clock import ManualClock
from domain.models import Assignment
from notifications.catcher import MailCatcher
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.integration.test_outbox_notices import PHASE, at, mails, run_days
from tests.support.org import build_small_org

FELLESFERIE = {"name": "Fellesferie", "period": "uke 28–30"}  # 12 July – 1 August 2027


@pytest.fixture
def summer(rt: Runtime) -> Runtime:
    phase = PhaseConfig.model_validate(PHASE | {"opens": "2027-06-21", "due": "2027-07-14", "closes": "2027-08-31",
                                                "reminders": [5, 1]})  # fmt: skip
    digest = rt.aarshjul.weekly_digest.model_copy(update={"enabled": False})
    closed = [parse_closed_period(FELLESFERIE)]
    rt.aarshjul = rt.aarshjul.model_copy(update={"phases": [phase], "weekly_digest": digest, "closed_periods": closed})
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
    return rt


def test_fellesferie_pushes_the_deadline_and_every_notice_out_of_the_holiday(
    summer: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    run_days(clock, date(2027, 6, 21), date(2027, 8, 20), hours=(9, 12))
    with summer.session() as session:
        assert {to_local(a.due_at) for a in session.exec(select(Assignment))} == {at(date(2027, 8, 2), 15)}
    assert [(when, kind) for when, kind, _ in mails(catcher, "leder1@testvik.no")] == [
        (at(date(2027, 6, 21)), "invitation"),
        (at(date(2027, 7, 5)), "reminder"),  # 5 working days before 2 August: 9, 8, 7, 6 and 5 July
        (at(date(2027, 7, 9)), "reminder"),  # 1 working day before: the Friday before the holiday, not 30 July
        (at(date(2027, 8, 3)), "overdue"),
    ]
    assert [(when, kind) for when, kind, _ in mails(catcher, "siri@testvik.no")] == [
        (at(date(2027, 8, 5)), "escalate_sector")
    ]
    assert [(when, kind) for when, kind, _ in mails(catcher, "hr@testvik.no")] == [
        (at(date(2027, 8, 12)), "escalate_hr")
    ]
    for when, _, _ in mails(catcher):
        assert not date(2027, 7, 12) <= when.date() <= date(2027, 8, 1)
        assert when.weekday() < 5 and time(8) <= when.time() < time(16)
