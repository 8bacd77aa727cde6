"""Print typography: an amount ("2 280 000 kr") never breaks over two lines."""

from __future__ import annotations

import re

NBSP = "\u00a0"
_GROUP = re.compile(r"(?<=\d) (?=\d{3}(?!\d))")  # the space between digit groups
_KRONER = re.compile(r"(?<=\d) (?=kr\b)")


def unbroken_amounts(text: str) -> str:
    """'2 280 000 kr' with no-break spaces, so the line breaks before or after the amount, never inside it."""
    return _KRONER.sub(NBSP, _GROUP.sub(NBSP, text))
