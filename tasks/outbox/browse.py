"""The outbox as HR reads it in the console: counts per state, a filtered page, and each failure in plain Norwegian.

The states HR sees are not quite the stored statuses: a message that failed and waits for its next attempt is still
«i kø», and a dead letter whose delivery is uncertain is shown apart, since retrying it may send a duplicate.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import ColumnElement, and_, func, or_
from sqlmodel import Session, col, select

from domain.models import OutboxMessage, OutboxStatus
from tasks.outbox.admin import uncertainty

PAGE_SIZE: Final = 50
STATES: Final = {
    "i-ko": "I kø",
    "sendes": "Sendes nå",
    "sendt": "Sendt",
    "avvist": "Avvist",
    "usikker": "Usikker levering",
    "avbrutt": "Avbrutt",
}
_SMTP_CODE: Final = re.compile(r"^([245])(\d\d)\b")
_PERMANENT: Final = {
    "550": "mottakerens e-postserver sier at adressen ikke finnes eller ikke tar imot e-post",
    "551": "mottakeren finnes ikke på denne e-postserveren",
    "552": "mottakerens postkasse er full, eller meldingen er for stor",
    "553": "e-postadressen er ikke gyldig",
    "554": "e-postserveren avviste meldingen (for eksempel som mulig søppelpost)",
}


@dataclass(frozen=True)
class OutboxPage:
    messages: list[OutboxMessage]
    total: int  # messages matching the filter
    page: int
    pages: int


def state_of(message: OutboxMessage) -> str:
    """The state HR sees (a key of STATES)."""
    return _state(message.status, message.uncertain)


def _state(status: str, uncertain: bool) -> str:
    if status in (OutboxStatus.PENDING, OutboxStatus.FAILED):
        return "i-ko"
    if status == OutboxStatus.DEAD:
        return "usikker" if uncertain else "avvist"
    return {OutboxStatus.SENDING: "sendes", OutboxStatus.SENT: "sendt"}.get(OutboxStatus(status), "avbrutt")


def _where(state: str) -> ColumnElement[bool] | None:
    status = col(OutboxMessage.status)
    conditions: dict[str, ColumnElement[bool]] = {
        "i-ko": status.in_((OutboxStatus.PENDING, OutboxStatus.FAILED)),
        "sendes": status == OutboxStatus.SENDING,
        "sendt": status == OutboxStatus.SENT,
        "avvist": and_(status == OutboxStatus.DEAD, col(OutboxMessage.uncertain).is_(False)),
        "usikker": and_(status == OutboxStatus.DEAD, col(OutboxMessage.uncertain).is_(True)),
        "avbrutt": status == OutboxStatus.CANCELLED,
    }
    return conditions.get(state)


def _search(text: str) -> ColumnElement[bool] | None:
    """Recipient address or name containing the text, whatever its case; LIKE's wildcards are taken literally."""
    words = text.strip().lower()[:200]
    if not words:
        return None
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return or_(
        func.lower(col(OutboxMessage.to_address)).like(pattern, escape="\\"),
        func.lower(col(OutboxMessage.to_name)).like(pattern, escape="\\"),
    )


def counts(session: Session) -> dict[str, int]:
    """How many messages are in each state HR sees (every key of STATES, zero included)."""
    rows = session.exec(
        select(OutboxMessage.status, OutboxMessage.uncertain, func.count())
        .group_by(col(OutboxMessage.status), col(OutboxMessage.uncertain))
    ).all()  # fmt: skip
    found = dict.fromkeys(STATES, 0)
    for status, uncertain, number in rows:
        found[_state(status, uncertain)] += number
    return found


def page_of(session: Session, *, state: str = "", search: str = "", page: int = 1) -> OutboxPage:
    """One page of the outbox, newest first, in one state (or all) and matching the search."""
    conditions = [c for c in (_where(state), _search(search)) if c is not None]
    total = session.exec(select(func.count()).select_from(OutboxMessage).where(*conditions)).one()
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    query = select(OutboxMessage).where(*conditions).order_by(col(OutboxMessage.id).desc())
    rows = session.exec(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    return OutboxPage(list(rows), total, page, pages)


def chosen(session: Session, ids: Sequence[int]) -> list[OutboxMessage]:
    """The messages with these ids that exist, oldest first."""
    if not ids:
        return []
    query = select(OutboxMessage).where(col(OutboxMessage.id).in_(sorted(set(ids))))
    return list(session.exec(query.order_by(col(OutboxMessage.id))).all())


def as_seen(messages: Sequence[OutboxMessage]) -> str:
    """A digest of the messages as they are now, so that a confirmation acts only on what the person saw.

    Any change since (a retry, a cancellation, a delivery attempt) changes it, so confirming twice does nothing
    the second time.
    """
    parts = (
        f"{m.id}|{m.status}|{m.attempts}|{m.uncertain}|{m.last_error}|{m.next_attempt_at.isoformat()}"
        f"|{m.handed_over_at.isoformat() if m.handed_over_at else ''}|{m.sent_at.isoformat() if m.sent_at else ''}"
        for m in messages
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def plain_reason(message: OutboxMessage) -> str:
    """Why a message failed, in plain Norwegian, with the relay's own words after it; empty if it has not failed."""
    if message.uncertain:
        known = uncertainty(message)
        return known[:1].upper() + known[1:]  # not str.capitalize(): it would lower-case the relay's reply
    error = message.last_error.strip()
    if not error:
        return ""
    if message.status == OutboxStatus.CANCELLED:
        return f"Avbrutt: {error}."
    if error.startswith("kan ikke bygges"):
        return f"Meldingen kunne ikke lages, for eksempel på grunn av ugyldige tegn i adressen ({error})."
    if error.startswith("gitt opp etter"):
        why, _, said = error.partition("; siste svar: ")
        return f"E-postserveren var ikke tilgjengelig eller ba oss vente; {why}. Serveren svarte sist: «{said}»."
    code = _SMTP_CODE.match(error)
    if code is None:
        return f"Sendingen feilet: {error}."
    if code.group(1) == "4":
        return f"Midlertidig feil hos e-postserveren; prøves igjen automatisk. Serveren svarte: «{error}»."
    text = _PERMANENT.get(code.group(0), "e-postserveren avviste meldingen")
    return f"{text[0].upper()}{text[1:]}. Serveren svarte: «{error}»."
