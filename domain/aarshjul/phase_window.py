"""A phase's three moments for one cycle year, and the refusal of dates that do not make a window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class PhaseDates:
    opens_at: datetime
    due_at: datetime
    closes_at: datetime


class ScheduleError(ValueError):
    """A phase whose dates do not follow each other (opens ≤ due < closes) or leave no working day."""


class WindowClosed(ScheduleError):
    """A phase whose window (opens..closes) has no working day left once closed periods are taken out."""
