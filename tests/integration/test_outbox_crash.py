"""Crash safety: a crash between "the server took it" and "marked sent" never sends a second copy by itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, func, select

from config.settings import SmtpSettings
from domain.clock import ManualClock
from domain.models import Event, OutboxMessage, OutboxStatus, Person
from notifications.catcher import MailCatcher
from notifications.feed import DeliveryResult
from notifications.templating import RenderedEmail
from tasks.outbox.admin import OutboxActionRefused, retry
from tasks.outbox.claims import CLAIM_BATCH, UNCERTAIN_REASON, claim_lifetime, resolve_stuck
from tasks.outbox.delivery import deliver_due, next_pending_at
from tasks.outbox.enqueue import enqueue
from tasks.outbox.feed import OutboxFeed
from tasks.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]


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


def test_a_crash_after_the_server_accepted_leaves_one_uncertain_and_sends_the_rest_of_the_claim(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = queue(rt, CLAIM_BATCH + 2)
    first, claimed_unsent, rest = keys[0], keys[1:CLAIM_BATCH], keys[CLAIM_BATCH:]
    smtp = one_at_a_time(rt)

    handing_over = OutboxFeed.handing_over

    async def die(self: OutboxFeed, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        if done:  # the first message went out; the process dies before its outcome is written
            raise SimulatedCrash(done[0].key)
        return await handing_over(self, done, key, reply)

    with monkeypatch.context() as patch:
        patch.setattr(OutboxFeed, "handing_over", die)
        patch.setattr(OutboxFeed, "_release_unsent", lambda self: None)  # a crash gives nothing back
        with pytest.raises(SimulatedCrash):
            deliver_due(rt.engine, smtp, as_of=rt.now())
    assert [str(m["X-Arshjul-Key"]) for m in catcher.messages()] == [first]
    state = by_key(rt)
    assert state[first].status == OutboxStatus.SENDING and state[first].handed_over_at == rt.now()
    assert state[first].relay_reply.startswith("250")  # the relay's reply to MAIL, the last before the mark
    claimed = [(state[key].status, state[key].handed_over_at) for key in claimed_unsent]
    assert claimed == [(OutboxStatus.SENDING, None)] * len(claimed_unsent)
    assert {state[key].status for key in rest} == {OutboxStatus.PENDING}  # never claimed

    # The process comes back at once: the others go out, the claimed ones are left alone while their claim stands.
    stats = deliver_due(rt.engine, smtp, as_of=rt.now())
    assert (stats.sent, stats.uncertain) == (len(rest), 0)
    with rt.session() as session:
        assert next_pending_at(session) == state[first].next_attempt_at  # the simulated clock comes back

    # Once the claim has expired: the one handed over is uncertain, the ones never handed over are sent, no person.
    clock.advance(claim_lifetime(rt.settings.smtp))
    stats = deliver_due(rt.engine, smtp, as_of=rt.now())
    assert (stats.sent, stats.uncertain) == (len(claimed_unsent), 1)
    received = [str(m["X-Arshjul-Key"]) for m in catcher.messages()]
    assert sorted(received) == sorted(keys) and len(received) == len(keys)
    stuck = by_key(rt)[first]
    assert stuck.status == OutboxStatus.DEAD and stuck.last_error == UNCERTAIN_REASON and stuck.attempt_token is None
    assert stuck.uncertain and stuck.handed_over_at is not None
    with rt.session() as session:
        uncertain = session.exec(select(Event).where(Event.kind == "email.uncertain")).all()
    assert [event.payload["key"] for event in uncertain] == [first]

    # HR may send it again, once confirmed; it keeps its Message-ID, so a receiver that got the first copy can tell.
    with rt.session() as session:
        assert stuck.id is not None
        with pytest.raises(OutboxActionRefused, match="to ganger"):
            retry(session, stuck.id, now=rt.now(), actor="HR")
        retry(session, stuck.id, now=rt.now(), actor="HR", confirmed=True)
    assert deliver_due(rt.engine, smtp, as_of=rt.now()).sent == 1
    copies = [m for m in catcher.messages() if str(m["X-Arshjul-Key"]) == first]
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
        if claim.key == keys[2]:  # before it is handed over: it never reaches the server
            raise SimulatedCrash(claim.key)
        return build(self, claim)

    with monkeypatch.context() as patch:
        patch.setattr(OutboxFeed, "_build", fail_third)
        with pytest.raises(SimulatedCrash):
            deliver_due(rt.engine, one_at_a_time(rt), as_of=rt.now())
    assert [str(m["X-Arshjul-Key"]) for m in catcher.messages()] == keys[:2]
    state = by_key(rt)
    # keys[0]'s outcome was written when keys[1] was handed over; keys[1] was handed over, its outcome never written.
    assert [state[key].status for key in keys] == [OutboxStatus.SENT, OutboxStatus.SENDING] + [OutboxStatus.PENDING] * 4
    assert all(state[key].attempt_token is None and state[key].attempts == 0 for key in keys[2:])

    assert deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()).sent == 4
    clock.advance(claim_lifetime(rt.settings.smtp))
    assert deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now()).uncertain == 1
    assert sorted(str(m["X-Arshjul-Key"]) for m in catcher.messages()) == sorted(keys)


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


def test_at_most_one_message_per_connection_is_ever_handed_over_without_an_outcome(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue(rt, 3 * CLAIM_BATCH + 5)
    smtp = rt.settings.smtp  # two connections
    handing_over = OutboxFeed.handing_over
    open_hand_overs: list[int] = []

    async def counting(self: OutboxFeed, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        mine = await handing_over(self, done, key, reply)
        with rt.session() as session:
            unknown = (col(OutboxMessage.status) == OutboxStatus.SENDING, col(OutboxMessage.handed_over_at).isnot(None))
            open_hand_overs.append(session.exec(select(func.count()).where(*unknown)).one())
        return mine

    monkeypatch.setattr(OutboxFeed, "handing_over", counting)
    assert deliver_due(rt.engine, smtp, as_of=rt.now()).sent == 3 * CLAIM_BATCH + 5
    assert len(open_hand_overs) == 3 * CLAIM_BATCH + 5 and max(open_hand_overs) == smtp.concurrency


class KillingRelay(MailCatcher):
    """A relay that SIGKILLs the delivering process while it is in the DATA of its n-th message (which it keeps)."""

    def __init__(self) -> None:
        super().__init__()
        self._guard = threading.Lock()
        self._victim: subprocess.Popen[bytes] | None = None
        self._countdown = 0

    def arm(self, victim: subprocess.Popen[bytes], at: int) -> None:
        with self._guard:
            self._victim, self._countdown = victim, at

    def _receive(self, raw: bytes, peer: Any) -> str:
        reply = super()._receive(raw, peer)
        with self._guard:
            self._countdown -= 1
            if self._victim is not None and self._countdown == 0:
                os.kill(self._victim.pid, signal.SIGKILL)  # before the reply: the sender never hears it
                self._victim = None
        return reply


def test_hard_kills_during_delivery_leave_at_most_one_uncertain_per_connection_and_no_duplicate(
    rt: Runtime, clock: ManualClock
) -> None:
    keys = queue(rt, 200)
    database = rt.settings.database_url.removeprefix("sqlite:///")
    connections = 2
    uncertain_per_kill: list[int] = []
    with KillingRelay() as relay:
        smtp = rt.settings.smtp.model_copy(update={"port": relay.port, "concurrency": connections})
        for kill_at in (3, 17, 29, 40, 55, 12):  # messages into each run
            child = subprocess.Popen(
                [sys.executable, "-m", "tests.support.outbox_child", database, str(relay.port), rt.now().isoformat(),
                 str(connections)],
                cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )  # fmt: skip
            relay.arm(child, kill_at)
            _, errors = child.communicate(timeout=120)
            assert child.returncode == -signal.SIGKILL, errors.decode()[-2000:]
            clock.advance(claim_lifetime(smtp))  # the dead process's claims expire
            with rt.session() as session:
                uncertain_per_kill.append(len(resolve_stuck(session, rt.now())))
        # The next run, with no person involved, sends everything that was never handed over.
        deliver_due(rt.engine, smtp, as_of=rt.now())
        received = Counter(str(m["X-Arshjul-Key"]) for m in relay.messages())
    state = by_key(rt)
    uncertain = {key for key, message in state.items() if message.uncertain}
    assert all(1 <= count <= connections for count in uncertain_per_kill), uncertain_per_kill
    assert len(uncertain) == sum(uncertain_per_kill)
    assert max(received.values()) == 1  # no duplicates at the relay
    assert set(keys) - uncertain <= set(received)  # every message not uncertain arrived
    assert {state[key].status for key in set(keys) - uncertain} == {OutboxStatus.SENT}
    assert {(state[key].status, state[key].handed_over_at is not None) for key in uncertain} == {
        (OutboxStatus.DEAD, True)
    }
    print(f"kills={len(uncertain_per_kill)} uncertain per kill={uncertain_per_kill} duplicates=0 "
          f"received={len(received)} of {len(keys)}")  # fmt: skip
