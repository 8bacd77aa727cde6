"""The årshjul model: phases, audiences, dates as rules, reminders and escalation, and their validation."""

from __future__ import annotations

import re
from datetime import date, time
from functools import cached_property, lru_cache
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    PlainValidator,
    ValidationInfo,
    field_validator,
    model_validator,
)

from domain.aarshjul.bodies import DEFAULT_BODIES, PlanBody, check_bodies
from domain.aarshjul.closed_periods import ClosedPeriod, parse_closed_period
from domain.aarshjul.parts import (
    KEY_PATTERN,
    Audience,
    AudienceEntry,
    Escalation,
    FormKind,
    Rule,
    Strict,
    Texts,
)
from domain.aarshjul.recurrence import MAX_REPEATING_KEY, Period, Repeat, period_from_suffix, periods
from domain.aarshjul.references import OWN_FIELDS, LocatedProblems, NamedRule, reference_problems
from domain.aarshjul.step_checks import step_problems, where_text
from domain.aarshjul.step_phases import meeting_fields, task_fields
from domain.aarshjul.steps import MeetingStep, Step, TaskStep
from domain.aarshjul.terms import Terms
from domain.aarshjul.workdays import OfficeHours, WorkCalendar

__all__ = ["Audience", "AudienceEntry", "Escalation", "FormKind", "Texts"]


def _clock(value: Any) -> time:
    if isinstance(value, time):
        return value
    if isinstance(value, int):  # YAML 1.1 reads 08:00 unquoted as a sexagesimal number of minutes
        return time(value // 60, value % 60)
    match = re.fullmatch(r"([01]?\d|2[0-3])[:.]([0-5]\d)", str(value).strip())
    if not match:
        raise ValueError(f"'{value}' er ikke et klokkeslett på formen TT:MM")
    return time(int(match[1]), int(match[2]))


_WEEKDAY_NAMES = (
    ("monday", "mandag"), ("tuesday", "tirsdag"), ("wednesday", "onsdag"), ("thursday", "torsdag"),
    ("friday", "fredag"), ("saturday", "lørdag"), ("sunday", "søndag"),
)  # fmt: skip


def _weekday(value: Any) -> int:
    for number, names in enumerate(_WEEKDAY_NAMES):
        if str(value).strip().lower() in names:
            return number
    raise ValueError(f"'{value}' er ikke en ukedag (monday–sunday eller mandag–søndag)")


Clock = Annotated[time, BeforeValidator(_clock)]
Weekday = Annotated[int, BeforeValidator(_weekday)]
Closed = Annotated[ClosedPeriod, PlainValidator(parse_closed_period)]


class WeeklyDigest(Strict):
    """The weekly status to each kommunalsjef and the summary to HR while a phase with unit tasks is open."""

    enabled: bool = True
    weekday: Weekday = 0  # Monday; on a holiday the next working day of the same week
    send_time: Clock = time(9)


class PhaseConfig(Strict):
    """A phase as written (a form with its dates, or `steps:`), and each runnable task or meeting of the year."""

    key: str
    title: Texts
    what: Texts
    audience: list[AudienceEntry] = Field(default_factory=list)
    form: FormKind | None = None
    opens: Rule | None = None
    due: Rule | None = None
    closes: Rule | None = None
    due_by_sector: dict[str, Rule] = Field(default_factory=dict)  # sector id or name -> its own deadline
    due_by_kind: dict[str, Rule] = Field(default_factory=dict)  # unit kind (skole, ...) -> its own; wins over sector
    close_when_all_answered: bool = False
    compiles_draft: bool = False
    reminders: list[int] = Field(default_factory=list)
    overdue_notice: bool = True
    escalation: Escalation = Escalation()
    steps: list[Step] = Field(default_factory=list)
    parent: str | None = Field(default=None, exclude=True)  # the written phase of a runnable step
    meeting: MeetingStep | None = Field(default=None, exclude=True)  # the meeting whose handling HR records
    repeat: Repeat | None = None
    # Set on an occurrence of a repeating phase only (never read from the file): its period and the phase it repeats.
    period: Period | None = Field(default=None, exclude=True)
    series: str | None = Field(default=None, exclude=True)

    @model_validator(mode="before")
    @classmethod
    def _opens_from_repeat(cls, value: Any) -> Any:
        """A repeating phase opens on `repeat.on` (by default its period's first working day)."""
        if not isinstance(value, dict) or value.get("repeat") is None:
            return value
        repeat = value["repeat"]
        on = repeat.get("on", repeat.get(True)) if isinstance(repeat, dict) else None  # YAML 1.1: on → True
        if on is not None and "opens" in value:
            raise ValueError("en fase som gjentas skriver når den åpner enten i repeat.on eller i opens, ikke begge")
        return value if "opens" in value else {**value, "opens": on or "første arbeidsdag"}

    @model_validator(mode="after")
    def _repeating_key_fits(self) -> PhaseConfig:
        if self.repeat is not None and len(self.key) > MAX_REPEATING_KEY:
            raise ValueError(f"key for en fase som gjentas kan ha høyst {MAX_REPEATING_KEY} tegn")
        return self

    def occurrence(self, period: Period) -> PhaseConfig:
        """This repeating phase's occurrence in one period, a concrete phase with its own key and title."""
        title = Texts(
            nb=f"{self.title.nb} – {period.label('nb')}",
            nn=f"{self.title.nn} – {period.label('nn')}",
            en=f"{self.title.en} – {period.label('en')}",
        )
        update = {"key": self.key + period.suffix, "title": title, "repeat": None, "period": period, "series": self.key}
        return self.model_copy(update=update)

    @field_validator("key")
    @classmethod
    def _key_is_slug(cls, value: str) -> str:
        if not KEY_PATTERN.match(value):
            raise ValueError("key må være små bokstaver, tall og bindestrek, f.eks. spring-input")
        return value

    @field_validator("reminders")
    @classmethod
    def _reminders_sorted(cls, value: list[int]) -> list[int]:
        if any(offset < 0 or offset > 60 for offset in value):
            raise ValueError("påminnelser angis som 0–60 arbeidsdager før fristen")
        if len(set(value)) != len(value):
            raise ValueError("samme påminnelse er oppgitt to ganger")
        return sorted(value, reverse=True)

    @model_validator(mode="after")
    def _form_or_steps(self) -> PhaseConfig:
        """Today's form (one task step) or a list of steps, never both; a form phase needs its audience and dates."""
        if self.steps and self.form is not None:
            raise ValueError("en fase har enten form: (én oppgave) eller steps:, ikke begge")
        if not self.steps and self.form is None:
            raise ValueError(f"{MISSING}form")  # or steps:, which this phase has not either
        missing = [n for n in ("audience", "opens", "due", "closes") if not getattr(self, n)]
        if self.form is not None and missing:
            raise ValueError(f"{MISSING}{', '.join(missing)}")
        return self


MISSING = "feltet mangler: "  # the loader names each field listed after it as its own problem


def runnable_phases(written: list[PhaseConfig]) -> list[PhaseConfig]:
    """Each phase with a form as written; under `steps:` each task and meeting becomes a phase of its own."""
    runnable: list[PhaseConfig] = []
    for phase in written:
        if phase.form is not None:
            runnable.append(phase)
            continue
        for step in phase.steps:
            if isinstance(step, TaskStep):
                runnable.append(PhaseConfig(**task_fields(step, phase.title, phase.what, phase.key)))
            elif isinstance(step, MeetingStep):
                runnable.append(PhaseConfig(**meeting_fields(step, phase.key)))
    return runnable


class Aarshjul(Strict):
    name: str = "Kompetanseårshjul"
    timezone: str = "Europe/Oslo"
    office_hours: dict[str, Clock] = Field(default_factory=lambda: {"start": time(8), "end": time(16)})
    send_time: Clock = time(9)
    deadline_time: Clock = time(15)
    closed_days: list[str] = Field(default_factory=list)
    closed_periods: list[Closed] = Field(default_factory=list)
    terms: Terms = Terms()
    weekly_digest: WeeklyDigest = WeeklyDigest()
    written: list[PhaseConfig] = Field(alias="phases", min_length=1)  # as in the file; `phases` is what runs
    plan_bodies: list[PlanBody] = Field(default_factory=lambda: list(DEFAULT_BODIES), min_length=1)
    source: str = Field(default="", exclude=True)
    digest: str = Field(default="", exclude=True)

    @field_validator("timezone")
    @classmethod
    def _oslo_only(cls, value: str) -> str:
        if value != "Europe/Oslo":
            raise ValueError("bare Europe/Oslo støttes")
        return value

    @field_validator("plan_bodies")
    @classmethod
    def _bodies(cls, value: list[PlanBody]) -> list[PlanBody]:
        return check_bodies(value)

    @field_validator("closed_days")
    @classmethod
    def _month_days(cls, value: list[str]) -> list[str]:
        for text in value:
            try:
                date(2000, *map(int, text.split("-")))
            except (TypeError, ValueError) as exc:
                raise ValueError(f"'{text}' er ikke en dag på formen MM-DD") from exc
        return value

    @model_validator(mode="after")
    def _consistent(self, info: ValidationInfo) -> Aarshjul:
        keys = [phase.key for phase in self.written] + [step.key for _, step in self.steps()]
        duplicates = sorted({key for key in keys if keys.count(key) > 1})
        if duplicates:
            raise ValueError(f"nøkkel brukt mer enn én gang (faser og steg): {', '.join(duplicates)}")
        # The loader checks the steps itself, to name the line of each problem; anyone else gets them here.
        if not (info.context or {}).get("steps_checked_by_loader"):
            problems = step_problems(self)
            if problems:
                raise ValueError("; ".join(f"{where_text(loc)}: {message}" for loc, message in problems))
        hours = self.hours
        if not hours.start < hours.end:
            raise ValueError("office_hours: start må være før end")
        times = (
            ("send_time", self.send_time),
            ("deadline_time", self.deadline_time),
            ("weekly_digest.send_time", self.weekly_digest.send_time),
        )
        for label, moment in times:
            if not hours.start <= moment < hours.end:
                raise ValueError(f"{label} må ligge innenfor kontortiden")
        problems = reference_problems(self.named_rules())
        if problems:
            raise LocatedProblems(problems)
        return self

    def named_rules(self) -> list[NamedRule]:
        """Every runnable phase's dates as named rules (`<key>.opens`, `.due`, `.closes`), for references between
        them; a step's phase is located at the written phase it belongs to."""
        written = {phase.key: index for index, phase in enumerate(self.written)}
        return [
            NamedRule(
                f"{phase.key}.{field}",
                phase.key,
                getattr(phase, field),
                ("phases", written.get(phase.parent or phase.key, 0), field if phase.parent is None else "steps"),
                in_period=phase.repeat is not None,
                private=phase.repeat is not None,
            )
            for phase in self.phases
            for field in OWN_FIELDS
            if getattr(phase, field) is not None
        ]

    @cached_property
    def hours(self) -> OfficeHours:
        return OfficeHours(start=self.office_hours.get("start", time(8)), end=self.office_hours.get("end", time(16)))

    def calendar(self, year: int) -> WorkCalendar:
        """Working days around `year`: weekends, holidays, `closed_days` and `closed_periods` excluded."""
        return _calendar(tuple(self.closed_days), tuple(self.closed_periods), year)

    @cached_property
    def phases(self) -> list[PhaseConfig]:
        """What runs: each phase with a form as written, and each task and meeting step as a phase of its own."""
        return runnable_phases(self.written)

    def steps(self) -> list[tuple[PhaseConfig, Step]]:
        """Every step written under `steps:`, with its phase, in file order."""
        return [(phase, step) for phase in self.written for step in phase.steps]

    def phase(self, key: str) -> PhaseConfig:
        """A configured phase by key, or an occurrence of a repeating one by its key ("tertial-report-2027-1")."""
        for phase in self.phases:
            if phase.key == key:
                return phase
        for phase in self.phases:
            if phase.repeat is not None and key.startswith(phase.key + "-"):
                period = period_from_suffix(phase.repeat, key, phase.key)
                if period is not None:
                    return _occurrence(phase, period)
        raise KeyError(key)

    def phase_titles(self, language: str) -> dict[str, str]:
        """Phase titles by key, an occurrence's ("Tertialrapport – 1. tertial 2028") looked up when first asked."""
        return _Titles(self, language)

    def concrete_phases(self, year: int) -> list[PhaseConfig]:
        """The phases of cycle year `year`, a repeating phase replaced by its occurrences, in the file's order."""
        return [
            _occurrence(phase, period) if phase.repeat is not None else phase
            for phase in self.phases
            for period in (periods(phase.repeat, year) if phase.repeat is not None else [None])
        ]


class _Titles(dict[str, str]):
    """A dict of titles that fills itself from the årshjul, so pages can index it by any stored phase key."""

    def __init__(self, aarshjul: Aarshjul, language: str) -> None:
        super().__init__({phase.key: phase.title.get(language) for phase in aarshjul.phases})
        self._aarshjul, self._language = aarshjul, language

    def __missing__(self, key: str) -> str:
        title = self[key] = self._aarshjul.phase(key).title.get(self._language)
        return title


@lru_cache(maxsize=64)
def _calendar(closed_days: tuple[str, ...], closed_periods: tuple[ClosedPeriod, ...], year: int) -> WorkCalendar:
    years = (year - 1, year, year + 1)
    closed = {date(y, *map(int, text.split("-"))) for text in closed_days for y in years}
    closed |= {day for period in closed_periods for y in years for day in period.dates(y)}
    return WorkCalendar(closed_days=frozenset(closed))


# Occurrences by (id of the repeating phase, key); the phase is kept to tell a reused id from the same object. The
# notice ladder's memo compares phases by identity, so one occurrence must stay one object.
_OCCURRENCES: dict[tuple[int, str], tuple[PhaseConfig, PhaseConfig]] = {}


def _occurrence(phase: PhaseConfig, period: Period | None) -> PhaseConfig:
    assert period is not None
    key = (id(phase), phase.key + period.suffix)
    hit = _OCCURRENCES.get(key)
    if hit is not None and hit[0] is phase:
        return hit[1]
    if len(_OCCURRENCES) >= 4096:
        _OCCURRENCES.clear()
    occurrence = phase.occurrence(period)
    _OCCURRENCES[key] = (phase, occurrence)
    return occurrence
