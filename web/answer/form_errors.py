"""Validation errors as sentences next to their fields: `measures.2.cost` ↔ input `measures-2-cost`."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from domain.form_checks import Problem
from web.answer.form_specs import FormSpec
from web.answer.formdata import Message, Parsed, input_name

_BY_TYPE: dict[str, str] = {
    "missing": "err.required",
    "string_type": "err.required",
    "string_too_long": "err.too_long",
    "enum": "err.choice",
    "literal_error": "err.choice",
    "int_parsing": "err.int",
    "int_type": "err.int",
    "int_from_float": "err.int",
    "greater_than_equal": "err.min",
    "greater_than": "err.min",
    "less_than_equal": "err.max",
    "less_than": "err.max",
    "date_from_datetime_parsing": "err.date",
    "date_parsing": "err.date",
    "date_type": "err.date",
    "bool_parsing": "err.invalid",
    "too_short": "err.too_few_rows",
    "too_long": "err.too_many_rows",
    "extra_forbidden": "err.invalid",
    "control_character": "err.control",
}
# What a draft is checked for too (a draft may be incomplete, but never too long or with a control character).
DRAFT_CHECKS = frozenset({"string_too_long", "too_long", "control_character"})


def message_for(error: Any) -> Message:
    """One pydantic error as a catalogue key and its parameters (limits from the error's context)."""
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "string_too_short":
        return ("err.required", {}) if ctx.get("min_length") == 1 else ("err.too_short", dict(ctx))
    key = _BY_TYPE.get(kind, "err.invalid")
    params = {
        name: value for name, value in ctx.items() if name in ("ge", "gt", "le", "lt", "max_length", "min_length")
    }
    if "ge" in params or "gt" in params:
        params["limit"] = params.get("ge", params.get("gt"))
    if "le" in params or "lt" in params:
        params["limit"] = params.get("le", params.get("lt"))
    return key, params


def field_name(loc: tuple[Any, ...], parsed: Parsed) -> str | None:
    """The input a pydantic location belongs to, or None if it belongs to no single field."""
    if len(loc) == 1 and isinstance(loc[0], str):
        return loc[0]
    if len(loc) >= 3 and isinstance(loc[0], str) and isinstance(loc[1], int) and isinstance(loc[2], str):
        kept = parsed.rows_kept.get(loc[0], [])
        if loc[1] < len(kept):
            return input_name(loc[0], kept[loc[1]], loc[2])
    return None


def _is_choice(spec: FormSpec, loc: tuple[Any, ...]) -> bool:
    list_spec = spec.list(str(loc[0])) if len(loc) == 3 else None
    field = list_spec.field(str(loc[2])) if list_spec else None
    return field is not None and field.kind in ("select", "intselect")


def collect(
    error: ValidationError, parsed: Parsed, spec: FormSpec, only: frozenset[str] | None = None
) -> tuple[dict[str, Message], list[Message]]:
    """Errors by input name, plus those that belong to no single field (shown at the top); `only` these kinds."""
    by_field: dict[str, Message] = {}
    general: list[Message] = []
    for item in error.errors():
        if only is not None and item.get("type") not in only:
            continue
        loc = tuple(item["loc"])
        name = field_name(loc, parsed)
        message = message_for(item)
        if message[0] == "err.required" and _is_choice(spec, loc):
            message = ("err.choice", {})
        if name is None:
            general.append(message)
        else:
            by_field.setdefault(name, message)
    return by_field, general


def from_problems(found: list[Problem], parsed: Parsed) -> tuple[dict[str, Message], list[Message]]:
    """The cross-field checks' findings by input name, plus those about the whole answer."""
    by_field: dict[str, Message] = {}
    general: list[Message] = []
    for problem in found:
        name = field_name(problem.loc, parsed)
        if name is None:
            general.append((problem.key, problem.params))
        else:
            by_field.setdefault(name, (problem.key, problem.params))
    return by_field, general
