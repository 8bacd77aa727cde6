"""One email to HR per delivery round in which messages became dead letters, however many they were.

The summary is itself an outbox message (kind `dead_letters`, key per round), so it waits for the relay like any
other and is queued once even if the round is run again. It never reports on itself: a summary that dies is only
in `arshjul outbox list --status dead`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Final

from sqlmodel import Session, col, select

from config.settings import Settings
from domain.models import OutboxMessage, OutboxStatus
from notifications.templating import render_email
from tasks.org.people import ensure_hr
from tasks.outbox.enqueue import enqueue

KIND: Final = "dead_letters"
SHOWN: Final = 50  # lines in the email; the rest is in `arshjul outbox list --status dead`


def summary_key(as_of: datetime) -> str:
    return f"{KIND}:{as_of.astimezone(UTC):%Y%m%dT%H%M%SZ}"


def queue_dead_letter_summary(
    session: Session, settings: Settings, dead_ids: Sequence[int], as_of: datetime
) -> OutboxMessage | None:
    """Queue the round's summary for HR, unless there is nothing to tell or it was queued already."""
    rows = session.exec(
        select(OutboxMessage)
        .where(col(OutboxMessage.id).in_(sorted(set(dead_ids))), OutboxMessage.status == OutboxStatus.DEAD)
        .where(OutboxMessage.kind != KIND)
        .order_by(col(OutboxMessage.id))
    ).all()
    if not rows:
        return None
    hr = ensure_hr(session, settings)
    lines: list[dict[str, Any]] = [
        {
            "id": m.id,
            "to": m.to_address,
            "kind": m.kind,
            "subject": m.subject,
            "reason": m.last_error,
            "uncertain": m.uncertain,
            "handed_over_at": m.handed_over_at,
            "relay_reply": m.relay_reply,
        }
        for m in rows
    ]
    context = {
        "messages": lines[:SHOWN],
        "more": max(0, len(lines) - SHOWN),
        "total": len(lines),
        "uncertain": sum(1 for line in lines if line["uncertain"]),
        "municipality": settings.municipality,
        "console_link": f"{settings.base_url.rstrip('/')}/hr/utboks?tilstand=avvist",
    }
    language = hr.language if hr.language in ("nb", "nn", "en") else "nb"
    email = render_email(KIND, language, {"recipient_name": hr.name, **context})  # type: ignore[arg-type]
    return enqueue(session, key=summary_key(as_of), kind=KIND, to=hr, email=email, now=as_of,
                   from_address=settings.smtp.from_address)  # fmt: skip
