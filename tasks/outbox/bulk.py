"""Retrying or cancelling the messages HR selected in the console, all or nothing, and only as they were confirmed.

Each message goes through the same service as the CLI (tasks.outbox.admin), so each gets its own event with the
person who did it (`email.retried`, `email.cancelled`), and the audit shows who retried or cancelled what.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Final, Literal

from sqlmodel import Session

from domain.models import OutboxMessage
from tasks.outbox.admin import CANCEL_FROM, RETRY_FROM, OutboxActionRefused, cancel_message, retry
from tasks.outbox.browse import as_seen, chosen

Action = Literal["retry", "cancel"]
ACTIONS: Final[dict[str, Action]] = {"retry": "retry", "cancel": "cancel"}
MAX_SELECTED: Final = 200  # one confirmation page; more is a job for `arshjul outbox retry --dead`
CHANGED: Final = (
    "Utboksen har endret seg siden du så bekreftelsessiden (meldingene er sendt på nytt, avbrutt eller forsøkt "
    "levert i mellomtiden). Ingenting er gjort nå. Gå tilbake til utboksen og se over utvalget på nytt."
)


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
    now: datetime,
    actor: str,
    duplicates_ok: bool = False,
) -> list[OutboxMessage]:
    """Apply the action to every message, in the caller's unit of work; any refusal leaves all of them as they were.

    `seen` is `as_seen()` of the messages on the confirmation page; an uncertain message is retried only with
    `duplicates_ok` (NeedsConfirmation otherwise).
    """
    messages = chosen(session, ids)
    if not messages or len(messages) != len(set(ids)) or as_seen(messages) != seen:
        raise SelectionChanged()
    done = []
    for message in messages:
        assert message.id is not None
        if action == "retry":
            done.append(retry(session, message.id, now=now, actor=actor, confirmed=duplicates_ok))
        else:
            done.append(cancel_message(session, message.id, now=now, actor=actor))
    return done
