"""Loading an årshjul file: YAML into the domain's model, every problem reported with file, line and field."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.yaml_lines import ConfigFileError, line_of, load_with_lines
from domain.aarshjul.model import MISSING, Aarshjul
from domain.aarshjul.step_checks import step_problems
from domain.aarshjul.steps import StepKind

STEP_TAGS = tuple(kind.value for kind in StepKind)


def load_aarshjul(path: Path) -> Aarshjul:
    """Load and validate an årshjul file; every problem is reported with file, line and field."""
    data, lines = load_with_lines(path)
    if not isinstance(data, dict):
        raise ConfigFileError(path, ["linje 1: filen må inneholde en YAML-mapping med 'phases'"])
    try:
        aarshjul = Aarshjul.model_validate(data, context={"steps_checked_by_loader": True})
    except ValidationError as exc:
        raise ConfigFileError(path, [text for error in exc.errors() for text in _each(error, data, lines)]) from None
    problems = step_problems(aarshjul)
    if problems:
        raise ConfigFileError(
            path, [_describe({"loc": loc, "msg": msg, "type": "value_error"}, data, lines) for loc, msg in problems]
        )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return aarshjul.model_copy(update={"source": str(path), "digest": digest})


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
