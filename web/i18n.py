"""Page texts in bokmål (default), nynorsk and English, from one catalogue file."""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import yaml

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.form_labels import form_labels
from notifications.templating import format_date, format_time

LANGUAGES: Final = ("nb", "nn", "en")
CATALOGUE: Final = Path(__file__).with_name("texts.yaml")
log = logging.getLogger(__name__)


@lru_cache
def catalogue() -> dict[str, dict[str, str]]:
    """Every text key with its three translations: the page texts and the forms' labels (kept in `domain`)."""
    with CATALOGUE.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, str]] = yaml.safe_load(handle)
    return {**form_labels(), **data}


def pick_language(asked: str | None, person: str | None = None, default: str = "nb") -> str:
    """`?lang=` if valid, else the person's language, else the default."""
    for candidate in (asked, person, default):
        if candidate in LANGUAGES:
            return str(candidate)
    return "nb"


class Translator:
    """`t("key", name=...)` in the chosen language, falling back to bokmål, then to the key itself; `{unit.plural}`,
    `{Sector.definite}` (capitalised), `{unit_leader.plural}` in a text are the municipality's words."""

    def __init__(self, language: str, terms: Terms = DEFAULT_TERMS) -> None:
        self.language = language if language in LANGUAGES else "nb"
        self.words = terms[self.language].words

    def __call__(self, key: str, **params: Any) -> str:
        entry = catalogue().get(key)
        if entry is None:
            log.warning("missing page text %s", key)
            return key
        text = entry.get(self.language) or entry["nb"]
        try:
            return text.format(**(self.words | params)) if params or "{" in text else text
        except (KeyError, IndexError, ValueError):
            log.warning("page text %s does not fit its parameters", key)
            return text

    def has(self, key: str) -> bool:
        return key in catalogue()

    def choice(self, value: str) -> str:
        """The label of a choice; the stored value is the Norwegian word itself."""
        key = f"choice.{value}"
        return self(key) if self.has(key) else value

    def when(self, moment: Any) -> str:
        """'fredag 30. april 2027 kl. 15.00' in Oslo time."""
        if moment is None:
            return ""
        language: Any = self.language
        return f"{format_date(moment, language)} {format_time(moment, language)}"

    def day(self, moment: Any) -> str:
        language: Any = self.language
        return format_date(moment, language) if moment is not None else ""
