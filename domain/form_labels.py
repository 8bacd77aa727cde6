"""The answer forms' own labels in bokmål, nynorsk and English: read by the form pages and by the receipts."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Final

import yaml

LABELS_FILE: Final = Path(__file__).with_name("form_labels.yaml")


@lru_cache
def form_labels() -> dict[str, dict[str, str]]:
    """Every form label key with its three translations."""
    with LABELS_FILE.open(encoding="utf-8") as handle:
        data: dict[str, dict[str, str]] = yaml.safe_load(handle)
    return data


def form_label(key: str, language: str) -> str | None:
    """One label in a language (bokmål when that language lacks it), or None for an unknown key."""
    entry = form_labels().get(key)
    if entry is None:
        return None
    return entry.get(language) or entry["nb"]


def choice_label(value: str, language: str) -> str:
    """A choice's label; the stored value is the Norwegian word itself, shown as is when it has no label."""
    return form_label(f"choice.{value}", language) or value
