"""Retrying or cancelling the messages HR selected in the console, all or nothing, and only as they were confirmed.

Each message goes through the same service as the CLI (tasks.outbox.admin), so each gets its own event with the
person who did it (`email.retried`, `email.cancelled`), and the audit shows who retried or cancelled what.

A confirmation page carries two things back: a digest of the messages as shown (`as_seen`), so nothing is done
if they changed since, and a one-time confirmation id that goes into every event it causes, so the same page
confirmed again does nothing, even if its messages have come back to the very state they were in.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Final, Literal

from sqlmodel import Session, col, select

from domain.events import EventKind
from domain.models import Event, OutboxMessage
from tasks.outbox.admin import CANCEL_FROM, RETRY_FROM, OutboxActionRefused, cancel_message, retry
from tasks.outbox.browse import as_seen, chosen

Action = Literal["retry", "cancel"]
ACTIONS: Final[dict[str, Action]] = {"retry": "retry", "cancel": "cancel"}
CONFIRMATION_LIFETIME: Final = timedelta(days=1)
MAX_SELECTED: Final = 200  # one confirmation page; more is a job for `arshjul outbox retry --dead`
CHANGED: Final = (
    "Utboksen har endret seg siden du så bekreftelsessiden (meldingene er sendt på nytt, avbrutt eller forsøkt "
    "levert i mellomtiden), eller bekreftelsen er allerede brukt eller er eldre enn ett døgn. Ingenting er gjort "
    "nå. Gå tilbake til utboksen og se over utvalget på nytt."
)


def new_confirmation(now: datetime) -> str:
    """A one-time id for a confirmation page: when it was made, and a random part."""
    return f"{int(now.timestamp())}-{secrets.token_urlsafe(12)}"


def _fresh(session: Session, confirmation: str, now: datetime) -> bool:
    """The id is well-formed, at most CONFIRMATION_LIFETIME old, and no event has used it yet."""
    made, _, random = confirmation.partition("-")
    if not made.isascii() or not made.isdigit() or len(made) > 12 or not random or len(confirmation) > 64:
        return False
    since = now - CONFIRMATION_LIFETIME
    if not since.timestamp() <= int(made) <= now.timestamp() + 60:
        return False
    used = session.exec(
        select(Event.id)
        .where(col(Event.kind).in_((EventKind.EMAIL_RETRIED, EventKind.EMAIL_CANCELLED)), col(Event.at) >= since)
        .where(col(Event.payload)["confirmation"].as_string() == confirmation)
        .limit(1)
    ).first()
    return used is None


class SelectionChanged(OutboxActionRefused):
    """The selection is not as the person confirmed it: confirmed twice, or changed by someone else meanwhile."""

    def __init__(self) -> None:
        super().__init__(CHANGED)


def allowed(action: Action, message: OutboxMessage) -> bool:
    """Whether the action makes sense for the message as it is now."""
    return message.status in (RETRY_FROM if action == "retry" else CANCEL_FROM)


def select_for(session: Session, action: Action, ids: Sequence[int]) -> tuple[list[OutboxMessage], list[str]]:
    """The messages to confirm, and a sentence for each chosen one the action cannot apply to (or that is gone)."""
    if not ids:
        raise OutboxActionRefused("Velg minst én melding i utboksen først.")
    if len(set(ids)) > MAX_SELECTED:
        raise OutboxActionRefused(f"Velg høyst {MAX_SELECTED} meldinger om gangen.")
    found = chosen(session, ids)
    missing = sorted(set(ids) - {m.id for m in found if m.id is not None})
    notes = [f"Finner ingen melding med nummer {i} i utboksen." for i in missing]
    verb = "sendes på nytt" if action == "retry" else "avbrytes"
    notes += [f"Melding {m.id} til {m.to_address} kan ikke {verb} nå." for m in found if not allowed(action, m)]
    return [m for m in found if allowed(action, m)], notes


def confirm(
    session: Session,
    action: Action,
    ids: Sequence[int],
    *,
    seen: str,
    confirmation: str,
    now: datetime,
    actor: str,
    duplicates_ok: bool = False,
) -> list[OutboxMessage]:
    """Apply the action to every message, in the caller's unit of work; any refusal leaves all of them as they were.

    `seen` is `as_seen()` of the messages on the confirmation page and `confirmation` its `new_confirmation()`;
    an uncertain message is retried only with `duplicates_ok` (NeedsConfirmation otherwise).
    """
    messages = chosen(session, ids)
    if not messages or len(messages) != len(set(ids)) or as_seen(messages) != seen:
        raise SelectionChanged()
    if not _fresh(session, confirmation, now):
        raise SelectionChanged()
    done = []
    for message in messages:
        assert message.id is not None
        if action == "retry":
            done.append(retry(session, message.id, now=now, actor=actor, confirmed=duplicates_ok,
                              confirmation=confirmation))  # fmt: skip
        else:
            done.append(cancel_message(session, message.id, now=now, actor=actor, confirmation=confirmation))
    return done
