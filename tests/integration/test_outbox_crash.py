"""Crash safety: a crash between "the server took it" and "marked sent" never sends a second copy by itself."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlmodel import col, select

from arshjul.db import session_scope
from arshjul.runtime import Runtime
from config.settings import SmtpSettings
from domain.clock import ManualClock
from domain.models import Event, OutboxMessage, OutboxStatus, Person
from notifications.catcher import MailCatcher
from notifications.sender import DeliveryResult
from notifications.templating import RenderedEmail
from tasks.outbox import deliver_due, enqueue, next_pending_at
from tasks.outbox_admin import retry
from tasks.outbox_claims import UNCERTAIN_REASON, ClaimTracker


class SimulatedCrash(RuntimeError):
    """The process dies: nothing after this point runs."""


def queue(rt: Runtime, count: int) -> list[str]:
    keys = []
    with session_scope(rt.engine) as session:
        for n in range(count):
            person = Person(name=f"Leder {n}", email=f"leder{n}@testvik.no")
            session.add(person)
            session.flush()
            key = f"invitation:1:{person.id}"
            enqueue(session, key=key, kind="invitation", to=person, email=RenderedEmail(f"S{n}", "T\n", "<p>H</p>"),
                    now=rt.now(), from_address=rt.settings.smtp.from_address)  # fmt: skip
            keys.append(key)
    return keys


def by_key(rt: Runtime) -> dict[str, OutboxMessage]:
    with session_scope(rt.engine) as session:
        return {m.idempotency_key: m for m in session.exec(select(OutboxMessage))}


def one_at_a_time(rt: Runtime) -> SmtpSettings:
    return rt.settings.smtp.model_copy(update={"concurrency": 1})


def test_a_crash_after_the_server_accepted_never_sends_a_second_copy(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second, third = queue(rt, 3)
    smtp = one_at_a_time(rt)

    def die(self: ClaimTracker, result: DeliveryResult) -> None:
        raise SimulatedCrash(result.key)

    with monkeypatch.context() as patch:
        patch.setattr(ClaimTracker, "record", die)
        with pytest.raises(SimulatedCrash):
            deliver_due(rt.engine, smtp, as_of=rt.now())
    assert [str(m["X-Arshjul-Key"]) for m in catcher.messages()] == [first]
    state = by_key(rt)
    assert state[first].status == OutboxStatus.SENDING and state[first].attempt_token
    assert {state[second].status, state[third].status} == {OutboxStatus.PENDING}

    # The process comes back at once: the others go out, the claimed one is left alone while its claim stands.
    stats = deliver_due(rt.engine, smtp, as_of=rt.now())
    assert (stats.sent, stats.uncertain) == (2, 0)
    assert by_key(rt)[first].status == OutboxStatus.SENDING
    with session_scope(rt.engine) as session:
        assert next_pending_at(session) == state[first].next_attempt_at  # the simulated clock comes back for it

    # Once the claim has expired it is resolved conservatively: a dead letter with the reason, not a resend.
    clock.advance(timedelta(minutes=15))
    stats = deliver_due(rt.engine, smtp, as_of=rt.now())
    assert (stats.sent, stats.uncertain) == (0, 1)
    keys = [str(m["X-Arshjul-Key"]) for m in catcher.messages()]
    assert sorted(keys) == sorted([first, second, third]) and len(keys) == 3
    stuck = by_key(rt)[first]
    assert stuck.status == OutboxStatus.DEAD and stuck.last_error == UNCERTAIN_REASON and stuck.attempt_token is None
    with session_scope(rt.engine) as session:
        uncertain = session.exec(select(Event).where(Event.kind == "email.uncertain")).one()
    assert uncertain.payload["key"] == first

    # HR may send it again; it keeps its Message-ID, so a receiver that got the first copy can tell.
    with session_scope(rt.engine) as session:
        assert stuck.id is not None
        retry(session, stuck.id, now=rt.now(), actor="HR")
    assert deliver_due(rt.engine, smtp, as_of=rt.now()).sent == 1
    copies = [m for m in catcher.messages() if str(m["X-Arshjul-Key"]) == first]
    assert len(copies) == 2 and copies[0]["Message-ID"] == copies[1]["Message-ID"] == stuck.message_id


def test_a_crash_before_anything_was_handed_over_loses_nothing(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = queue(rt, 3)

    def die(self: ClaimTracker, key: str) -> bool:
        raise SimulatedCrash(key)

    with monkeypatch.context() as patch:
        patch.setattr(ClaimTracker, "claim", die)
        with pytest.raises(SimulatedCrash):
            deliver_due(rt.engine, one_at_a_time(rt), as_of=rt.now())
    assert catcher.messages() == []
    assert {m.status for m in by_key(rt).values()} == {OutboxStatus.PENDING}
    assert deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()).sent == 3
    assert sorted(str(m["X-Arshjul-Key"]) for m in catcher.messages()) == sorted(keys)


def test_two_senders_at_once_send_each_message_once(rt: Runtime, clock: ManualClock, catcher: MailCatcher) -> None:
    keys = queue(rt, 30)
    start = threading.Barrier(2)
    sent: list[int] = []

    def sender() -> None:
        start.wait()
        sent.append(deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()).sent)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    received = [str(m["X-Arshjul-Key"]) for m in catcher.messages()]
    assert sorted(received) == sorted(keys) and sum(sent) == 30
    with session_scope(rt.engine) as session:
        sent_events = session.exec(select(Event).where(Event.kind == "email.sent").order_by(col(Event.id))).all()
    assert len(sent_events) == 30
