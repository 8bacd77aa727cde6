"""What each answer form contains, and its rules; shared by the web forms, the roll-up and the demo."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from domain.models import HandlingKind
from domain.text_rules import has_control

TEXT = 4000
SHORT = 200


class Criticality(StrEnum):
    HIGH = "høy"
    MEDIUM = "middels"
    LOW = "lav"


class Horizon(StrEnum):
    SHORT = "kort"
    LONG = "lang"


class Strategy(StrEnum):
    MOBILISE = "mobilisere"
    DEVELOP = "utvikle"
    RECRUIT = "rekruttere"
    PHASE_OUT = "avvikle"


class Funding(StrEnum):
    STATSFORVALTER = "statsforvalter"
    FOND = "fond"
    CENTRAL = "sentral pott"
    OWN = "eget budsjett"
    STIPEND = "stipend"
    OU = "OU-midler"
    KFK = "Kompetanse for kvalitet"


class CostType(StrEnum):
    EXTERNAL = "ekstern"  # course fees, travel, lecturers bought in
    INTERNAL = "intern"  # the municipality's own lecturers and rooms
    TIME = "arbeidstid"  # the participants' working hours and substitutes


class GoalAttainment(StrEnum):
    REACHED = "nådd"
    PARTLY = "delvis nådd"
    NOT = "ikke nådd"
    TOO_EARLY = "for tidlig å si"


class Form(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value: object) -> object:
        """No text in any answer may hold a control character (NUL breaks PostgreSQL; none is visible)."""
        if isinstance(value, str) and has_control(value):
            raise PydanticCustomError("control_character", "Teksten inneholder et ugyldig tegn (et kontrolltegn).")
        return value


class Need(Form):
    area: str = Field(min_length=1, max_length=SHORT)
    description: str = Field(default="", max_length=TEXT)
    criticality: Criticality
    horizon: Horizon
    strategy: Strategy


class Measure(Form):
    area: str = Field(min_length=1, max_length=SHORT)
    goal: str = Field(min_length=1, max_length=TEXT)
    title: str = Field(min_length=1, max_length=SHORT)
    target_group: str = Field(default="", max_length=SHORT)
    arena: str = Field(default="", max_length=SHORT)
    period: str = Field(default="", max_length=SHORT)
    responsible: str = Field(default="", max_length=SHORT)
    cost: int = Field(default=0, ge=0, le=100_000_000)
    priority: int = Field(default=2, ge=1, le=3)
    funding: Funding = Funding.OWN
    substitutes: bool = False
    # Added for the seeds' action plan: every one has a default, so answers stored before still load.
    focus_area: str = Field(default="", max_length=SHORT)  # the innsatsområde, from the plan frame's list
    participants: int = Field(default=0, ge=0, le=100_000)  # planned
    sessions: str = Field(default="", max_length=TEXT)  # one session or date per line
    cost_type: CostType = CostType.EXTERNAL
    funding_amount: int = Field(default=0, ge=0, le=100_000_000)  # 0: the first source pays what the second does not
    funding_other: Funding | None = None
    funding_other_amount: int = Field(default=0, ge=0, le=100_000_000)

    def funding_shares(self) -> dict[str, int]:
        """Source -> amount; a single source pays the whole cost, a second one its own amount."""
        if self.funding_other is None or self.funding_other == self.funding:
            return {self.funding.value: self.cost}
        second = self.funding_other_amount
        first = self.funding_amount or max(self.cost - second, 0)
        return {self.funding.value: first, self.funding_other.value: second}


class InputAnswer(Form):
    requirements: str = Field(min_length=1, max_length=TEXT)
    holdings: str = Field(min_length=1, max_length=TEXT)
    needs: list[Need] = Field(default_factory=list, max_length=50)
    measures: list[Measure] = Field(default_factory=list, max_length=50)
    # Employees who want formal education next year, so HR can apply for state funds before the deadline.
    education_count: int = Field(default=0, ge=0, le=10_000)
    education_kind: str = Field(default="", max_length=SHORT)
    education_start: str = Field(default="", max_length=SHORT)


class Carried(StrEnum):
    YES = "gjennomført"
    PARTLY = "delvis"
    NO = "ikke"


class Level(StrEnum):
    UNKNOWN = "ukjent"
    REACTION = "reaksjon"
    LEARNING = "læring"
    APPLICATION = "anvendelse"
    BENEFIT = "nytte"


class Next(StrEnum):
    CONTINUE = "fortsette"
    CHANGE = "endre"
    STOP = "avslutte"


LEVELS = {  # the Lai/Kirkpatrick level each tick box stands for
    "reached_reaction": Level.REACTION,
    "reached_learning": Level.LEARNING,
    "reached_application": Level.APPLICATION,
    "reached_benefit": Level.BENEFIT,
}


class EvaluationItem(Form):
    measure_key: str = Field(default="", max_length=SHORT)
    title: str = Field(min_length=1, max_length=SHORT)
    carried_out: Carried
    why_not: str = Field(default="", max_length=TEXT)  # asked when partly or not carried out
    planned_participants: int = Field(default=0, ge=0, le=100_000)
    participants: int = Field(default=0, ge=0, le=100_000)  # actual
    cost: int | None = Field(default=None, ge=0, le=100_000_000)  # actual; never a budget filled in for the leader
    reached_reaction: bool = False
    reached_learning: bool = False
    reached_application: bool = False
    reached_benefit: bool = False
    assessed_how: str = Field(default="", max_length=TEXT)
    goal_attainment: GoalAttainment | None = None
    deviation: str = Field(default="", max_length=TEXT)
    consequence: str = Field(default="", max_length=TEXT)  # the deviation's consequence for the plan
    next_step: Next
    notes: str = Field(default="", max_length=TEXT)

    @property
    def levels(self) -> list[str]:
        return [level.value for name, level in LEVELS.items() if getattr(self, name)]


class EvaluationAnswer(Form):
    items: list[EvaluationItem] = Field(default_factory=list, max_length=50)
    no_items_reason: str = Field(default="", max_length=TEXT)  # the unit had no measures to evaluate, and why
    deviations: str = Field(default="", max_length=TEXT)
    lessons: str = Field(default="", max_length=TEXT)


class Position(StrEnum):
    AGREE = "enig"
    DISAGREE = "uenig"
    COMMENT = "kommentar"


class Comment(Form):
    target: str = Field(min_length=1, max_length=SHORT)
    position: Position
    text: str = Field(default="", max_length=TEXT)


class ConsultationAnswer(Form):
    comments: list[Comment] = Field(default_factory=list, max_length=200)
    statement: str = Field(min_length=1, max_length=TEXT)


class HandlingEntry(Form):
    body: str = Field(min_length=1, max_length=SHORT)
    held_on: date
    kind: HandlingKind  # the kinds a stored Handling has: one list of them, not two
    case_number: str = Field(default="", max_length=64)
    outcome: str = Field(default="", max_length=TEXT)


class AdoptionAnswer(Form):
    handlings: list[HandlingEntry] = Field(min_length=1, max_length=20)


FORMS: dict[str, type[Form]] = {
    "input": InputAnswer,
    "evaluation": EvaluationAnswer,
    "consultation": ConsultationAnswer,
    "adoption": AdoptionAnswer,
}
