"""The outbox's claims and batched outcomes on PostgreSQL (Debian's package, started by the test)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator, Sequence
from datetime import timedelta

import pytest
from sqlmodel import col, func, select

from arshjul.bootstrap import bootstrap
from config.settings import DbSettings, Settings
from domain.clock import ManualClock
from domain.models import Event, OutboxMessage, OutboxStatus, Person
from notifications.catcher import MailCatcher
from notifications.feed import DeliveryResult
from notifications.templating import RenderedEmail
from tasks.outbox.claims import CLAIM_BATCH, UNCERTAIN_REASON, claim_lifetime
from tasks.outbox.delivery import deliver_due
from tasks.outbox.enqueue import enqueue
from tasks.outbox.feed import OutboxFeed
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate
from tests.support.postgres import running_postgres


@pytest.fixture
def pg_rt(settings: Settings, clock: ManualClock) -> Iterator[Runtime]:
    with contextlib.ExitStack() as stack:
        # Missing PostgreSQL fails (as tests/e2e/test_postgres.py does): `make test` installs it, a skip would hide it.
        url = stack.enter_context(running_postgres())
        runtime = bootstrap(settings.model_copy(update={"db": DbSettings(url=url)}), clock=clock)
        migrate(runtime.engine)
        install_runtime(runtime)
        yield runtime
        install_runtime(None)
        runtime.engine.dispose()


def queue(rt: Runtime, count: int, *, who: str = "leder", kind: str = "invitation") -> list[str]:
    """`count` messages of `kind` to new people (`who` keeps their addresses apart from earlier calls)."""
    keys = []
    with rt.session() as session:
        for n in range(count):
            person = Person(name=f"{who.capitalize()} {n} Ødegård", email=f"{who}{n}@testvik.no")
            session.add(person)
            session.flush()
            key = f"{kind}:{person.id}"
            enqueue(session, key=key, kind=kind, to=person, email=RenderedEmail(f"Påminnelse {n}", "Hei\n",
                    "<p>Hei</p>"), now=rt.now(), from_address=rt.settings.smtp.from_address)  # fmt: skip
            keys.append(key)
    return keys


def statuses(rt: Runtime) -> dict[OutboxStatus, int]:
    with rt.session() as session:
        rows = session.exec(select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))).all()
    return {OutboxStatus(status): count for status, count in rows}


def test_batches_of_claims_and_outcomes_on_postgresql(
    pg_rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pg_rt.engine.dialect.name == "postgresql"
    keys = queue(pg_rt, 2 * CLAIM_BATCH + 3)
    catcher.fail_next(451)
    catcher.fail_next(550)
    stats = deliver_due(pg_rt.engine, pg_rt.settings.smtp, as_of=pg_rt.now())
    assert (stats.sent, stats.retrying, stats.dead) == (len(keys) - 2, 1, 1)
    assert statuses(pg_rt) == {OutboxStatus.SENT: len(keys) - 2, OutboxStatus.FAILED: 1, OutboxStatus.DEAD: 1}
    with pg_rt.session() as session:
        kinds = session.exec(select(Event.kind, func.count()).group_by(col(Event.kind))).all()
    assert dict(kinds) == {"email.sent": len(keys) - 2, "email.dead": 1}

    clock.advance(timedelta(seconds=60))
    assert deliver_due(pg_rt.engine, pg_rt.settings.smtp, as_of=pg_rt.now()).sent == 1
    with pg_rt.session() as session:
        (dead,) = session.exec(select(OutboxMessage.idempotency_key).where(OutboxMessage.status == OutboxStatus.DEAD))
    received = sorted(str(m["X-Arshjul-Key"]) for m in catcher.messages())
    assert received == sorted(key for key in keys if key != dead)  # each once; the 550 one is a dead letter

    # A crash after the first message of a batch went out: the claims stand; then the one handed over is uncertain
    # and never resent, and the ones never handed over go back to the queue and out, with nobody doing anything.
    more = queue(pg_rt, CLAIM_BATCH, who="ny", kind="reminder")

    handing_over = OutboxFeed.handing_over

    async def die(self: OutboxFeed, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        if done:  # the first message went out; the process dies before its outcome is written
            raise RuntimeError("the process dies")
        return await handing_over(self, done, key, reply)

    with monkeypatch.context() as patch:
        patch.setattr(OutboxFeed, "handing_over", die)
        patch.setattr(OutboxFeed, "_release_unsent", lambda self: None)  # a crash gives nothing back
        with pytest.raises(RuntimeError):
            deliver_due(pg_rt.engine, pg_rt.settings.smtp.model_copy(update={"concurrency": 1}), as_of=pg_rt.now())
    assert statuses(pg_rt)[OutboxStatus.SENDING] == len(more)
    clock.advance(claim_lifetime(pg_rt.settings.smtp))
    stats = deliver_due(pg_rt.engine, pg_rt.settings.smtp, as_of=pg_rt.now())
    assert (stats.uncertain, stats.sent) == (1, len(more) - 1)
    with pg_rt.session() as session:
        stuck = session.exec(select(OutboxMessage).where(col(OutboxMessage.idempotency_key).in_(more))).all()
    assert sorted((m.status, m.last_error, m.uncertain) for m in stuck) == sorted(
        [(OutboxStatus.DEAD, UNCERTAIN_REASON, True)] + [(OutboxStatus.SENT, "", False)] * (len(more) - 1)
    )
    received = [str(m["X-Arshjul-Key"]) for m in catcher.messages()]
    assert sorted(key for key in received if key in more) == sorted(more)  # each once


def test_two_senders_at_once_on_postgresql(pg_rt: Runtime, clock: ManualClock, catcher: MailCatcher) -> None:
    keys = queue(pg_rt, 3 * CLAIM_BATCH)
    start = threading.Barrier(2)
    sent: list[int] = []

    def sender() -> None:
        start.wait()
        sent.append(deliver_due(pg_rt.engine, pg_rt.settings.smtp, as_of=pg_rt.now()).sent)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(sent) == len(keys)
    assert sorted(str(m["X-Arshjul-Key"]) for m in catcher.messages()) == sorted(keys)
    assert statuses(pg_rt) == {OutboxStatus.SENT: len(keys)}
