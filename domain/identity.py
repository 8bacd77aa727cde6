"""Who may sign in to the console: accounts with a role (and a sector), their sessions, failed sign-ins, reset codes."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Field, SQLModel

from domain.types import UtcDateTime


def _when(nullable: bool = False, index: bool = False) -> Any:
    return Field(default=None, sa_type=UtcDateTime, nullable=nullable, index=index)


class AccountRole(StrEnum):
    HR = "hr"  # everything
    KOMMUNALSJEF = "kommunalsjef"  # their own sector only
    LESER = "leser"  # read-only overview and plans (kommunedirektøren)
    LEDER = "leder"  # a unit leader: the tasks and history of their own units, read-only


ROLE_NAMES = {
    AccountRole.HR: "HR", AccountRole.KOMMUNALSJEF: "kommunalsjef", AccountRole.LESER: "leser",
    AccountRole.LEDER: "leder",
}  # fmt: skip
_ACTOR = re.compile(
    r"^(?P<who>.+ <[^<>]+>) \((?P<role>HR|kommunalsjef|leser|leder)(?:, på vegne av (?P<behalf>.+))?\)$"
)


def actor_label(name: str, email: str, role: AccountRole, on_behalf_of: str = "") -> str:
    """How an event names the signed-in person who caused it: «Navn <e-post> (rolle[, på vegne av sektor])»."""
    behalf = f", på vegne av {on_behalf_of}" if on_behalf_of else ""
    return f"{name} <{email}> ({ROLE_NAMES[role]}{behalf})"


def actor_parts(actor: str) -> tuple[str, str, str]:
    """An event's actor as (who, role, on whose behalf); a system actor («system», «import») has no role."""
    found = _ACTOR.match(actor)
    return (found["who"], found["role"], found["behalf"] or "") if found else (actor, "", "")


class UserAccount(SQLModel, table=True):
    __tablename__ = "user_account"
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)  # stored lower-case
    name: str = Field(max_length=200)
    role: AccountRole
    sector_id: str | None = Field(default=None, foreign_key="org_unit.id", max_length=64)
    password_hash: str | None = Field(default=None, max_length=300)  # None: signs in by single sign-on only
    disabled: bool = False
    created_at: datetime = _when()
    password_changed_at: datetime = _when()


class UserSession(SQLModel, table=True):
    """A signed-in browser; only the SHA-256 of its random id is stored, so a copy of the table signs no one in."""

    __tablename__ = "user_session"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = _when()
    last_seen_at: datetime = _when()
    expires_at: datetime = _when()


class SignInFailure(SQLModel, table=True):
    """One failed sign-in, counted per account (e-mail as typed) and per client address by every web process."""

    __tablename__ = "sign_in_failure"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _when(index=True)
    email: str = Field(max_length=254, index=True)
    address: str = Field(max_length=64, index=True)


class PasswordReset(SQLModel, table=True):
    """A one-time code from a "glemt passord" email: stored hashed, used once, expires."""

    __tablename__ = "password_reset"
    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    created_at: datetime = _when()
    expires_at: datetime = _when()
    used_at: datetime | None = _when(nullable=True)
