"""Loading an årshjul file: YAML into the domain's model, every problem reported with file, line and field."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from config.yaml_lines import ConfigFileError, line_of, load_with_lines
from domain.aarshjul.model import Aarshjul


def load_aarshjul(path: Path) -> Aarshjul:
    """Load and validate an årshjul file; every problem is reported with file, line and field."""
    data, lines = load_with_lines(path)
    if not isinstance(data, dict):
        raise ConfigFileError(path, ["linje 1: filen må inneholde en YAML-mapping med 'phases'"])
    try:
        aarshjul = Aarshjul.model_validate(data)
    except ValidationError as exc:
        raise ConfigFileError(path, [_describe(error, data, lines) for error in exc.errors()]) from None
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return aarshjul.model_copy(update={"source": str(path), "digest": digest})


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
