"""A repeating phase through the real Prefect flows on a simulated clock: a monthly follow-up from November into
January, each occurrence its own phase with its task, invitation and reminder, and Christmas week kept closed."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from sqlmodel import col, select

from domain.aarshjul.model import Aarshjul
from domain.aarshjul.workdays import local_moment, to_local
from domain.clock import ManualClock
from domain.models import Assignment, Cycle, Phase, PhaseStatus
from flows.dispatcher import dispatcher
from notifications.catcher import MailCatcher
from tasks.cycle.dispatch import next_due
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.org import build_small_org

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

FOLLOW_UP: dict[str, object] = {
    "key": "monthly-follow-up",
    "title": {"nb": "Månedlig oppfølging", "nn": "Månadleg oppfølging", "en": "Monthly follow-up"},
    "what": {"nb": "Meld status.", "nn": "Meld status.", "en": "Report status."},
    "audience": [{"who": "unit_leaders"}],
    "form": "input",
    "repeat": {"every": "month", "on": "første arbeidsdag", "from": "november", "count": 3},
    "due": "10 arbeidsdager etter opens",
    "closes": "siste arbeidsdag",
    "reminders": [2],
    "overdue_notice": False,
}
KEYS = ["monthly-follow-up-2027-11", "monthly-follow-up-2027-12", "monthly-follow-up-2028-01"]


@pytest.fixture
def monthly(rt: Runtime) -> Runtime:
    data = rt.aarshjul.model_dump(exclude={"written", "closed_periods", "weekly_digest"})
    rt.aarshjul = Aarshjul.model_validate(
        data | {"phases": [FOLLOW_UP], "closed_periods": ["24.12–1.1"], "weekly_digest": {"enabled": False}}
    )
    with rt.session() as session:
        build_small_org(session, units=1)
        ensure_hr(session, rt.settings)
    return rt


def _run(rt: Runtime, clock: ManualClock, end: datetime) -> None:
    dispatcher(as_of=clock.now())
    while True:
        with rt.session() as session:
            moment = next_due(session, rt, clock.now())
        if moment is None or moment > end:
            return
        clock.set(moment)
        dispatcher(as_of=moment)


def test_each_monthly_occurrence_across_new_year_gets_its_task_invitation_and_reminder(
    monthly: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    rt = monthly
    clock.set(local_moment(date(2027, 11, 1), time(0)))
    _run(rt, clock, local_moment(date(2028, 2, 15), time(0)))
    with rt.session() as session:
        rows = session.exec(
            select(Phase, Cycle).join(Cycle).where(Cycle.year == 2027).order_by(col(Phase.position))
        ).all()
        phases = {phase.key: (to_local(phase.opens_at), to_local(phase.due_at), phase.status) for phase, _ in rows}
        tasks = {
            key: count
            for key in KEYS
            if (count := len(session.exec(select(Assignment).join(Phase).where(Phase.key == key)).all()))
        }
    assert list(phases) == KEYS
    assert all(status == PhaseStatus.CLOSED for _, _, status in phases.values())
    # January: 1 January is a holiday and Christmas week is closed until the 1st, so it opens Monday 3 January.
    assert [(opens.date(), due.date()) for opens, due, _ in phases.values()] == [
        (date(2027, 11, 1), date(2027, 11, 15)),
        (date(2027, 12, 1), date(2027, 12, 15)),
        (date(2028, 1, 3), date(2028, 1, 17)),
    ]
    assert tasks == dict.fromkeys(KEYS, 1)
    sent = [
        (to_local(m["Date"].datetime).date(), str(m["X-Arshjul-Key"]).split(":")[0], m["Subject"])
        for m in catcher.messages()
        if m["To"].addresses[0].addr_spec == "leder1@testvik.no"
    ]
    assert [(day, kind) for day, kind, _ in sent] == [
        (date(2027, 11, 1), "invitation"),
        (date(2027, 11, 11), "reminder"),
        (date(2027, 12, 1), "invitation"),
        (date(2027, 12, 13), "reminder"),
        (date(2028, 1, 3), "invitation"),
        (date(2028, 1, 13), "reminder"),
    ]
    assert all(not date(2027, 12, 24) <= day <= date(2028, 1, 1) for day, _, _ in sent)
