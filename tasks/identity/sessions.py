"""Server-side sessions: a random id in the cookie, its SHA-256 in the table; idle timeout and absolute lifetime."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Final

from sqlmodel import Session, col, delete, select

from config.settings import AuthSettings
from domain.identity import UserAccount, UserSession

TOUCH_EVERY: Final = timedelta(minutes=1)  # last_seen is written at most this often, not on every page


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(
    session: Session, auth: AuthSettings, account: UserAccount, now: datetime, *, replacing: str | None = None
) -> str:
    """A fresh random id for this sign-in (the one the browser had before, if any, is ended: no fixation)."""
    assert account.id is not None
    if replacing:
        end_session(session, replacing)
    token = secrets.token_urlsafe(32)
    expires = now + timedelta(hours=auth.session_max_hours)
    session.add(
        UserSession(
            token_hash=token_hash(token), user_id=account.id, created_at=now, last_seen_at=now, expires_at=expires
        )
    )
    _forget_expired(session, now)
    return token


def resolve_session(session: Session, auth: AuthSettings, token: str | None, now: datetime) -> UserAccount | None:
    """The account a cookie belongs to, if its session is alive and the account may still sign in."""
    if not token or len(token) > 100:
        return None
    found = session.exec(
        select(UserSession, UserAccount)
        .join(UserAccount, col(UserAccount.id) == col(UserSession.user_id))
        .where(UserSession.token_hash == token_hash(token))
    ).first()
    if found is None:
        return None
    row, account = found
    idle = timedelta(minutes=auth.session_idle_minutes)
    stale = now >= row.expires_at or now - row.last_seen_at > idle or row.created_at < account.password_changed_at
    if account.disabled or stale:
        session.delete(row)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
        session.add(row)
    return account


def end_session(session: Session, token: str) -> None:
    session.exec(delete(UserSession).where(col(UserSession.token_hash) == token_hash(token)))  # type: ignore[call-overload]


def _forget_expired(session: Session, now: datetime) -> None:
    session.exec(delete(UserSession).where(col(UserSession.expires_at) <= now))  # type: ignore[call-overload]
