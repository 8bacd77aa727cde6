"""When things happen: a phase's dates for a year, and the ladder of notices for one task."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.aarshjul.model import Aarshjul, PhaseConfig
from domain.aarshjul.workdays import WorkCalendar, local_moment, to_local


class NoticeKind(StrEnum):
    REMINDER = "reminder"
    OVERDUE = "overdue"
    ESCALATE_SECTOR = "escalate_sector"
    ESCALATE_HR = "escalate_hr"


@dataclass(frozen=True)
class PhaseDates:
    opens_at: datetime
    due_at: datetime
    closes_at: datetime


@dataclass(frozen=True)
class Notice:
    at: datetime
    kind: NoticeKind
    offset: int  # working days before (reminders) or after (overdue, escalation) the deadline


class ScheduleError(ValueError):
    """A phase whose dates do not follow each other (opens ≤ due < closes)."""


def phase_dates(aarshjul: Aarshjul, phase: PhaseConfig, year: int) -> PhaseDates:
    """Resolve a phase's rules for one cycle year into moments in UTC (Oslo wall times, DST-safe)."""
    cal = aarshjul.calendar(year)
    if phase.opens is None or phase.due is None or phase.closes is None:
        raise ScheduleError(f"{phase.key}: fasen har steps: og ingen egne datoer")
    opens = cal.next_working_day(phase.opens.resolve(year, cal))
    due = cal.next_working_day(phase.due.resolve(year, cal))
    closes = cal.next_working_day(phase.closes.resolve(year, cal))
    for sector, rule in phase.due_by_sector.items():
        day = cal.next_working_day(rule.resolve(year, cal))
        if not opens <= day < closes:
            raise ScheduleError(
                f"{phase.key} {year}: fristen for {sector} ({day}) må ligge mellom åpning {opens} og lukking {closes}"
            )
    if not opens <= due < closes:
        raise ScheduleError(
            f"{phase.key} {year}: åpner {opens}, frist {due} og lukkes {closes} – "
            "rekkefølgen må være åpner ≤ frist < lukkes"
        )
    return PhaseDates(
        opens_at=local_moment(opens, aarshjul.hours.start),
        due_at=local_moment(due, aarshjul.deadline_time),
        closes_at=local_moment(closes, aarshjul.hours.end),
    )


def sector_due_at(aarshjul: Aarshjul, phase: PhaseConfig, year: int, sector_names: tuple[str, ...]) -> datetime | None:
    """The deadline `due_by_sector` gives a unit whose sector has one of these ids or names (any case), else None."""
    wanted = {" ".join(name.lower().split()) for name in sector_names}
    for sector, rule in phase.due_by_sector.items():
        if " ".join(sector.lower().split()) in wanted:
            cal = aarshjul.calendar(year)
            return local_moment(cal.next_working_day(rule.resolve(year, cal)), aarshjul.deadline_time)
    return None


LadderKey = tuple[str, datetime, datetime, bool]
# Per årshjul object (frozen, so its ladders never change): the same few ladders are asked for once per open task
# on every dispatcher tick, which at 5 000 units made the ladder the hottest pure function of the year.
_LADDERS: dict[int, tuple[Aarshjul, dict[LadderKey, tuple[PhaseConfig, tuple[Notice, ...]]]]] = {}
_MAX_AARSHJULS = 8
_MAX_LADDERS = 4096


def notice_ladder(
    aarshjul: Aarshjul, phase: PhaseConfig, *, opens_at: datetime, due_at: datetime, required: bool
) -> list[Notice]:
    """Every reminder, overdue notice and escalation for one task, in time order, on working days."""
    memo = _memo_for(aarshjul)
    key = (phase.key, opens_at, due_at, required)
    hit = memo.get(key)
    if hit is not None and hit[0] is phase:
        return list(hit[1])
    ladder = _ladder(aarshjul, phase, opens_at=opens_at, due_at=due_at, required=required)
    if len(memo) >= _MAX_LADDERS:
        memo.clear()
    memo[key] = (phase, tuple(ladder))
    return ladder


def _memo_for(aarshjul: Aarshjul) -> dict[LadderKey, tuple[PhaseConfig, tuple[Notice, ...]]]:
    entry = _LADDERS.get(id(aarshjul))
    if entry is None or entry[0] is not aarshjul:  # the strong reference makes a reused id detectable
        if len(_LADDERS) >= _MAX_AARSHJULS:
            _LADDERS.clear()
        entry = _LADDERS[id(aarshjul)] = (aarshjul, {})
    return entry[1]


def _ladder(
    aarshjul: Aarshjul, phase: PhaseConfig, *, opens_at: datetime, due_at: datetime, required: bool
) -> list[Notice]:
    due_day = to_local(due_at).date()
    cal = aarshjul.calendar(due_day.year)
    notices = [
        Notice(_send(aarshjul, day), NoticeKind.REMINDER, offset)
        for offset in phase.reminders
        if (day := cal.add_working_days(due_day, -offset)) > to_local(opens_at).date()
    ]
    if required:
        notices += _after_due(aarshjul, phase, cal, due_day)
    return sorted({n.at: n for n in notices}.values(), key=lambda n: n.at)


def _after_due(aarshjul: Aarshjul, phase: PhaseConfig, cal: WorkCalendar, due_day: date) -> list[Notice]:
    notices: list[Notice] = []
    if phase.overdue_notice:
        notices.append(Notice(_send(aarshjul, cal.add_working_days(due_day, 1)), NoticeKind.OVERDUE, 1))
    steps = (
        (phase.escalation.to_sector_leader_after, NoticeKind.ESCALATE_SECTOR),
        (phase.escalation.to_hr_after, NoticeKind.ESCALATE_HR),
    )
    for after, kind in steps:
        if after:
            notices.append(Notice(_send(aarshjul, cal.add_working_days(due_day, after)), kind, after))
    return notices


def _send(aarshjul: Aarshjul, day: date) -> datetime:
    return local_moment(day, aarshjul.send_time)
