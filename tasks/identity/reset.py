""" "Glemt passord": a one-time, expiring code by email (through the outbox), exchanged for a new password."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlmodel import Session, col, select, update

from domain.events import EventKind
from domain.identity import PasswordReset, UserAccount
from domain.models import Person
from tasks.events.log import record
from tasks.identity.accounts import find_account, set_password
from tasks.identity.sessions import token_hash
from tasks.outbox.mail import queue_plain
from tasks.runtime import Runtime


class ResetRefused(ValueError):
    """The code is unknown, used or expired; the message says what to do, in Norwegian."""


def request_reset(session: Session, rt: Runtime, email: str, now: datetime, *, address: str = "") -> bool:
    """Queue a reset email if an active account has this address; the caller answers the same either way."""
    account = find_account(session, email)
    if account is None or account.disabled or account.id is None:
        return False
    token = secrets.token_urlsafe(32)
    minutes = rt.settings.auth.reset_link_minutes
    session.add(
        PasswordReset(
            token_hash=token_hash(token),
            user_id=account.id,
            created_at=now,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    recipient = Person(name=account.name, email=account.email, language=rt.settings.default_language)
    queue_plain(
        session,
        rt,
        person=recipient,
        template="password_reset",
        kind="password_reset",
        key=f"password_reset:{token_hash(token)[:32]}",
        now=now,
        context={
            "email": account.email,
            "valid_minutes": minutes,
            "link": f"{rt.settings.base_url.rstrip('/')}/nytt-passord?kode={token}",
        },
    )
    record(session, EventKind.USER_RESET_REQUESTED, at=now, email=account.email, address=address)
    return True


def account_for_code(session: Session, code: str, now: datetime) -> UserAccount:
    """The account a code may set a password for, or ResetRefused."""
    found = (
        session.exec(select(PasswordReset).where(PasswordReset.token_hash == token_hash(code))).first()
        if code and len(code) <= 100
        else None
    )
    account = session.get(UserAccount, found.user_id) if found else None
    if found is None or account is None or account.disabled:
        raise ResetRefused("Lenken for nytt passord er ugyldig. Be om en ny under «Glemt passord».")
    if found.used_at is not None:
        raise ResetRefused("Lenken for nytt passord er allerede brukt. Be om en ny under «Glemt passord».")
    if now >= found.expires_at:
        raise ResetRefused("Lenken for nytt passord er utløpt. Be om en ny under «Glemt passord».")
    return account


def reset_password(session: Session, code: str, password: str, now: datetime) -> UserAccount:
    """Set the new password (WeakPassword if weak) and spend every open code of the person."""
    account = account_for_code(session, code, now)
    set_password(session, account.email, password, now=now, actor=f"{account.name} <{account.email}>")
    session.exec(
        update(PasswordReset)  # type: ignore[call-overload]
        .where(col(PasswordReset.user_id) == account.id, col(PasswordReset.used_at).is_(None))
        .values(used_at=now)
    )
    return account
