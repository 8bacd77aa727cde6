"""Loading an årshjul file: YAML into the domain's model, every problem reported with file, line and field."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.attachment_checks import attachment_problems
from config.yaml_lines import ConfigFileError, line_of, load_with_lines
from domain.aarshjul.model import MISSING, Aarshjul
from domain.aarshjul.phase_window import WindowClosed
from domain.aarshjul.references import LocatedProblems
from domain.aarshjul.step_checks import step_problems
from domain.aarshjul.steps import StepKind
from domain.aarshjul.year_schedule import resolve_year

STEP_TAGS = tuple(kind.value for kind in StepKind)


def load_aarshjul(path: Path, years: Iterable[int] = ()) -> Aarshjul:
    """Load and validate an årshjul file; every problem is reported with file, line and field.

    The phases' dates are resolved for each of `years` too, so a window that closed periods leave without a
    working day is refused when the file is loaded rather than when the phase opens.
    """
    data, lines = load_with_lines(path)
    if not isinstance(data, dict):
        raise ConfigFileError(path, ["linje 1: filen må inneholde en YAML-mapping med 'phases'"])
    try:
        aarshjul = Aarshjul.model_validate(data, context={"steps_checked_by_loader": True})
    except ValidationError as exc:
        raise ConfigFileError(
            path, [text for error in exc.errors() for text in _describe_all(error, data, lines)]
        ) from None
    steps = step_problems(aarshjul) + attachment_problems(aarshjul, path.parent)
    if steps:
        raise ConfigFileError(
            path, [_describe({"loc": loc, "msg": msg, "type": "value_error"}, data, lines) for loc, msg in steps]
        )
    problems = [
        _schedule_problem(aarshjul, key, str(error), data, lines)
        for year in years
        for key, error in resolve_year(aarshjul, year)[1]
        if isinstance(error, WindowClosed)
    ]
    if problems:
        raise ConfigFileError(path, list(dict.fromkeys(problems)))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return aarshjul.model_copy(update={"source": str(path), "digest": digest})


def _schedule_problem(aarshjul: Aarshjul, key: str, message: str, data: dict[str, Any], lines: dict[Any, int]) -> str:
    """A phase (or a step's phase) whose dates do not resolve, at the place in the file it was written."""
    runnable = next((phase for phase in aarshjul.phases if phase.key == key), None)
    written = runnable.parent or key if runnable is not None else key
    index = next((i for i, phase in enumerate(aarshjul.written) if phase.key == written), 0)
    location = ("phases", index)
    return f"linje {line_of(lines, location)}, {_field_name(location, data)}: {message}"


def _describe_all(error: Any, data: dict[str, Any], lines: dict[Any, int]) -> list[str]:
    """One line per problem; a check across the file (references between dates) brings several, each located."""
    found = error.get("ctx", {}).get("error")
    if isinstance(found, LocatedProblems):
        return [
            _describe({**error, "loc": (*error["loc"], *loc), "msg": msg}, data, lines) for loc, msg in found.problems
        ]
    return _each(error, data, lines)


def _each(error: Any, data: dict[str, Any], lines: dict[Any, int]) -> list[str]:
    """A phase's "feltet mangler: a, b" as one problem per field, each at its own place."""
    message = str(error["msg"]).removeprefix("Value error, ")
    if not message.startswith(MISSING):
        return [_describe(error, data, lines)]
    fields = message.removeprefix(MISSING).split(", ")
    return [_describe({**error, "loc": (*error["loc"], f), "type": "missing"}, data, lines) for f in fields]


def _describe(error: Any, data: dict[str, Any], lines: dict[Any, int]) -> str:
    location = tuple(
        part
        for index, part in enumerate(error["loc"])
        if not (isinstance(part, str) and part.startswith("function-"))
        and not (part in STEP_TAGS and index >= 2 and error["loc"][index - 2] == "steps")  # the union's tag
    )
    line = line_of(lines, location)
    field = _field_name(location, data)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "union_tag_not_found":
        message = f"kind mangler (bruk {', '.join(STEP_TAGS)})"
    elif error["type"] == "missing":
        message = "feltet mangler"
    elif error["type"] == "extra_forbidden":
        message = "ukjent felt"
    return f"linje {line}, {field}: {message}" if line else f"{field}: {message}"


def _field_name(location: tuple[Any, ...], data: dict[str, Any]) -> str:
    parts: list[str] = []
    for index, part in enumerate(location):
        if isinstance(part, int) and location[index - 1 : index] in (("phases",), ("steps",)):
            key = _key_at(data, location[: index + 1])
            parts[-1] = f"{parts[-1]}[{part}{f' {key}' if isinstance(key, str) else ''}]"
        elif isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts) or "(filen)"


def _key_at(data: Any, location: tuple[Any, ...]) -> object:
    """The `key:` written at a location of the file, if there is one (to name a phase or step in a message)."""
    node = data
    for part in location:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return None
    return node.get("key") if isinstance(node, dict) else None
