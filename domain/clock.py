"""Time as the domain sees it: a Clock to ask (the wall clock is the composition root's), or one moved by hand."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime: ...


class ManualClock:
    """A clock that moves only when told to: simulations and tests step it from one due moment to the next."""

    def __init__(self, start: datetime) -> None:
        self._now = ensure_utc(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, moment: datetime) -> None:
        moment = ensure_utc(moment)
        with self._lock:
            if moment < self._now:
                raise ValueError(f"the clock cannot go backwards: {moment} < {self._now}")
            self._now = moment

    def advance(self, delta: timedelta) -> None:
        self.set(self.now() + delta)


def ensure_utc(moment: datetime) -> datetime:
    """Refuse naive datetimes: a moment without a zone is ambiguous around DST changes."""
    if moment.tzinfo is None:
        raise ValueError(f"naive datetime {moment.isoformat()} has no time zone")
    return moment.astimezone(UTC)
