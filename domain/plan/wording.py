"""The municipality's words for its levels in the printed plan: column headings, counts and captions."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from domain.aarshjul.role_words import ucfirst
from domain.aarshjul.terms import DEFAULT_TERMS, LanguageTerms

NB: Final = DEFAULT_TERMS["nb"]  # the plan is written in bokmål; the default words unless the årshjul says otherwise


def headings(columns: Sequence[str], w: LanguageTerms = NB) -> tuple[str, ...]:
    """Column headings with the level's words: 'Enhet' -> 'Tjenestested', 'Sektor' -> 'Tjenesteområde'."""
    words = {
        "Enhet": w.unit.singular,
        "Enheter": w.unit.plural,
        "Sektor": w.sector.singular,
        "Sektorer": w.sector.plural,
    }
    return tuple(ucfirst(words[c]) if c in words else c for c in columns)


def units_text(count: int, w: LanguageTerms = NB) -> str:
    """'1 enhet', '3 enheter' in the municipality's word."""
    return f"{count} {w.unit.singular if count == 1 else w.unit.plural}"


def chosen_by(prioritised_by: str, w: LanguageTerms = NB) -> str:
    """' (kommunalsjef)' after a priority the sector's leader set, in the municipality's title; '' otherwise."""
    return f" ({w.sector_leader.singular})" if prioritised_by == "kommunalsjef" else ""
