"""A cycle year's schedule: every phase (occurrences of repeating ones included) with its dates.

The rules of a year are resolved together, in dependency order, so one may name another's date
("5 arbeidsdager etter spring-input.due"). A resolved date that is not a working day moves to the next one, and a
phase whose window has no working day left once closed periods are taken out is refused with a sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from domain.aarshjul.date_base import DateRuleError
from domain.aarshjul.date_forms import PERIOD_END, PERIOD_START
from domain.aarshjul.model import Aarshjul, PhaseConfig
from domain.aarshjul.phase_window import PhaseDates, ScheduleError, WindowClosed
from domain.aarshjul.references import OWN_FIELDS, NamedRule, OwnerNames, resolution_order
from domain.aarshjul.workdays import WorkCalendar, local_moment


@dataclass(frozen=True)
class ScheduledPhase:
    config: PhaseConfig
    dates: PhaseDates


def year_schedule(aarshjul: Aarshjul, year: int) -> list[ScheduledPhase]:
    """Every concrete phase of cycle year `year` with its dates; the first problem raises a ScheduleError."""
    scheduled, problems = resolve_year(aarshjul, year)
    if problems:
        raise problems[0][1]
    return scheduled


def resolve_year(aarshjul: Aarshjul, year: int) -> tuple[list[ScheduledPhase], list[tuple[str, ValueError]]]:
    """The phases whose dates resolve, and (configured key, error) for each phase whose dates do not."""
    phases = aarshjul.concrete_phases(year)
    cal = aarshjul.calendar(year)
    rules = [
        NamedRule(f"{phase.key}.{field}", phase.key, getattr(phase, field), in_period=phase.period is not None)
        for phase in phases
        for field in OWN_FIELDS
    ]
    dates: dict[str, date] = {}
    problems: dict[str, ValueError] = {}
    by_key = {phase.key: phase for phase in phases}
    for rule in resolution_order(rules):
        phase = by_key[rule.owner]
        if phase.key in problems:
            continue
        try:
            local = _period_names(phase)
            raw = rule.rule.resolve(_rule_year(phase, year), cal, OwnerNames(phase.key, dates, local))
            dates[rule.name] = cal.next_working_day(raw)
        except (DateRuleError, ValueError) as error:
            problems[phase.key] = ScheduleError(f"{phase.key} {year}: {error}")
    scheduled = []
    for phase in phases:
        if phase.key in problems:
            continue
        try:
            scheduled.append(ScheduledPhase(phase, _moments(aarshjul, phase, year, dates, cal)))
        except ScheduleError as error:
            problems[phase.key] = error
    return scheduled, [(phase.series or phase.key, problems[phase.key]) for phase in phases if phase.key in problems]


def _rule_year(phase: PhaseConfig, year: int) -> int:
    # An occurrence's rules count in its period's year, so a cycle that starts in autumn runs into the next year.
    return phase.period.start.year if phase.period is not None else year


def _period_names(phase: PhaseConfig) -> Mapping[str, date]:
    if phase.period is None:
        return {}
    return {PERIOD_START: phase.period.start, PERIOD_END: phase.period.end}


def _moments(
    aarshjul: Aarshjul, phase: PhaseConfig, year: int, dates: Mapping[str, date], cal: WorkCalendar
) -> PhaseDates:
    opens, due, closes = (dates[f"{phase.key}.{field}"] for field in OWN_FIELDS)
    if not opens <= due < closes:
        raise _order_problem(aarshjul, phase, year, dates, cal)
    own = [*phase.due_by_sector.items(), *phase.due_by_kind.items()]
    for sector, rule in own:  # a sector's or unit kind's own deadline stays inside the phase's window
        day = cal.next_working_day(rule.resolve(_rule_year(phase, year), cal, OwnerNames(phase.key, dates, {})))
        if not opens <= day < closes:
            raise ScheduleError(
                f"{phase.key} {year}: fristen for {sector} ({day}) må ligge mellom åpning {opens} og lukking {closes}"
            )
    return PhaseDates(
        opens_at=local_moment(opens, aarshjul.hours.start),
        due_at=local_moment(due, aarshjul.deadline_time),
        closes_at=local_moment(closes, aarshjul.hours.end),
    )


def _order_problem(
    aarshjul: Aarshjul, phase: PhaseConfig, year: int, dates: Mapping[str, date], cal: WorkCalendar
) -> ScheduleError:
    """Why the dates are out of order: a window swallowed by a closed period gets its own sentence."""
    opens, due, closes = (dates[f"{phase.key}.{field}"] for field in OWN_FIELDS)
    plain = aarshjul.model_copy(update={"closed_periods": []}).calendar(year)
    unclosed: dict[str, date] = {}
    for field in OWN_FIELDS:
        try:
            names = OwnerNames(phase.key, {**dates, **unclosed}, _period_names(phase))
            unclosed[f"{phase.key}.{field}"] = plain.next_working_day(
                getattr(phase, field).resolve(_rule_year(phase, year), plain, names)
            )
        except (DateRuleError, KeyError, ValueError):
            break
    else:
        start, end = unclosed[f"{phase.key}.opens"], unclosed[f"{phase.key}.closes"]
        days = [start + timedelta(days=n) for n in range((end - start).days + 1)]
        if days and not any(cal.is_working_day(day) for day in days):
            closing = (
                ", ".join(p.name for p in aarshjul.closed_periods if set(p.dates(start.year)) & set(days))
                or "stengte dager"
            )
            return WindowClosed(
                f"{phase.key} {year}: vinduet fra {start:%d.%m.%Y} til {end:%d.%m.%Y} har ingen arbeidsdag igjen "
                f"når stengte perioder ({closing}) er tatt ut. Legg fristen utenfor den stengte perioden, "
                "eller la fasen lukkes senere."
            )
    return ScheduleError(
        f"{phase.key} {year}: åpner {opens}, frist {due} og lukkes {closes} – "
        "rekkefølgen må være åpner ≤ frist < lukkes"
    )
