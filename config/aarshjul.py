"""Loading an årshjul file: YAML into the domain's model, every problem reported with file, line and field."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.yaml_lines import ConfigFileError, line_of, load_with_lines
from domain.aarshjul.model import Aarshjul
from domain.aarshjul.phase_window import WindowClosed
from domain.aarshjul.references import LocatedProblems
from domain.aarshjul.year_schedule import resolve_year


def load_aarshjul(path: Path, years: Iterable[int] = ()) -> Aarshjul:
    """Load and validate an årshjul file; every problem is reported with file, line and field.

    The phases' dates are resolved for each of `years` too, so a window that closed periods leave without a
    working day is refused when the file is loaded rather than when the phase opens.
    """
    data, lines = load_with_lines(path)
    if not isinstance(data, dict):
        raise ConfigFileError(path, ["linje 1: filen må inneholde en YAML-mapping med 'phases'"])
    try:
        aarshjul = Aarshjul.model_validate(data)
    except ValidationError as exc:
        raise ConfigFileError(
            path, [text for error in exc.errors() for text in _describe_all(error, data, lines)]
        ) from None
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
    index = next(i for i, phase in enumerate(aarshjul.phases) if phase.key == key)
    location = ("phases", index)
    return f"linje {line_of(lines, location)}, {_field_name(location, data)}: {message}"


def _describe_all(error: Any, data: dict[str, Any], lines: dict[Any, int]) -> list[str]:
    """One line per problem; a check across the file (references between dates) brings several, each located."""
    found = error.get("ctx", {}).get("error")
    if isinstance(found, LocatedProblems):
        return [
            _describe({**error, "loc": (*error["loc"], *loc), "msg": msg}, data, lines) for loc, msg in found.problems
        ]
    return [_describe(error, data, lines)]


def _describe(error: Any, data: dict[str, Any], lines: dict[Any, int]) -> str:
    location = tuple(part for part in error["loc"] if not (isinstance(part, str) and part.startswith("function-")))
    line = line_of(lines, location)
    field = _field_name(location, data)
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "missing":
        message = "feltet mangler"
    elif error["type"] == "extra_forbidden":
        message = "ukjent felt"
    return f"linje {line}, {field}: {message}" if line else f"{field}: {message}"


def _field_name(location: tuple[Any, ...], data: dict[str, Any]) -> str:
    parts: list[str] = []
    for index, part in enumerate(location):
        if isinstance(part, int) and location[index - 1 : index] == ("phases",):
            key = data.get("phases", [{}])[part].get("key") if isinstance(data.get("phases"), list) else None
            parts[-1] = f"phases[{part}{f' {key}' if isinstance(key, str) else ''}]"
        elif isinstance(part, int):
            parts[-1] = f"{parts[-1]}[{part}]"
        else:
            parts.append(str(part))
    return ".".join(parts) or "(filen)"
