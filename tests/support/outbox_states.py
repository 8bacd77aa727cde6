"""An outbox in every state HR sees, made by real delivery to the SMTP catcher (and one simulated crash)."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from sqlmodel import col, select

from domain.clock import ManualClock
from domain.models import OutboxMessage, Person
from notifications.catcher import MailCatcher
from notifications.feed import DeliveryResult
from notifications.templating import RenderedEmail
from tasks.outbox.claims import claim_lifetime
from tasks.outbox.delivery import deliver_due
from tasks.outbox.enqueue import enqueue
from tasks.outbox.feed import OutboxFeed
from tasks.runtime import Runtime
from tasks.store.db import session_scope


def queue(rt: Runtime, names: Sequence[str], *, prefix: str = "kvittering") -> list[str]:
    """One receipt per name (e-mail from the name); their idempotency keys."""
    keys: list[str] = []
    with session_scope(rt.engine) as session:
        for name in names:
            email = name.lower().replace(" ", ".") + "@testvik.no"
            person = session.exec(select(Person).where(Person.email == email)).first() or Person(name=name, email=email)
            session.add(person)
            session.flush()
            key = f"{prefix}:{person.id}:{len(keys)}"
            mail = RenderedEmail(f"Kvittering for {name}", "T\n", "<p>H</p>")
            enqueue(session, key=key, kind="receipt", to=person, email=mail, now=rt.now(),
                    from_address=rt.settings.smtp.from_address)  # fmt: skip
            keys.append(key)
    return keys


def crash_after_first_hand_over(rt: Runtime, clock: ManualClock, monkeypatch: pytest.MonkeyPatch) -> None:
    """Deliver with a sender that dies right after its first message's DATA; then let the claim expire."""
    handing_over = OutboxFeed.handing_over

    async def die(self: OutboxFeed, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        if done:
            raise RuntimeError("killed")
        return await handing_over(self, done, key, reply)

    with monkeypatch.context() as patch:
        patch.setattr(OutboxFeed, "handing_over", die)
        patch.setattr(OutboxFeed, "_release_unsent", lambda self: None)
        with pytest.raises(RuntimeError):
            deliver_due(rt.engine, rt.settings.smtp.model_copy(update={"concurrency": 1}), as_of=rt.now())
    clock.advance(claim_lifetime(rt.settings.smtp))


def messages(rt: Runtime) -> dict[str, OutboxMessage]:
    with session_scope(rt.engine) as session:
        return {m.idempotency_key: m for m in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))}


def every_state(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """Keys of: an uncertain dead letter, a dead letter (550), a sent one, and a queued one."""
    uncertain, dead, sent = queue(rt, ["Ulla Usikker", "Dag Avvist", "Siv Sendt"])
    crash_after_first_hand_over(rt, clock, monkeypatch)
    catcher.fail_next(550)
    stats = deliver_due(rt.engine, rt.settings.smtp, as_of=rt.now())
    assert (stats.uncertain, stats.dead, stats.sent) == (1, 1, 1), stats
    (queued,) = queue(rt, ["Kari Venter"], prefix="ny")
    return {"usikker": uncertain, "avvist": dead, "sendt": sent, "i-ko": queued}
