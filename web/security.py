"""Stateless CSRF tokens and the signed HR session cookie; both keyed by the runtime's secret."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import datetime, timedelta

from tasks.runtime import Runtime

SESSION_COOKIE = "arshjul_hr"
SESSION_LIFETIME = timedelta(hours=10)


def _mac(rt: Runtime, message: str) -> str:
    key = rt.settings.secret_key.get_secret_value().encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def csrf_token(rt: Runtime, subject: str) -> str:
    """HMAC(secret, "csrf:" + subject): the subject is the link token, or the HR session."""
    return _mac(rt, "csrf:" + subject)


def tokens_match(expected: str, given: object) -> bool:
    """Constant-time equality of a token we issued and one that came in; never raises, whatever came in.

    `hmac.compare_digest` raises TypeError for a str with non-ASCII characters, so both sides are compared as bytes.
    """
    if not isinstance(given, str) or not given:
        return False
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "surrogatepass"))


def csrf_ok(rt: Runtime, subject: str, token: object) -> bool:
    """The form's CSRF token is the one this link or session was given; anything else (or nothing) is False."""
    return tokens_match(csrf_token(rt, subject), token)


def new_session(rt: Runtime, now: datetime) -> str:
    """A session value: when it was issued, and a MAC over that."""
    issued = str(int(now.timestamp()))
    return f"{issued}.{_mac(rt, 'hr-session:' + issued)}"


def session_ok(rt: Runtime, value: str | None, now: datetime) -> bool:
    """A session we issued, not older than its lifetime (on the injected clock)."""
    if not value or "." not in value:
        return False
    issued, mac = value.split(".", 1)
    if not re.fullmatch(r"[0-9]{1,12}", issued) or not tokens_match(_mac(rt, "hr-session:" + issued), mac):
        return False
    age = now.timestamp() - int(issued)
    return -300 <= age <= SESSION_LIFETIME.total_seconds()


def password_ok(rt: Runtime, typed: str) -> bool:
    """Constant-time comparison with the configured HR password."""
    expected = rt.settings.hr_password.get_secret_value().encode()
    return bool(expected) and hmac.compare_digest(
        hashlib.sha256(typed.encode()).digest(), hashlib.sha256(expected).digest()
    )
