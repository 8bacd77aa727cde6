"""What each answer form shows: its fields, their kinds and choices, in the order the person meets them.

The fields, their order, required flags and choices come from the domain's form models (`domain.forms`); this
module adds only presentation (which widget), keyed by field name. Labels, hints and choices are in
`domain/form_labels.yaml`, shared with the receipts.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from types import NoneType, UnionType
from typing import Literal, get_args, get_origin

from annotated_types import Ge, Le, MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from domain.forms import FORMS, SHORT, Form

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


# Presentation only, by "<list>.<field>" or "<form>.<field>": what a field's type alone does not say.
WIDGETS: dict[str, Kind] = {
    "items.measure_key": "hidden",  # which of last year's measures a row evaluates; the page fills it in
    "comments.target": "hidden",  # the measure or section a comment is about; one row per measure, made by the page
    "measures.priority": "intselect",  # a small number range reads better as a choice
    # Chosen from the plan frame's lists, never typed: a typo would make a new area (choices: `with_frame`)
    "needs.area": "select",
    "measures.area": "select",
    "measures.focus_area": "select",
    "measures.sessions": "textarea",
}
FRAME_CHOICES = {"needs": ("area",), "measures": ("area", "focus_area")}
FIXED_LISTS = frozenset({"comments"})  # rows made by the page; the person cannot add or remove one


def spec_of(name: str, form: type[Form]) -> FormSpec:
    """A form's UI spec, read off the domain's form model: fields in order, required flags, kinds and choices."""
    return FormSpec(name, tuple(_section(name, field, info) for field, info in form.model_fields.items()))


def _section(form: str, name: str, info: FieldInfo) -> Section:
    row = get_args(info.annotation)[0] if get_origin(info.annotation) is list else None
    if isinstance(row, type) and issubclass(row, BaseModel):
        fields = tuple(_field(name, field, row_info) for field, row_info in row.model_fields.items())
        return ListSpec(name, fields, dynamic=name not in FIXED_LISTS)
    return _field(form, name, info)


def _field(scope: str, name: str, info: FieldInfo) -> FieldSpec:
    kind = WIDGETS.get(f"{scope}.{name}") or _kind(info)
    return FieldSpec(name, kind, info.is_required(), _choices(info, kind))


def _annotation(info: FieldInfo) -> object:
    """The field's type, `X` for an optional `X | None`."""
    annotation = info.annotation
    if get_origin(annotation) is UnionType:
        rest = [a for a in get_args(annotation) if a is not NoneType]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


def _kind(info: FieldInfo) -> Kind:
    annotation = _annotation(info)
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return "select"
    kinds: dict[object, Kind] = {bool: "checkbox", int: "int", date: "date"}
    if annotation in kinds:
        return kinds[annotation]
    longest = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), 0)
    return "textarea" if longest > SHORT else "text"  # more than a short line gets a text area


def _choices(info: FieldInfo, kind: Kind) -> tuple[str, ...]:
    annotation = _annotation(info)
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return tuple(member.value for member in annotation)
    if kind == "intselect":
        low = next(m.ge for m in info.metadata if isinstance(m, Ge) and isinstance(m.ge, int))
        high = next(m.le for m in info.metadata if isinstance(m, Le) and isinstance(m.le, int))
        assert isinstance(low, int) and isinstance(high, int)
        return tuple(str(n) for n in range(low, high + 1))
    return ()


SPECS: dict[str, FormSpec] = {name: spec_of(name, form) for name, form in FORMS.items()}


def with_frame(spec: FormSpec, lists: dict[str, tuple[str, ...]]) -> FormSpec:
    """The spec with the plan frame's competence areas and innsatsområder as the choices of their fields."""
    choices = {"area": lists.get("competence_areas", ()), "focus_area": lists.get("focus_areas", ())}
    sections: list[Section] = []
    for section in spec.sections:
        names = FRAME_CHOICES.get(section.name, ()) if isinstance(section, ListSpec) else ()
        if isinstance(section, ListSpec) and names:
            fields = tuple(replace(f, choices=choices[f.name]) if f.name in names else f for f in section.fields)
            section = replace(section, fields=fields)
        sections.append(section)
    return replace(spec, sections=tuple(sections))


BODIES = ("Kompetanseforum", "Lederforum", "AMU", "Administrasjonsutvalget", "Rådmann", "Kommunestyret")
