"""Failed sign-ins counted in the database, per account and per client address, so every web process shares them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, delete, select

from config.settings import AuthSettings
from domain.events import EventKind
from domain.identity import SignInFailure
from tasks.events.log import record

RESET_PREFIX = "reset:"  # "glemt passord" requests are counted under this prefix, apart from sign-ins


@dataclass(frozen=True)
class Wait:
    """Sign-in refused for now: for how long, and whether it is the account (not the address) that is locked."""

    until: datetime
    account_locked: bool

    def minutes(self, now: datetime) -> int:
        return max(1, math.ceil((self.until - now).total_seconds() / 60))


def must_wait(session: Session, auth: AuthSettings, email: str, address: str, now: datetime) -> Wait | None:
    """When the account or the address has had too many failures within the window, until when it must wait."""
    window = timedelta(minutes=auth.failure_window_minutes)
    for column, value, limit, is_account in (
        (SignInFailure.email, email, auth.failures_per_account, True),
        (SignInFailure.address, address, auth.failures_per_address, False),
    ):
        times = session.exec(
            select(SignInFailure.at)
            .where(col(column) == value, col(SignInFailure.at) > now - window)
            .order_by(col(SignInFailure.at).desc())
            .limit(limit)
        ).all()
        if len(times) >= limit:
            return Wait(until=times[-1] + window, account_locked=is_account)
    return None


def count_failure(session: Session, auth: AuthSettings, email: str, address: str, now: datetime) -> None:
    """Count one failure; the one that locks the account is recorded for HR in the event log."""
    session.add(SignInFailure(at=now, email=email, address=address))
    session.flush()
    window = timedelta(minutes=auth.failure_window_minutes)
    recent = session.exec(
        select(func.count())
        .select_from(SignInFailure)
        .where(col(SignInFailure.email) == email, col(SignInFailure.at) > now - window)
    ).one()
    if recent == auth.failures_per_account and not email.startswith(RESET_PREFIX):  # reset requests lock no account
        record(
            session, EventKind.USER_LOCKED, at=now, email=email, address=address, minutes=auth.failure_window_minutes
        )
    session.exec(delete(SignInFailure).where(col(SignInFailure.at) <= now - 4 * window))  # type: ignore[call-overload]


def forget_failures(session: Session, email: str) -> None:
    """A correct password clears the account's count (the address keeps its own)."""
    session.exec(delete(SignInFailure).where(col(SignInFailure.email) == email))  # type: ignore[call-overload]
