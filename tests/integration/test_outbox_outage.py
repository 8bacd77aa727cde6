"""A relay outage of a day is ridden out: retried with back-off, then everything is delivered once, in queue order.

Beyond the lifetime (ARSHJUL_SMTP__MAX_AGE_HOURS, 3 days by default) the messages are dead and HR gets one summary.
"""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from config.settings import Settings, SmtpSettings
from domain.clock import ManualClock
from domain.models import OutboxMessage, OutboxStatus, Person
from notifications.catcher import MailCatcher
from notifications.templating import RenderedEmail
from tasks.outbox.delivery import DeliveryStats, deliver_due, next_pending_at
from tasks.outbox.enqueue import enqueue
from tasks.outbox.summary import KIND
from tasks.runtime import Runtime
from tasks.store.db import session_scope

TICK = timedelta(minutes=5)  # the dispatcher's interval


class Relay(MailCatcher):
    """A relay that answers every message with 421 while it is `down`, and accepts it otherwise."""

    down = False

    def _receive(self, raw: bytes, peer: Any) -> str:
        return "421 4.3.2 Service not available" if self.down else super()._receive(raw, peer)


def queue(rt: Runtime, count: int, start: int = 0) -> list[str]:
    keys = []
    with session_scope(rt.engine) as session:
        for n in range(start, start + count):
            person = Person(name=f"Leder {n}", email=f"leder{n}@testvik.no")
            session.add(person)
            session.flush()
            key = f"receipt:{person.id}"
            email = RenderedEmail(f"Kvittering {n}", "T\n", "<p>H</p>")
            enqueue(session, key=key, kind="receipt", to=person, email=email, now=rt.now(),
                    from_address=rt.settings.smtp.from_address)  # fmt: skip
            keys.append(key)
    return keys


def run(rt: Runtime, smtp: SmtpSettings) -> DeliveryStats:
    """One dispatcher run's delivery, with the dead-letter summary for HR."""
    return deliver_due(rt.engine, smtp, as_of=rt.now(), report_to=rt.settings)


def statuses(rt: Runtime) -> Counter[tuple[str, OutboxStatus]]:
    with session_scope(rt.engine) as session:
        return Counter((m.kind, m.status) for m in session.exec(select(OutboxMessage)))


def test_a_day_without_the_relay_is_retried_with_backoff_then_all_delivered_once_in_queue_order(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    port = catcher.port
    catcher.stop()  # the first half of the day: nothing listens at all
    smtp = rt.settings.smtp.model_copy(update={"concurrency": 1})
    keys = queue(rt, 40)
    outage_ends = rt.now() + timedelta(days=1)
    tried_at: list[datetime] = []
    with Relay(port=port) as relay:
        relay.stop()
        while rt.now() < outage_ends:
            if rt.now() >= outage_ends - timedelta(hours=12) and relay.down is False:
                relay.down = True  # the second half: it answers, but with 421 to every message
                relay.start()
            if (rt.now().minute == 0 and rt.now().hour % 3 == 0) or rt.now() == outage_ends - timedelta(minutes=10):
                keys += queue(rt, 2, start=len(keys))  # the year goes on: more mail is queued during the outage
            stats = run(rt, smtp)
            assert (stats.sent, stats.dead) == (0, 0)
            if stats.retrying:
                tried_at.append(rt.now())
            clock.advance(TICK)
        assert relay.messages() == []
        relay.down = False
        stats = run(rt, smtp)  # the relay is back: the next run whose time has come sends everything
        while stats.sent == 0:
            clock.advance(TICK)
            stats = run(rt, smtp)
        received = [str(m["X-Arshjul-Key"]) for m in relay.messages()]
    gaps = [later - earlier for earlier, later in itertools.pairwise(tried_at)]
    assert received == keys  # every message, once, in the order it was queued
    assert statuses(rt) == Counter({("receipt", OutboxStatus.SENT): len(keys)})  # no dead letter, no summary
    assert gaps[0] <= timedelta(minutes=5) and max(gaps) <= timedelta(hours=1, minutes=5)
    assert len(tried_at) <= 60  # backed off: not every one of the 288 runs of the day went to the relay
    print(f"outage 24 h: {len(keys)} queued, {len(tried_at)} runs tried the relay, {len(received)} delivered once")


def test_past_the_lifetime_messages_are_dead_and_hr_gets_one_summary(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ARSHJUL_SMTP__MAX_AGE_HOURS", "72")
    assert Settings(_env_file=None).smtp.max_age_hours == 72 == SmtpSettings().max_age_hours  # the default: 3 days
    catcher.fail_next(421, count=10_000)
    smtp = rt.settings.smtp
    keys = queue(rt, 30)
    start, runs = rt.now(), 0
    while statuses(rt)[("receipt", OutboxStatus.DEAD)] == 0:
        stats = run(rt, smtp)
        runs += 1
        assert stats.sent == 0
        if rt.now() < start + timedelta(hours=smtp.max_age_hours):
            assert stats.dead == 0, rt.now() - start
        with session_scope(rt.engine) as session:
            moment = next_pending_at(session)
        assert moment is not None and runs < 200
        clock.set(max(moment, rt.now()))
    assert rt.now() - start == timedelta(hours=72)  # the last try falls exactly on the end of the lifetime
    assert statuses(rt) == Counter({("receipt", OutboxStatus.DEAD): 30, (KIND, OutboxStatus.PENDING): 1})
    with session_scope(rt.engine) as session:
        dead = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "receipt")).all()
        (summary,) = session.exec(select(OutboxMessage).where(OutboxMessage.kind == KIND)).all()
    assert all(m.last_error.startswith("gitt opp etter 3 døgn; siste svar: ") for m in dead), dead[0].last_error
    assert summary.to_address == "hr@testvik.no" and summary.subject == "30 e-poster kunne ikke leveres"
    assert all(f"Nr. {m.id} til {m.to_address}" in summary.body_text for m in dead)

    # Run again at the same moment (a retried dispatcher run), then with the relay back: still one summary, sent once.
    run(rt, smtp)
    catcher.clear()
    clock.advance(TICK)
    assert run(rt, smtp).sent == 1
    assert [str(m["X-Arshjul-Key"]) for m in catcher.messages()] == [summary.idempotency_key]
    assert statuses(rt)[(KIND, OutboxStatus.SENT)] == 1 and len(keys) == 30
    print(f"lifetime 72 h: 30 dead after {runs} runs, 1 summary to HR")


def test_a_permanent_refusal_is_dead_at_once_and_reported_once_per_run(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    queue(rt, 5)
    catcher.fail_next(550, count=3)
    stats = run(rt, rt.settings.smtp)
    assert (stats.sent, stats.dead) == (2, 3)
    with session_scope(rt.engine) as session:
        summaries = session.exec(select(OutboxMessage).where(OutboxMessage.kind == KIND)).all()
        ids = session.exec(
            select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.DEAD).order_by(col(OutboxMessage.id))
        ).all()
    assert len(summaries) == 1 and summaries[0].subject == "3 e-poster kunne ikke leveres"
    assert [line for line in summaries[0].body_text.splitlines() if "550" in line] == [
        "  Grunn: 550 simulated failure"
    ] * 3
    assert len(ids) == 3
