"""An answer as the person typed it, under the form's own labels, in their language: the receipt's copy."""

from __future__ import annotations

from typing import Any, get_args

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.form_labels import choice_label, form_label
from domain.forms import FORMS

HIDDEN = frozenset({"measure_key"})  # which of last year's measures a row evaluates: the title says it
ROW_KEYS = {"comments": "row.comments_other"}  # the page heads a comment row with its measure's title
NUMBERED_CHOICES = frozenset({"priority"})  # a number chosen from a list, shown as its label ("1 – høy")
Rows = list[tuple[str, str]]
Fields = dict[str, FieldInfo]


def answer_sections(
    form: str, content: dict[str, Any], language: str, terms: Terms = DEFAULT_TERMS
) -> list[dict[str, Any]]:
    """One section for the single fields, one per list row; what was left as it was is left out."""
    model = FORMS.get(form)
    fields: Fields = dict(model.model_fields) if model else {}
    order = list(fields) + [k for k in content if k not in fields]  # an unknown key still shows, never lost
    scalars = {k: content[k] for k in order if k in content and not isinstance(content[k], list)}
    sections: list[dict[str, Any]] = []
    if rows := _rows("", scalars, fields, language, terms):
        sections.append({"heading": form_label("receipt.answer", language), "rows": rows})
    for key in order:
        items = content.get(key)
        if not isinstance(items, list):
            continue
        row_label = form_label(ROW_KEYS.get(key, f"row.{key}"), language) or form_label("receipt.row", language)
        row_fields = _row_fields(fields.get(key))
        for index, item in enumerate(items, start=1):
            rows = _rows(key, item, row_fields, language, terms) if isinstance(item, dict) else [("", str(item))]
            sections.append({"heading": (row_label or "{n}").format(n=index), "rows": rows})
    return sections


def _row_fields(info: FieldInfo | None) -> Fields:
    args = get_args(info.annotation) if info else ()
    row = args[0] if args else None
    return dict(row.model_fields) if isinstance(row, type) and issubclass(row, BaseModel) else {}


def _rows(scope: str, values: dict[str, Any], fields: Fields, language: str, terms: Terms) -> Rows:
    rows = []
    for name, value in values.items():
        info = fields.get(name)
        if name in HIDDEN or (info is not None and not info.is_required() and _untouched(value, info)):
            continue
        key = f"field.{scope}.{name}" if scope else f"field.{name}"
        rows.append((_label(key, name, language, terms), _value(name, value, language)))
    return rows


def _untouched(value: Any, info: FieldInfo) -> bool:
    """An optional field left as the form had it: empty, unticked, or its default."""
    return value in (None, "", False) or value == info.default


def _label(key: str, name: str, language: str, terms: Terms) -> str:
    """The form's label up to its explanation ('Kompetansekrav – hva trenger …' -> 'Kompetansekrav')."""
    label = form_label(key, language, terms) or name.replace("_", " ").capitalize()
    return label.split(" – ")[0]


def _value(name: str, value: Any, language: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return form_label("yes" if value else "no", language) or str(value)
    if isinstance(value, int) and name not in NUMBERED_CHOICES:
        return f"{value:,}".replace(",", "\u00a0")
    return choice_label(str(value), language)
