"""The answer forms' own labels in bokmål, nynorsk and English: read by the form pages and by the receipts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Final

import yaml

from domain.aarshjul.terms import DEFAULT_TERMS, Terms

LABELS_FILE: Final = Path(__file__).with_name("form_labels.yaml")


@lru_cache
def form_labels() -> dict[str, dict[str, str]]:
    """Every form label key with its three translations."""
    with LABELS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, str]] = yaml.safe_load(handle)
    return data


def form_label(key: str, language: str, terms: Terms = DEFAULT_TERMS) -> str | None:
    """One label in a language (bokmål when that language lacks it), or None for an unknown key; the level's word
    (`{unit.definite}`) is the municipality's."""
    entry = form_labels().get(key)
    if entry is None:
        return None
    text = entry.get(language) or entry["nb"]
    return terms[language].fill(text)  # a message's own placeholders (`{n}`) are kept for its caller to fill


def choice_label(value: str, language: str) -> str:
    """A choice's label; the stored value is the Norwegian word itself, shown as is when it has no label."""
    return form_label(f"choice.{value}", language) or value
