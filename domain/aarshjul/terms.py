"""The words a municipality uses for its levels (enhet / virksomhet / tjenestested; sektor / tjenesteområde /
programområde) and for their leaders (enhetsleder / virksomhetsleder / tjenestestedsleder; kommunalsjef /
tjenesteområdeleder / direktør), in bokmål, nynorsk and English, with the forms pages, emails and documents need.

`terms: {unit: tjenestested, sector: tjenesteområde}` picks a known word with all its forms; a word of one's own is
written out per language: `unit: {nb: {singular: ..., plural: ..., definite: ..., definite_plural: ..., this: dette,
your: ditt}, nn: {...}, en: {...}}`. `unit_leader` and `sector_leader` follow the level's word unless written too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cached_property
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from domain.aarshjul.role_words import LEADER_OF, SECTOR_LEADERS, UNIT_LEADERS, WordForms, forms

# The words of the municipalities in the sources, with every form; the first two are today's default wording.
KNOWN: dict[str, dict[str, WordForms]] = {
    word: {language: forms(text) for language, text in by_language.items()}
    for word, by_language in {
        "enhet": {"nb": "enhet|enheter|enheten|enhetene|denne|din", "nn": "eining|einingar|eininga|einingane|denne|di",
                  "en": "unit|units|the unit|the units|this|your"},
        "sektor": {"nb": "sektor|sektorer|sektoren|sektorene|denne|din",
                   "nn": "sektor|sektorar|sektoren|sektorane|denne|din",
                   "en": "sector|sectors|the sector|the sectors|this|your"},
        "virksomhet": {"nb": "virksomhet|virksomheter|virksomheten|virksomhetene|denne|din",
                       "nn": "verksemd|verksemder|verksemda|verksemdene|denne|di",
                       "en": "unit|units|the unit|the units|this|your"},
        "tjenestested": {"nb": "tjenestested|tjenestesteder|tjenestestedet|tjenestestedene|dette|ditt",
                         "nn": "tenestestad|tenestestader|tenestestaden|tenestestadene|denne|din",
                         "en": "service site|service sites|the service site|the service sites|this|your"},
        "tjenesteområde": {"nb": "tjenesteområde|tjenesteområder|tjenesteområdet|tjenesteområdene|dette|ditt",
                           "nn": "tenesteområde|tenesteområde|tenesteområdet|tenesteområda|dette|ditt",
                           "en": "service area|service areas|the service area|the service areas|this|your"},
        "programområde": {"nb": "programområde|programområder|programområdet|programområdene|dette|ditt",
                          "nn": "programområde|programområde|programområdet|programområda|dette|ditt",
                          "en": "programme area|programme areas|the programme area|the programme areas|this|your"},
    }.items()
}  # fmt: skip


class Word(BaseModel):
    """A level's word in nb, nn and en."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    nb: WordForms
    nn: WordForms
    en: WordForms


def _known_in(table: dict[str, dict[str, WordForms]]) -> Callable[[Any], Any]:
    """A known word by its name, with all its forms; an unknown name refused with the words to choose from."""

    def word(value: Any) -> Any:
        if isinstance(value, str):
            known = table.get(value.strip().lower())
            if known is None:
                raise ValueError(
                    f"'{value}' er ikke et kjent ord; velg {', '.join(table)}, eller skriv ordet selv med "
                    "nb, nn og en (singular, plural, definite, definite_plural, this, your)"
                )
            return known
        return value

    return word


PLACEHOLDER = re.compile(r"\{([A-Za-z_]+)\.([a-z_]+)\}")


class LanguageTerms(BaseModel):
    """The words of one language, as templates use them: `terms[language].unit.plural`."""

    model_config = ConfigDict(frozen=True)

    unit: WordForms
    sector: WordForms
    unit_leader: WordForms
    sector_leader: WordForms

    def fill(self, text: str) -> str:
        """`{unit.definite_plural}`, `{Sector_leader.plural}` in a text replaced by the words; any other brace, a
        message's own `{n}` or a municipality's own text, left exactly as written."""
        words = self.words

        def word(found: re.Match[str]) -> str:
            forms = words.get(found[1])
            return getattr(forms, found[2]) if forms is not None and hasattr(forms, found[2]) else found[0]

        return PLACEHOLDER.sub(word, text) if "{" in text else text

    # Built once per language: a form page fills some seventy catalogue texts, each asking for every word.
    @cached_property
    def words(self) -> dict[str, WordForms]:
        """Every word by name, and capitalised under its capitalised name (`Unit`), as catalogue texts use them."""
        plain = {name: getattr(self, name) for name in ("unit", "sector", "unit_leader", "sector_leader")}
        return plain | {name.capitalize(): word.capitalized() for name, word in plain.items()}


class Terms(BaseModel):
    """The names of the levels; exposed to every template as the global `terms`, indexed by language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Annotated[Word, BeforeValidator(_known_in(KNOWN))] = Field(default_factory=lambda: Word(**KNOWN["enhet"]))
    sector: Annotated[Word, BeforeValidator(_known_in(KNOWN))] = Field(default_factory=lambda: Word(**KNOWN["sektor"]))
    unit_leader: Annotated[Word, BeforeValidator(_known_in(UNIT_LEADERS))] = Field(
        default_factory=lambda: Word(**UNIT_LEADERS["enhetsleder"])
    )
    sector_leader: Annotated[Word, BeforeValidator(_known_in(SECTOR_LEADERS))] = Field(
        default_factory=lambda: Word(**SECTOR_LEADERS["kommunalsjef"])
    )

    @model_validator(mode="before")
    @classmethod
    def _leaders_follow_the_levels(cls, data: Any) -> Any:
        # `unit: virksomhet` alone means virksomhetsleder; a title the file gives itself wins.
        if not isinstance(data, dict):
            return data
        implied = {
            role: LEADER_OF[level.strip().lower()]
            for role, level in (("unit_leader", data.get("unit")), ("sector_leader", data.get("sector")))
            if role not in data and isinstance(level, str) and level.strip().lower() in LEADER_OF
        }
        return {**data, **implied}

    def __getitem__(self, language: str) -> LanguageTerms:
        return self._languages.get(language) or self._languages["nb"]

    @cached_property
    def _languages(self) -> dict[str, LanguageTerms]:
        return {
            code: LanguageTerms(
                unit=getattr(self.unit, code),
                sector=getattr(self.sector, code),
                unit_leader=getattr(self.unit_leader, code),
                sector_leader=getattr(self.sector_leader, code),
            )
            for code in ("nb", "nn", "en")
        }


DEFAULT_TERMS = Terms()
