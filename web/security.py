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


def csrf_ok(rt: Runtime, subject: str, token: str | None) -> bool:
    return bool(token) and hmac.compare_digest(csrf_token(rt, subject), str(token))
