"""Simulated leaders, tillitsvalgte and HR: when each answers (what they write: answers.py and the modules it uses)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from domain.aarshjul.model import Aarshjul
from domain.aarshjul.schedule import Notice, NoticeKind
from domain.aarshjul.workdays import local_moment, to_local


class Behaviour(StrEnum):
    EARLY = "early"
    AFTER_REMINDERS = "after_reminders"
    AFTER_ESCALATION = "after_escalation"
    NEVER = "never"


@dataclass(frozen=True)
class Plan:
    assignment_id: int
    token: str
    form: str
    behaviour: Behaviour
    at: datetime | None


def choose_behaviour(rng: random.Random, *, required: bool) -> Behaviour:
    """The response model: ~60 % early, ~25 % after reminders, ~10 % after escalation, ~5 % never."""
    if not required:
        return rng.choice([Behaviour.EARLY, Behaviour.NEVER])
    roll = rng.random()
    if roll < 0.60:
        return Behaviour.EARLY
    if roll < 0.85:
        return Behaviour.AFTER_REMINDERS
    return Behaviour.AFTER_ESCALATION if roll < 0.96 else Behaviour.NEVER


def answer_time(
    rng: random.Random,
    aarshjul: Aarshjul,
    behaviour: Behaviour,
    *,
    opens_at: datetime,
    due_at: datetime,
    closes_at: datetime,
    ladder: list[Notice],
) -> datetime | None:
    """A moment in office hours that fits the behaviour, on the ladder of this task's notices."""
    reminders = [n.at for n in ladder if n.kind == NoticeKind.REMINDER]
    escalations = [n.at for n in ladder if n.kind in (NoticeKind.ESCALATE_SECTOR, NoticeKind.ESCALATE_HR)]
    first_reminder = reminders[0] if reminders else due_at
    if behaviour == Behaviour.NEVER:
        return None
    if behaviour == Behaviour.EARLY:
        return _office_moment(rng, aarshjul, opens_at + timedelta(hours=2), first_reminder - timedelta(hours=20))
    if behaviour == Behaviour.AFTER_REMINDERS or not escalations:
        return _office_moment(rng, aarshjul, first_reminder + timedelta(hours=1), due_at - timedelta(hours=1))
    return _office_moment(
        rng,
        aarshjul,
        escalations[0] + timedelta(hours=1),
        min(escalations[0] + timedelta(days=10), closes_at - timedelta(days=1)),
    )


def _office_moment(rng: random.Random, aarshjul: Aarshjul, start: datetime, end: datetime) -> datetime:
    first, last = to_local(start).date(), to_local(max(end, start)).date()
    cal = aarshjul.calendar(first.year)
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    working = [d for d in days if cal.is_working_day(d)] or [cal.next_working_day(first)]
    for _ in range(20):
        moment = local_moment(rng.choice(working), time(rng.randint(8, 15), rng.randrange(0, 60, 5)))
        if start <= moment <= max(end, start + timedelta(minutes=1)):
            return moment
    return max(start, local_moment(working[0], aarshjul.hours.start))
