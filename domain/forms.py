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


class InputAnswer(Form):
    requirements: str = Field(min_length=1, max_length=TEXT)
    holdings: str = Field(min_length=1, max_length=TEXT)
    needs: list[Need] = Field(default_factory=list, max_length=50)
    measures: list[Measure] = Field(default_factory=list, max_length=50)


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


class EvaluationItem(Form):
    measure_key: str = Field(default="", max_length=SHORT)
    title: str = Field(min_length=1, max_length=SHORT)
    carried_out: Carried
    participants: int = Field(default=0, ge=0, le=100_000)
    cost: int = Field(default=0, ge=0, le=100_000_000)
    level: Level = Level.UNKNOWN
    next_step: Next
    notes: str = Field(default="", max_length=TEXT)


class EvaluationAnswer(Form):
    items: list[EvaluationItem] = Field(default_factory=list, max_length=50)
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
