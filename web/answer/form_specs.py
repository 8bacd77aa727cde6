"""What each answer form shows: its fields, their kinds and choices, in the order the person meets them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from domain.forms import (
    Carried,
    Criticality,
    Funding,
    HandlingKindForm,
    Horizon,
    Level,
    Next,
    Position,
    Strategy,
)

Kind = Literal["text", "textarea", "int", "select", "intselect", "checkbox", "date", "hidden"]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    kind: Kind = "text"
    required: bool = False
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class ListSpec:
    name: str
    fields: tuple[FieldSpec, ...]
    dynamic: bool = True

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)


Section = FieldSpec | ListSpec


@dataclass(frozen=True)
class FormSpec:
    name: str
    sections: tuple[Section, ...]

    @property
    def scalars(self) -> tuple[FieldSpec, ...]:
        return tuple(s for s in self.sections if isinstance(s, FieldSpec))

    @property
    def lists(self) -> tuple[ListSpec, ...]:
        return tuple(s for s in self.sections if isinstance(s, ListSpec))

    def list(self, name: str) -> ListSpec | None:
        return next((s for s in self.lists if s.name == name), None)


def _choices(enum: type[StrEnum]) -> tuple[str, ...]:
    return tuple(member.value for member in enum)


def _select(name: str, enum: type[StrEnum], required: bool = False) -> FieldSpec:
    return FieldSpec(name, "select", required, _choices(enum))


NEEDS = ListSpec(
    "needs",
    (
        FieldSpec("area", required=True),
        FieldSpec("description", "textarea"),
        _select("criticality", Criticality, True),
        _select("horizon", Horizon, True),
        _select("strategy", Strategy, True),
    ),
)
MEASURES = ListSpec(
    "measures",
    (
        FieldSpec("area", required=True),
        FieldSpec("goal", "textarea", True),
        FieldSpec("title", required=True),
        FieldSpec("target_group"),
        FieldSpec("arena"),
        FieldSpec("period"),
        FieldSpec("responsible"),
        FieldSpec("cost", "int"),
        FieldSpec("priority", "intselect", choices=("1", "2", "3")),
        _select("funding", Funding),
        FieldSpec("substitutes", "checkbox"),
    ),
)
ITEMS = ListSpec(
    "items",
    (
        FieldSpec("measure_key", "hidden"),
        FieldSpec("title", required=True),
        _select("carried_out", Carried, True),
        FieldSpec("participants", "int"),
        FieldSpec("cost", "int"),
        _select("level", Level),
        _select("next_step", Next, True),
        FieldSpec("notes", "textarea"),
    ),
)
COMMENTS = ListSpec(
    "comments",
    (
        FieldSpec("target", "hidden"),
        _select("position", Position, True),
        FieldSpec("text", "textarea"),
    ),
    dynamic=False,
)
HANDLINGS = ListSpec(
    "handlings",
    (
        FieldSpec("body", required=True),
        FieldSpec("held_on", "date", True),
        _select("kind", HandlingKindForm, True),
        FieldSpec("case_number"),
        FieldSpec("outcome", "textarea"),
    ),
)

SPECS: dict[str, FormSpec] = {
    "input": FormSpec(
        "input",
        (
            FieldSpec("requirements", "textarea", True),
            FieldSpec("holdings", "textarea", True),
            NEEDS,
            MEASURES,
        ),
    ),
    "evaluation": FormSpec(
        "evaluation",
        (
            ITEMS,
            FieldSpec("deviations", "textarea"),
            FieldSpec("lessons", "textarea"),
        ),
    ),
    "consultation": FormSpec("consultation", (COMMENTS, FieldSpec("statement", "textarea", True))),
    "adoption": FormSpec("adoption", (HANDLINGS,)),
}

BODIES = ("Kompetanseforum", "Lederforum", "AMU", "Administrasjonsutvalget", "Rådmann", "Kommunestyret")
