"""Console accounts: add, list, disable, change password; disabling or a new password ends every session at once."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, col, delete, select

from domain.events import EventKind
from domain.identity import ROLE_NAMES, AccountRole, UserAccount, UserSession
from domain.models import OrgUnit, UnitLevel
from tasks.events.log import record
from tasks.identity.passwords import check_strength, hash_password
from tasks.org.people import units_led_by


class AccountError(ValueError):
    """An account cannot be made or changed as asked; the message says why, in Norwegian."""


def normalise(email: str) -> str:
    return email.strip().lower()


def find_account(session: Session, email: str) -> UserAccount | None:
    return session.exec(select(UserAccount).where(UserAccount.email == normalise(email))).first()


def add_account(
    session: Session,
    *,
    email: str,
    name: str,
    role: AccountRole,
    sector_id: str | None,
    now: datetime,
    actor: str = "system",
) -> UserAccount:
    """A new account without a password (set it with `users password`, or sign in by single sign-on)."""
    address = normalise(email)
    if "@" not in address or " " in address or len(address) > 254:
        raise AccountError(f"«{email}» er ikke en gyldig e-postadresse.")
    if not name.strip():
        raise AccountError("Skriv navnet til personen (--name).")
    if find_account(session, address) is not None:
        raise AccountError(f"Det finnes allerede en bruker med e-postadressen {address}.")
    _check_sector(session, role, sector_id)
    _check_leader(session, role, address)
    account = UserAccount(
        email=address, name=name.strip(), role=role, sector_id=sector_id, created_at=now, password_changed_at=now
    )
    session.add(account)
    session.flush()
    record(session, EventKind.USER_ADDED, at=now, actor=actor, unit_id=sector_id, email=address, role=role.value)
    return account


def _check_sector(session: Session, role: AccountRole, sector_id: str | None) -> None:
    if role == AccountRole.KOMMUNALSJEF:
        if not sector_id:
            raise AccountError("En kommunalsjef må ha en sektor: oppgi --sector med sektorens enhets-id.")
        unit = session.get(OrgUnit, sector_id)
        if unit is None or unit.level != UnitLevel.SEKTOR:
            raise AccountError(f"Fant ingen sektor med enhets-id «{sector_id}» (se organisasjonsimporten).")
    elif sector_id:
        raise AccountError(f"Bare en kommunalsjef har en sektor; rollen {ROLE_NAMES[role]} gjelder hele kommunen.")


def _check_leader(session: Session, role: AccountRole, email: str) -> None:
    if role == AccountRole.LEDER and not units_led_by(session, email):
        raise AccountError(
            f"{email} er ikke leder for noen enhet i organisasjonen (se organisasjonsimporten). "
            "Rollen leder er for enhetsledere, som ser sine egne enheters oppgaver."
        )


def accounts(session: Session) -> list[UserAccount]:
    return list(session.exec(select(UserAccount).order_by(col(UserAccount.email))))


def disable_account(session: Session, email: str, *, now: datetime, actor: str = "system") -> UserAccount:
    """Stop the account from signing in; every browser it is signed in on is signed out now."""
    account = _existing(session, email)
    account.disabled = True
    session.add(account)
    end_all_sessions(session, account)
    record(session, EventKind.USER_DISABLED, at=now, actor=actor, email=account.email)
    return account


def set_password(session: Session, email: str, password: str, *, now: datetime, actor: str = "system") -> UserAccount:
    """A new password (refused with a sentence when weak); every session of the person ends."""
    account = _existing(session, email)
    check_strength(password, email=account.email, name=account.name)
    account.password_hash = hash_password(password)
    account.password_changed_at = now
    session.add(account)
    end_all_sessions(session, account)
    record(session, EventKind.USER_PASSWORD_CHANGED, at=now, actor=actor, email=account.email)
    return account


def end_all_sessions(session: Session, account: UserAccount) -> None:
    session.exec(delete(UserSession).where(col(UserSession.user_id) == account.id))  # type: ignore[call-overload]


def _existing(session: Session, email: str) -> UserAccount:
    account = find_account(session, email)
    if account is None:
        raise AccountError(f"Fant ingen bruker med e-postadressen {normalise(email)}.")
    return account
