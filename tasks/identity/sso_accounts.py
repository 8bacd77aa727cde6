"""Who a single sign-on is: the role from the configured group/role claim mapping, or else the local account."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from config.settings import OidcSettings
from domain.identity import AccountRole, UserAccount
from tasks.identity.accounts import add_account, find_account, normalise
from tasks.org.people import units_led_by

PRECEDENCE = (AccountRole.HR, AccountRole.KOMMUNALSJEF, AccountRole.LESER)


def mapped_role(settings: OidcSettings, claims: dict[str, Any]) -> tuple[AccountRole, str | None] | None:
    """The strongest role the claim's values map to (hr before kommunalsjef before leser), with its sector."""
    raw = claims.get(settings.role_claim, [])
    values = [raw] if isinstance(raw, str) else [str(v) for v in raw] if isinstance(raw, list) else []
    found: list[tuple[AccountRole, str | None]] = []
    for value in values:
        target = settings.role_map.get(value)
        if target:
            role, _, sector = target.partition(":")
            if role in {r.value for r in PRECEDENCE}:  # a leader comes from the organisation, not from a claim
                found.append((AccountRole(role), sector or None))
    return min(found, key=lambda pair: PRECEDENCE.index(pair[0])) if found else None


def account_for_sign_on(
    session: Session, settings: OidcSettings, claims: dict[str, Any], now: datetime
) -> UserAccount | None:
    """The account to sign in, kept in step with the mapping; None when the person has no role in Årshjul."""
    email = normalise(str(claims.get(settings.email_claim) or claims.get("email") or ""))
    if "@" not in email:
        return None
    account, mapped = find_account(session, email), mapped_role(settings, claims)
    if account is not None and account.disabled:
        return None  # a disabled account stays disabled, whatever the directory says
    if mapped is None:
        return account if account is not None else _leader_account(session, email, claims, now)
    role, sector = mapped
    name = str(claims.get("name") or email)
    if account is None:
        return add_account(
            session, email=email, name=name, role=role, sector_id=sector, now=now, actor="innlogging (SSO)"
        )
    if (account.role, account.sector_id) != (role, sector):
        account.role, account.sector_id = role, sector
        session.add(account)
    return account


def _leader_account(session: Session, email: str, claims: dict[str, Any], now: datetime) -> UserAccount | None:
    """A unit leader in the organisation signs in without a role in the directory: they see their own units."""
    if not units_led_by(session, email):
        return None
    name = str(claims.get("name") or email)
    return add_account(
        session, email=email, name=name, role=AccountRole.LEDER, sector_id=None, now=now, actor="innlogging (SSO)"
    )
