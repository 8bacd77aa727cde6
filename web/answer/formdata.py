"""Posted form fields ↔ answer content: `needs-0-area` rows, empty rows dropped, numbers checked."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from web.answer.form_specs import FieldSpec, FormSpec, ListSpec
from web.params import whole_number

ROW_NAME = re.compile(r"^([a-z_]+)-([0-9]{1,4})-([a-z_]+)$")
MAX_ROWS = 200
Message = tuple[str, dict[str, Any]]
Row = dict[str, str]


@dataclass
class FormValues:
    """What the form shows: every value as the text the person typed."""

    scalars: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[Row]] = field(default_factory=dict)


@dataclass
class Parsed:
    content: dict[str, Any]
    errors: dict[str, Message]
    rows_kept: dict[str, list[int]]  # content index -> form row index, per list


def input_name(list_name: str, index: int, field_name: str) -> str:
    return f"{list_name}-{index}-{field_name}"


def values_from_form(spec: FormSpec, form: Mapping[str, str]) -> FormValues:
    """Collect the posted fields the form knows, rows in the order of their indices."""
    values = FormValues(scalars={f.name: form.get(f.name, "") for f in spec.scalars})
    found: dict[str, dict[int, Row]] = {s.name: {} for s in spec.lists}
    for name, value in form.items():
        match = ROW_NAME.match(name)
        list_spec = spec.list(match.group(1)) if match else None
        if match is None or list_spec is None or list_spec.field(match.group(3)) is None:
            continue
        found[list_spec.name].setdefault(int(match.group(2)), {})[match.group(3)] = value
    for list_spec in spec.lists:
        rows = [found[list_spec.name][i] for i in sorted(found[list_spec.name])][:MAX_ROWS]
        values.lists[list_spec.name] = [{f.name: row.get(f.name, "") for f in list_spec.fields} for row in rows]
    return values


def values_from_content(spec: FormSpec, content: Mapping[str, Any]) -> FormValues:
    """An answer's content as form text (numbers as digits, a ticked box as "on")."""
    values = FormValues(scalars={f.name: _text(content.get(f.name)) for f in spec.scalars})
    for list_spec in spec.lists:
        items = content.get(list_spec.name) or []
        values.lists[list_spec.name] = [
            {f.name: _text(item.get(f.name)) for f in list_spec.fields} for item in items if isinstance(item, dict)
        ]
    return values


def _text(value: Any) -> str:
    if value is None or value is False:
        return ""
    return "on" if value is True else str(value)


def parse(spec: FormSpec, values: FormValues) -> Parsed:
    """Build answer content from what was typed; a number that is not a number is a field error."""
    parsed = Parsed(content=dict(values.scalars), errors={}, rows_kept={})
    for spec_field in spec.scalars:
        raw = values.scalars.get(spec_field.name, "").strip()
        if spec_field.kind in ("text", "textarea", "hidden"):
            continue
        if not raw:  # an empty number or choice is not given: the model's default, or its "required"
            parsed.content.pop(spec_field.name, None)
        elif (converted := _convert(spec_field, raw)) is None:
            parsed.errors[spec_field.name] = ("err.int", {})
        else:
            parsed.content[spec_field.name] = converted
    for list_spec in spec.lists:
        items: list[dict[str, Any]] = []
        kept: list[int] = []
        for index, row in enumerate(values.lists.get(list_spec.name, [])):
            if is_empty(list_spec, row):
                continue
            items.append(_item(list_spec, index, row, parsed.errors))
            kept.append(index)
        parsed.content[list_spec.name] = items
        parsed.rows_kept[list_spec.name] = kept
    return parsed


def is_empty(list_spec: ListSpec, row: Row) -> bool:
    """A row where the person filled nothing in (hidden keys do not count)."""
    return all(not row.get(f.name, "").strip() for f in list_spec.fields if f.kind != "hidden")


def _item(list_spec: ListSpec, index: int, row: Row, errors: dict[str, Message]) -> dict[str, Any]:
    item: dict[str, Any] = {}
    for spec in list_spec.fields:
        raw = row.get(spec.name, "").strip()
        if spec.kind == "checkbox":
            item[spec.name] = bool(raw)
        elif raw:
            converted = _convert(spec, raw)
            if converted is None:
                errors[input_name(list_spec.name, index, spec.name)] = ("err.int", {})
            else:
                item[spec.name] = converted
    return item


def _convert(spec: FieldSpec, raw: str) -> Any:
    if spec.kind in ("int", "intselect"):
        return amount(raw)
    if spec.kind == "date":
        return _iso_date(raw)
    return raw


# "kr 12 000", "12 000 kr", "12.000,-", "12 000 NOK": the currency and the ",-" as people write amounts.
CURRENCY = re.compile(r"^(?:kr\.?|nok)\s*|\s*(?:kr\.?|nok|,-)$", re.IGNORECASE)


def amount(raw: str) -> int | None:
    """A whole number as people type it: spaces (also thin and non-breaking), dots between thousands, a currency."""
    digits = re.sub(r"[\s.]", "", CURRENCY.sub("", raw.strip()))  # \s covers U+00A0, U+2009 and U+202F
    return int(digits) if re.fullmatch(r"-?\d{1,12}", digits) else None


def _iso_date(raw: str) -> str:
    """Accept 30.04.2027 as well as 2027-04-30; anything else is left for validation to name."""
    match = re.fullmatch(r"(\d{1,2})[./](\d{1,2})[./](\d{4})", raw)
    if match:
        try:
            return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
        except ValueError:
            return raw
    return raw


def change_rows(spec: FormSpec, values: FormValues, form: Mapping[str, str]) -> bool:
    """Apply an `add_row` / `remove_row` button; True if the post was only that."""
    if (list_spec := spec.list(form.get("add_row", ""))) and list_spec.dynamic:
        rows = values.lists[list_spec.name]
        if len(rows) < MAX_ROWS:
            rows.append(empty_row(list_spec))
        return True
    target, _, index = form.get("remove_row", "").rpartition("-")
    if (list_spec := spec.list(target)) and list_spec.dynamic and (row := whole_number(index)) is not None:
        rows = values.lists[list_spec.name]
        if row < len(rows):
            del rows[row]
        return True
    return "add_row" in form or "remove_row" in form


def empty_row(list_spec: ListSpec) -> Row:
    return {f.name: "" for f in list_spec.fields}
