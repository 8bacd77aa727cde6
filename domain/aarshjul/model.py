"""The årshjul model: phases, audiences, dates as rules, reminders and escalation, and their validation."""

from __future__ import annotations

import re
from datetime import date, time
from functools import cached_property
from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from domain.aarshjul.bodies import DEFAULT_BODIES, PlanBody, check_bodies
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
from domain.aarshjul.step_checks import step_problems, where_text
from domain.aarshjul.step_phases import meeting_fields, task_fields
from domain.aarshjul.steps import MeetingStep, Step, TaskStep
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
    close_when_all_answered: bool = False
    compiles_draft: bool = False
    reminders: list[int] = Field(default_factory=list)
    overdue_notice: bool = True
    escalation: Escalation = Escalation()
    steps: list[Step] = Field(default_factory=list)
    parent: str | None = Field(default=None, exclude=True)  # the written phase of a runnable step
    meeting: MeetingStep | None = Field(default=None, exclude=True)  # the meeting whose handling HR records

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
        return self

    @cached_property
    def hours(self) -> OfficeHours:
        return OfficeHours(start=self.office_hours.get("start", time(8)), end=self.office_hours.get("end", time(16)))

    def calendar(self, year: int) -> WorkCalendar:
        closed = {date(y, *map(int, text.split("-"))) for text in self.closed_days for y in (year - 1, year, year + 1)}
        return WorkCalendar(closed_days=frozenset(closed))

    @cached_property
    def phases(self) -> list[PhaseConfig]:
        """What runs: each phase with a form as written, and each task and meeting step as a phase of its own."""
        return runnable_phases(self.written)

    def steps(self) -> list[tuple[PhaseConfig, Step]]:
        """Every step written under `steps:`, with its phase, in file order."""
        return [(phase, step) for phase in self.written for step in phase.steps]

    def phase(self, key: str) -> PhaseConfig:
        for phase in self.phases:
            if phase.key == key:
                return phase
        raise KeyError(key)
