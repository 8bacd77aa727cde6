"""The real dispatcher flow through an SMTP outage: every message of the year's first weeks arrives exactly once."""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time

import pytest
from sqlmodel import select

from domain.aarshjul.workdays import local_moment
from domain.clock import ManualClock
from domain.models import OutboxMessage, OutboxStatus
from flows.dispatcher import dispatcher
from notifications.catcher import MailCatcher
from tasks.cycle.dispatch import next_due
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.org import build_small_org

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]


def step(rt: Runtime, clock: ManualClock, before: datetime | None = None) -> bool:
    """Run the dispatcher at the next due moment, if there is one (before `before`)."""
    with rt.session() as session:
        moment = next_due(session, rt, clock.now())
    if moment is None or (before is not None and moment >= before):
        return False
    clock.set(moment)
    dispatcher(as_of=moment)
    return True


def test_an_smtp_outage_on_opening_day_delays_but_never_loses_or_doubles_mail(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
    port = catcher.port
    catcher.stop()
    opening = local_moment(date(2027, 1, 4), time(8))
    clock.set(opening)
    assert dispatcher(as_of=opening)["delivery"]["retrying"] == 3
    step(rt, clock)  # 08:01, the first retry: still down
    step(rt, clock)  # 08:03
    with MailCatcher(port=port) as revived:
        while step(rt, clock, before=local_moment(date(2027, 1, 19), time(0))):
            pass
        keys = Counter(str(m["X-Arshjul-Key"]) for m in revived.messages())
    with rt.session() as session:
        statuses = Counter(m.status for m in session.exec(select(OutboxMessage)))
    assert max(keys.values()) == 1
    assert statuses == {OutboxStatus.SENT: len(keys)}
    assert sorted(k.split(":")[0] for k in keys) == ["digest"] * 4 + ["invitation"] * 3
