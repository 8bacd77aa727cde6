"""Failed HR logins counted per client address: after too many, the login waits a while.

Kept in memory, per process, on the injected clock: enough for one web process (the default). Behind several
processes each counts on its own, and a restart forgets; a shared store would be needed to count across them.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta
from typing import Final

from fastapi import Request

MAX_FAILURES: Final = 5
WINDOW: Final = timedelta(minutes=15)
MAX_ADDRESSES: Final = 10_000  # a flood from many addresses cannot grow the table without bound


class LoginThrottle:
    """At most `limit` failed logins per address within `window`; then refused until the oldest ages out."""

    def __init__(self, limit: int = MAX_FAILURES, window: timedelta = WINDOW) -> None:
        self.limit = limit
        self.window = window
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def wait(self, address: str, now: datetime) -> timedelta | None:
        """How long this address must wait before it may try again, or None if it may try now."""
        with self._lock:
            failures = self._recent(address, now)
            if len(failures) < self.limit:
                return None
            return failures[-self.limit] + self.window - now

    def failed(self, address: str, now: datetime) -> None:
        with self._lock:
            if address not in self._failures and len(self._failures) >= MAX_ADDRESSES:
                self._forget_stale(now)
            self._recent(address, now).append(now)

    def succeeded(self, address: str) -> None:
        with self._lock:
            self._failures.pop(address, None)

    def _recent(self, address: str, now: datetime) -> deque[datetime]:
        failures = self._failures.setdefault(address, deque(maxlen=self.limit))
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def _forget_stale(self, now: datetime) -> None:
        for address in [a for a, times in self._failures.items() if not times or times[-1] <= now - self.window]:
            del self._failures[address]
        while len(self._failures) >= MAX_ADDRESSES:  # all recent: drop the oldest entries
            del self._failures[next(iter(self._failures))]


def throttle_of(request: Request) -> LoginThrottle:
    """The app's throttle (one per app, so each test app starts afresh)."""
    throttle: LoginThrottle | None = getattr(request.app.state, "login_throttle", None)
    if throttle is None:
        throttle = request.app.state.login_throttle = LoginThrottle()
    return throttle


def client_address(request: Request) -> str:
    """The peer address; behind a reverse proxy run uvicorn with --proxy-headers so this is the real client."""
    return request.client.host if request.client else "unknown"


def minutes(wait: timedelta) -> int:
    """A wait in whole minutes, rounded up, at least one."""
    return max(1, math.ceil(wait.total_seconds() / 60))
