"""What a person's text may contain: no control characters (NUL, VT, ESC …), which no reader can see and
PostgreSQL refuses (NUL) or mail headers and spreadsheets misread; line breaks and tabs are ordinary text."""

from __future__ import annotations

import re
from typing import Final

CONTROL: Final = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
CONTROL_SENTENCE: Final = "inneholder et ugyldig tegn (et kontrolltegn). Fjern det og prøv igjen."


def has_control(text: str) -> bool:
    """True if the text holds a character no person types on purpose (a tab or line break is fine)."""
    return CONTROL.search(text) is not None


def control_problem(text: str, what: str) -> str | None:
    """A Norwegian sentence naming the field ("Navnet inneholder et ugyldig tegn …"), or None if clean."""
    return f"{what} {CONTROL_SENTENCE}" if has_control(text) else None
