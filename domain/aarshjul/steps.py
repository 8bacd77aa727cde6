"""The steps of a phase: a task to answer, a meeting of a body, a notice to an audience, a kommunalsjef's review."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Literal, get_args

from pydantic import BeforeValidator, Field, field_validator, model_validator

from domain.aarshjul.parts import (
    KEY_PATTERN,
    AudienceEntry,
    Escalation,
    FormKind,
    Rule,
    Strict,
    Texts,
    suggestion,
)


class StepKind(StrEnum):
    TASK = "task"
    MEETING = "meeting"
    NOTICE = "notice"
    SECTOR_REVIEW = "sector_review"


STEP_WORDS: dict[str, StepKind] = {
    **{k.value: k for k in StepKind},
    "oppgave": StepKind.TASK,
    "møte": StepKind.MEETING,
    "mote": StepKind.MEETING,
    "varsel": StepKind.NOTICE,
    "melding": StepKind.NOTICE,
    "sektorgjennomgang": StepKind.SECTOR_REVIEW,
}

# What a meeting handles: the consultation draft, the final draft (or the plan adopted from it), the newest version
# of the year, or last year's adopted plan under evaluation (Bærum's Kompetanseforum in January).
Sends = Literal["consultation", "final_draft", "latest", "evaluation"]
HandlingWord = Literal["drøfting", "orientering", "til etterretning", "vedtak"]
# Which plan version a notice attaches as PDF: as a meeting's `sends`, or the adopted plan in force.
AttachPlan = Literal["consultation", "final_draft", "latest", "adopted"]


def _kind(value: Any) -> Any:
    """The step's kind in English or bokmål; an unknown one is named with a suggestion."""
    if not isinstance(value, dict) or "kind" not in value:
        return value
    word = str(value["kind"]).strip().lower()
    kind = STEP_WORDS.get(word)
    if kind is None:
        raise ValueError(f"ukjent stegtype «{value['kind']}». {suggestion(word, [k.value for k in StepKind])}")
    return {**value, "kind": kind.value}


def _slug(value: str) -> str:
    if not KEY_PATTERN.match(value):
        raise ValueError("key må være små bokstaver, tall og bindestrek, f.eks. amu-behandling")
    return value


def _offsets(value: list[int]) -> list[int]:
    if any(offset < 0 or offset > 60 for offset in value):
        raise ValueError("påminnelser angis som 0–60 arbeidsdager før fristen")
    if len(set(value)) != len(value):
        raise ValueError("samme påminnelse er oppgitt to ganger")
    return sorted(value, reverse=True)


class _Step(Strict):
    key: str
    title: Texts | None = None  # the phase's title when left out

    @field_validator("key")
    @classmethod
    def _key_is_slug(cls, value: str) -> str:
        return _slug(value)


class TaskStep(_Step):
    """A form to answer, per unit or person, with its own dates; `due_by_sector`/`due_by_kind` give other deadlines."""

    kind: Literal["task"]
    what: Texts | None = None
    audience: list[AudienceEntry] = Field(min_length=1)
    form: FormKind
    opens: Rule
    due: Rule
    closes: Rule
    due_by_sector: dict[str, Rule] = Field(default_factory=dict)
    due_by_kind: dict[str, Rule] = Field(default_factory=dict)  # unit kind -> its own deadline, before its sector's
    close_when_all_answered: bool = False
    compiles_draft: bool = False
    reminders: list[int] = Field(default_factory=list)
    overdue_notice: bool = True
    escalation: Escalation = Escalation()

    @field_validator("reminders")
    @classmethod
    def _reminders_sorted(cls, value: list[int]) -> list[int]:
        return _offsets(value)


class MeetingStep(_Step):
    """A body meets on a date: HR is reminded to send the papers, and after the meeting to record its handling."""

    kind: Literal["meeting"]
    body: str = Field(min_length=1)
    date: Rule
    handling: HandlingWord = "orientering"
    sends: Sends = "latest"
    after: str | None = None  # the key of an earlier step whose result goes to this meeting
    prepared_by: list[AudienceEntry] = Field(default_factory=list)  # HR always; these too
    papers_due: int = Field(default=5, ge=0, le=30)  # working days before the meeting the papers must be sent
    papers_reminder: int = Field(default=3, ge=0, le=30)  # working days before that the preparers are reminded
    record_within: int = Field(default=3, ge=1, le=30)  # working days after the meeting to record the handling
    reminders: list[int] = Field(default_factory=lambda: [0])

    @field_validator("reminders")
    @classmethod
    def _reminders_sorted(cls, value: list[int]) -> list[int]:
        return _offsets(value)


class NoticeStep(_Step):
    """An information email to an audience on a date, with an optional link and attached files; `text` in three
    languages. `attachments` are paths relative to the årshjul file (checked by config/attachment_checks.py)."""

    kind: Literal["notice"]
    date: Rule
    audience: list[AudienceEntry] = Field(min_length=1)
    text: Texts
    link: str | None = Field(default=None, max_length=500)
    attachments: list[str] = Field(default_factory=list, max_length=10)
    attach_plan: AttachPlan | None = None

    @field_validator("attach_plan", mode="before")
    @classmethod
    def _known_plan(cls, value: Any) -> Any:
        choices = list(get_args(AttachPlan))
        if value is not None and value not in choices:
            raise ValueError(f"ukjent plandokument «{value}». {suggestion(str(value), choices)}")
        return value

    @model_validator(mode="after")
    def _titled(self) -> NoticeStep:
        if self.title is None:
            raise ValueError("et varsel (notice) trenger title: emnefeltet i e-posten på nb, nn og en")
        if self.link is not None and not self.link.startswith(("https://", "http://", "/")):
            raise ValueError("link må være en nettadresse (https://…) eller en sti i Årshjul (/…)")
        return self


class SectorReviewStep(_Step):
    """Each kommunalsjef prioritises and comments their sector's input, signed in, before HR compiles."""

    kind: Literal["sector_review"]
    opens: Rule
    due: Rule
    reminders: list[int] = Field(default_factory=lambda: [3, 0])

    @field_validator("reminders")
    @classmethod
    def _reminders_sorted(cls, value: list[int]) -> list[int]:
        return _offsets(value)


Step = Annotated[
    TaskStep | MeetingStep | NoticeStep | SectorReviewStep,
    Field(discriminator="kind"),
    BeforeValidator(_kind),
]
