"""When things happen: a phase's dates for a year, and the ladder of notices for one task."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.aarshjul.model import Aarshjul, PhaseConfig
from domain.aarshjul.parts import Rule
from domain.aarshjul.phase_window import PhaseDates, ScheduleError
from domain.aarshjul.workdays import WorkCalendar, local_moment, to_local
from domain.aarshjul.year_schedule import year_schedule

__all__ = ["Notice", "NoticeKind", "PhaseDates", "ScheduleError", "notice_ladder", "phase_dates"]


class NoticeKind(StrEnum):
    REMINDER = "reminder"
    OVERDUE = "overdue"
    ESCALATE_SECTOR = "escalate_sector"
    ESCALATE_HR = "escalate_hr"


@dataclass(frozen=True)
class Notice:
    at: datetime
    kind: NoticeKind
    offset: int  # working days before (reminders) or after (overdue, escalation) the deadline


def phase_dates(aarshjul: Aarshjul, phase: PhaseConfig, year: int) -> PhaseDates:
    """One phase's moments in cycle year `year` (UTC, Oslo wall times, DST-safe), resolved with the whole year.

    An occurrence of a repeating phase is found by its key; the repeating phase itself has no single date.
    """
    if phase.repeat is not None:
        raise ScheduleError(f"{phase.key} {year}: fasen gjentas; datoene hører til hver forekomst")
    for scheduled in year_schedule(aarshjul, year):
        if scheduled.config.key == phase.key:
            return scheduled.dates
    # A phase that is not (or no longer) in this årshjul: its rules resolved on their own.
    return year_schedule(aarshjul.model_copy(update={"phases": [phase]}), year)[0].dates


def sector_due_at(aarshjul: Aarshjul, phase: PhaseConfig, year: int, sector_names: tuple[str, ...]) -> datetime | None:
    """The deadline `due_by_sector` gives a unit whose sector has one of these ids or names (any case), else None."""
    return _own_due_at(aarshjul, phase.due_by_sector, year, sector_names)


def kind_due_at(aarshjul: Aarshjul, phase: PhaseConfig, year: int, kind: str | None) -> datetime | None:
    """The deadline `due_by_kind` gives a unit of this kind (any case), else None."""
    return _own_due_at(aarshjul, phase.due_by_kind, year, (kind,) if kind else ())


def _own_due_at(aarshjul: Aarshjul, rules: Mapping[str, Rule], year: int, names: tuple[str, ...]) -> datetime | None:
    wanted = {" ".join(name.lower().split()) for name in names}
    for name, rule in rules.items():
        if " ".join(name.lower().split()) in wanted:
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
