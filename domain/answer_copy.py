"""An answer as the person typed it, under the form's own labels, in their language: the receipt's copy."""

from __future__ import annotations

from typing import Any

from domain.form_labels import choice_label, form_label
from domain.forms import FORMS

HIDDEN = frozenset({"measure_key"})  # which of last year's measures a row evaluates: the title says it
ROW_KEYS = {"comments": "row.comments_other"}  # the page heads a comment row with its measure's title
Rows = list[tuple[str, str]]


def answer_sections(form: str, content: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """One section for the single fields, one per list row; labels from the form, never the stored keys."""
    model = FORMS.get(form)
    order = list(model.model_fields) if model else list(content)
    order += [k for k in content if k not in order]  # a key the form no longer has still shows, labelled if known
    scalars = [key for key in order if key in content and not isinstance(content[key], list)]
    sections: list[dict[str, Any]] = []
    if rows := [(_label(f"field.{key}", key, language), _value(content[key], language)) for key in scalars]:
        sections.append({"heading": form_label("receipt.answer", language), "rows": rows})
    for key in order:
        items = content.get(key)
        if not isinstance(items, list):
            continue
        row_label = form_label(ROW_KEYS.get(key, f"row.{key}"), language) or form_label("receipt.row", language)
        for index, item in enumerate(items, start=1):
            heading = (row_label or "{n}").format(n=index)
            sections.append({"heading": heading, "rows": _item_rows(key, item, language)})
    return sections


def _item_rows(list_name: str, item: Any, language: str) -> Rows:
    if not isinstance(item, dict):
        return [("", _value(item, language))]
    return [
        (_label(f"field.{list_name}.{name}", name, language), _value(value, language))
        for name, value in item.items()
        if name not in HIDDEN
    ]


def _label(key: str, name: str, language: str) -> str:
    """The form's label up to its explanation ('Kompetansekrav – hva trenger …' -> 'Kompetansekrav')."""
    label = form_label(key, language) or name.replace("_", " ").capitalize()
    return label.split(" – ")[0]


def _value(value: Any, language: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return form_label("yes" if value else "no", language) or str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u00a0") if abs(value) >= 10_000 else str(value)
    return choice_label(str(value), language) if form_label(f"choice.{value}", language) else str(value)
