"""Crash safety: a crash between "the server took it" and "marked sent" never sends a second copy by itself."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from config.settings import SmtpSettings
from domain.clock import ManualClock
from domain.models import Event, OutboxMessage, OutboxStatus, Person
from notifications.catcher import MailCatcher
from notifications.sender import DeliveryResult
from notifications.templating import RenderedEmail
from tasks.outbox.admin import retry
from tasks.outbox.claims import CLAIM_BATCH, UNCERTAIN_REASON, OutboxFeed, claim_lifetime
from tasks.outbox.delivery import deliver_due, enqueue, next_pending_at
from tasks.runtime import Runtime


class SimulatedCrash(RuntimeError):
    """The process dies: nothing after this point runs."""


def queue(rt: Runtime, count: int) -> list[str]:
    keys = []
    with rt.session() as session:
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
    with rt.session() as session:
        return {m.idempotency_key: m for m in session.exec(select(OutboxMessage))}


def one_at_a_time(rt: Runtime) -> SmtpSettings:
    return rt.settings.smtp.model_copy(update={"concurrency": 1})


def test_a_crash_after_the_server_accepted_never_sends_a_second_copy(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = queue(rt, CLAIM_BATCH + 2)
    first_batch, rest = keys[:CLAIM_BATCH], keys[CLAIM_BATCH:]
    smtp = one_at_a_time(rt)

    def die(self: OutboxFeed, session: Session, done: list[DeliveryResult]) -> None:
        if done:  # the first batch went out; the process dies before its outcomes are written
            raise SimulatedCrash(done[0].key)

    with monkeypatch.context() as patch:
        patch.setattr(OutboxFeed, "_record", die)
        with pytest.raises(SimulatedCrash):
            deliver_due(rt.engine, smtp, as_of=rt.now())
    assert [str(m["X-Arshjul-Key"]) for m in catcher.messages()] == first_batch
    state = by_key(rt)
    assert all(state[key].status == OutboxStatus.SENDING and state[key].attempt_token for key in first_batch)
    assert {state[key].status for key in rest} == {OutboxStatus.PENDING}  # never claimed

    # The process comes back at once: the others go out, the claimed ones are left alone while their claim stands.
    stats = deliver_due(rt.engine, smtp, as_of=rt.now())
    assert (stats.sent, stats.uncertain) == (len(rest), 0)
    assert {by_key(rt)[key].status for key in first_batch} == {OutboxStatus.SENDING}
    with rt.session() as session:
        assert next_pending_at(session) == state[first_batch[0]].next_attempt_at  # the simulated clock comes back

    # Once the claim has expired it is resolved conservatively: dead letters with the reason, not a resend.
    clock.advance(claim_lifetime(rt.settings.smtp))
    stats = deliver_due(rt.engine, smtp, as_of=rt.now())
    assert (stats.sent, stats.uncertain) == (0, CLAIM_BATCH)
    received = [str(m["X-Arshjul-Key"]) for m in catcher.messages()]
    assert sorted(received) == sorted(keys) and len(received) == len(keys)
    stuck = by_key(rt)[first_batch[0]]
    assert stuck.status == OutboxStatus.DEAD and stuck.last_error == UNCERTAIN_REASON and stuck.attempt_token is None
    with rt.session() as session:
        uncertain = session.exec(select(Event).where(Event.kind == "email.uncertain")).all()
    assert sorted(event.payload["key"] for event in uncertain) == sorted(first_batch)

    # HR may send it again; it keeps its Message-ID, so a receiver that got the first copy can tell.
    with rt.session() as session:
        assert stuck.id is not None
        retry(session, stuck.id, now=rt.now(), actor="HR")
    assert deliver_due(rt.engine, smtp, as_of=rt.now()).sent == 1
    copies = [m for m in catcher.messages() if str(m["X-Arshjul-Key"]) == first_batch[0]]
    assert len(copies) == 2 and copies[0]["Message-ID"] == copies[1]["Message-ID"] == stuck.message_id


def test_a_crash_before_anything_was_handed_over_loses_nothing(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = queue(rt, 3)

    def die(self: OutboxFeed, session: Session) -> list[object]:
        raise SimulatedCrash("claim")

    with monkeypatch.context() as patch:
        patch.setattr(OutboxFeed, "_claim", die)
        with pytest.raises(SimulatedCrash):
            deliver_due(rt.engine, one_at_a_time(rt), as_of=rt.now())
    assert catcher.messages() == []
    assert {m.status for m in by_key(rt).values()} == {OutboxStatus.PENDING}
    assert deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()).sent == 3
    assert sorted(str(m["X-Arshjul-Key"]) for m in catcher.messages()) == sorted(keys)


def test_an_error_mid_batch_gives_back_the_claims_never_handed_over(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = queue(rt, 6)
    build = OutboxFeed._build

    def fail_third(self: OutboxFeed, claim: Any) -> Any:
        message = build(self, claim)  # marks it as handed over first: it may have reached the server
        if claim.key == keys[2]:
            raise SimulatedCrash(claim.key)
        return message

    with monkeypatch.context() as patch:
        patch.setattr(OutboxFeed, "_build", fail_third)
        with pytest.raises(SimulatedCrash):
            deliver_due(rt.engine, one_at_a_time(rt), as_of=rt.now())
    assert [str(m["X-Arshjul-Key"]) for m in catcher.messages()] == keys[:2]
    state = by_key(rt)
    assert [state[key].status for key in keys] == [OutboxStatus.SENDING] * 3 + [OutboxStatus.PENDING] * 3
    assert all(state[key].attempt_token is None and state[key].attempts == 0 for key in keys[3:])

    assert deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()).sent == 3
    clock.advance(claim_lifetime(rt.settings.smtp))
    assert deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()).uncertain == 3
    assert sorted(str(m["X-Arshjul-Key"]) for m in catcher.messages()) == sorted(keys[:2] + keys[3:])


def test_no_more_than_claim_batch_per_connection_is_ever_claimed_without_an_outcome(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue(rt, 3 * CLAIM_BATCH + 5)
    smtp = rt.settings.smtp  # two connections
    claim = OutboxFeed._claim
    in_flight: list[int] = []

    def counting(self: OutboxFeed, session: Session) -> Any:
        claimed = claim(self, session)
        status = col(OutboxMessage.status)
        in_flight.append(session.exec(select(func.count()).where(status == OutboxStatus.SENDING)).one())
        return claimed

    monkeypatch.setattr(OutboxFeed, "_claim", counting)
    assert deliver_due(rt.engine, smtp, as_of=rt.now()).sent == 3 * CLAIM_BATCH + 5
    assert max(in_flight) <= CLAIM_BATCH * smtp.concurrency
    assert len(in_flight) >= 4  # one claim per batch, not one per round
    with rt.session() as session:
        sent = session.exec(select(Event).where(Event.kind == "email.sent")).all()
    assert len(sent) == 3 * CLAIM_BATCH + 5


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
    with rt.session() as session:
        sent_events = session.exec(select(Event).where(Event.kind == "email.sent").order_by(col(Event.id))).all()
    assert len(sent_events) == 30
