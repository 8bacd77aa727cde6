"""Stateless CSRF tokens keyed by the runtime's secret, and the name of the console's session cookie."""

from __future__ import annotations

import hashlib
import hmac

from tasks.runtime import Runtime

SESSION_COOKIE = "arshjul_okt"  # holds a random session id; the session itself is on the server (tasks/identity)


def _mac(rt: Runtime, message: str) -> str:
    key = rt.settings.secret_key.get_secret_value().encode()
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def csrf_token(rt: Runtime, subject: str) -> str:
    """HMAC(secret, "csrf:" + subject): the subject is the link token, or the console session's id."""
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
