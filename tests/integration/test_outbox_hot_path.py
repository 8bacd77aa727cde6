"""The outbox's per-message and per-run work stays off the critical path (see docs/performance.md)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aiosmtplib
import pytest
from sqlalchemy import event
from sqlmodel import select

from domain.clock import ManualClock
from domain.models import OutboxMessage, OutboxStatus, Person
from notifications.catcher import MailCatcher
from notifications.feed import DeliveryResult
from notifications.templating import RenderedEmail
from tasks.outbox.claims import resolve_stuck
from tasks.outbox.delivery import deliver_due
from tasks.outbox.enqueue import enqueue
from tasks.outbox.feed import OutboxFeed
from tasks.runtime import Runtime


def queue(rt: Runtime, count: int) -> None:
    with rt.session() as session:
        for n in range(count):
            person = Person(name=f"Leder {n}", email=f"leder{n}@testvik.no")
            session.add(person)
            session.flush()
            enqueue(session, key=f"invitation:1:{person.id}", kind="invitation", to=person,
                    email=RenderedEmail(f"S{n}", "T\n", "<p>H</p>"), now=rt.now(),
                    from_address=rt.settings.smtp.from_address)  # fmt: skip


def test_a_run_with_nothing_stuck_writes_nothing_to_find_that_out(rt: Runtime, clock: ManualClock) -> None:
    queue(rt, 3)
    statements: list[str] = []

    def seen(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        statements.append(statement.split(None, 1)[0].upper())

    event.listen(rt.engine, "before_cursor_execute", seen)
    try:
        with rt.session() as session:
            assert resolve_stuck(session, rt.now()) == []
    finally:
        event.remove(rt.engine, "before_cursor_execute", seen)
    assert statements == ["SELECT"]  # one read; no update, so no write transaction and no write lock


def test_the_hand_over_mark_is_written_while_the_recipient_is_on_its_way(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    queue(rt, 3)
    order: list[str] = []
    rcpt = aiosmtplib.SMTP.rcpt
    handing_over = OutboxFeed.handing_over

    async def answered(self: aiosmtplib.SMTP, *args: Any, **kwargs: Any) -> Any:
        reply = await rcpt(self, *args, **kwargs)
        order.append("recipient accepted")
        return reply

    async def marking(self: OutboxFeed, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        order.append("mark")
        assert reply.startswith("250")  # the relay accepted the sender
        return await handing_over(self, done, key, reply)

    monkeypatch.setattr(aiosmtplib.SMTP, "rcpt", answered)
    monkeypatch.setattr(OutboxFeed, "handing_over", marking)
    smtp = rt.settings.smtp.model_copy(update={"concurrency": 1})
    assert deliver_due(rt.engine, smtp, as_of=rt.now()).sent == 3
    # The mark's commit overlaps the RCPT round trip; DATA went only after both (every message arrived once).
    assert order == ["mark", "recipient accepted"] * 3
    assert len(catcher.messages()) == 3
    with rt.session() as session:
        assert {m.status for m in session.exec(select(OutboxMessage))} == {OutboxStatus.SENT}
