"""When a message that failed is tried again, and when it is given up: back-off within a lifetime, as Postfix does.

A message that fails temporarily is retried until `smtp.max_age_hours` (3 days by default) after its first failure
of the current run of failures; a failure at or past that moment makes it dead. The next attempt is never later
than that moment, so the last attempt falls on it.

Two kinds of temporary failure wait differently:

* A 4xx about one message (450, 451, 452 …) is that message's own problem: it waits
  `backoff_base_seconds × 2^(attempt−1)`, at most `backoff_max_seconds` (60 s, 2, 4, 8, 16, 32 minutes, then an
  hour).
* The relay being unavailable (no connection, a lost connection with no reconnect left, a 421 reply) is not
  about any one message: every message it stopped in a run waits until the same moment, as long as the outage has
  lasted so far (counted from the oldest first failure among the messages due in the run), at least the base and
  at most the maximum, and is marked `waiting_for_relay`. As soon as a round connects again, every message waiting
  for the relay is due at once (tasks/outbox_feed.py), so the queue comes back whole when the relay does and goes
  out in the order it was queued, while a day's outage costs a few dozen connection attempts, not one per message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from config.settings import SmtpSettings
from domain.models import OutboxStatus
from notifications.feed import DeliveryOutcome

TEMPORARY = frozenset({DeliveryOutcome.TRANSIENT, DeliveryOutcome.UNAVAILABLE})


@dataclass
class RetryPolicy:
    """The retry decisions of one delivery round at `as_of`."""

    smtp: SmtpSettings
    as_of: datetime
    oldest_failure: datetime | None = None  # among the messages due in this round, for the relay's back-off

    def saw(self, first_failed_at: datetime | None) -> None:
        """Note a due message's first failure, if any (the feed calls this for every due message it reads)."""
        if first_failed_at is not None and (self.oldest_failure is None or first_failed_at < self.oldest_failure):
            self.oldest_failure = first_failed_at

    def relay_retry_at(self) -> datetime:
        """When the relay is tried again after it was unavailable in this round: the same moment for every message."""
        lasted = (self.as_of - self.oldest_failure).total_seconds() if self.oldest_failure else 0.0
        return self.as_of + timedelta(seconds=self._clamp(lasted))

    def failure(
        self, outcome: DeliveryOutcome, detail: str, *, attempts: int, first_failed_at: datetime | None
    ) -> tuple[str, dict[str, Any]]:
        """("retrying" or "dead", the column values) for a message that failed with `outcome` on attempt `attempts`."""
        since = first_failed_at or self.as_of
        gives_up_at = since + timedelta(hours=self.smtp.max_age_hours)
        capped = self.smtp.max_attempts is not None and attempts >= self.smtp.max_attempts
        values: dict[str, Any] = {"attempts": attempts, "attempt_token": None, "relay_reply": detail[:400]}
        if outcome in TEMPORARY and self.as_of < gives_up_at and not capped:
            if outcome is DeliveryOutcome.UNAVAILABLE:
                retry_at = self.relay_retry_at()
            else:
                backoff = self.smtp.backoff_base_seconds * 2 ** min(attempts - 1, 30)
                retry_at = self.as_of + timedelta(seconds=self._clamp(backoff))
            values.update(
                status=OutboxStatus.FAILED,
                last_error=detail,
                next_attempt_at=min(retry_at, gives_up_at),
                first_failed_at=since,
                waiting_for_relay=outcome is DeliveryOutcome.UNAVAILABLE,
            )
            return "retrying", values
        if outcome in TEMPORARY:
            why = f"gitt opp etter {attempts} forsøk" if capped else f"gitt opp etter {_hours(self.smtp.max_age_hours)}"
            detail = f"{why}; siste svar: {detail}"
        values.update(status=OutboxStatus.DEAD, last_error=detail)
        return "dead", values

    def _clamp(self, seconds: float) -> float:
        return min(max(seconds, self.smtp.backoff_base_seconds), self.smtp.backoff_max_seconds)


def _hours(hours: float) -> str:
    return f"{int(hours // 24)} døgn" if hours % 24 == 0 else f"{hours:g} timer"
