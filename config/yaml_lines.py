"""YAML loading that remembers the line of every value, so a validation error can name its line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

Location = tuple[str | int, ...]


class ConfigFileError(ValueError):
    """A configuration file that cannot be used; the message lists every problem with file, line and field."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"{path}: " + "; ".join(problems))


def load_with_lines(path: Path) -> tuple[Any, dict[Location, int]]:
    """Parse YAML safely and return the data with a map from each value's location to its 1-based line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigFileError(path, [f"kan ikke lese filen: {exc}"]) from exc
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"linje {mark.line + 1}: " if mark is not None else ""
        raise ConfigFileError(path, [f"{where}ugyldig YAML: {getattr(exc, 'problem', exc)}"]) from exc
    lines: dict[Location, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, lines


def _walk(node: yaml.Node, here: Location, lines: dict[Location, int]) -> None:
    lines[here] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _walk(value_node, (*here, key_node.value), lines)
            lines[(*here, key_node.value)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*here, index), lines)


def line_of(lines: dict[Location, int], location: Location) -> int | None:
    """The line of the deepest known part of a location (a missing field points at its parent)."""
    for end in range(len(location), -1, -1):
        if location[:end] in lines:
            return lines[location[:end]]
    return None
