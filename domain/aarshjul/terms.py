"""The words a municipality uses for its levels (enhet / virksomhet / tjenestested; sektor / tjenesteområde /
programområde), in bokmål, nynorsk and English, with the forms pages and emails need.

`terms: {unit: tjenestested, sector: tjenesteområde}` picks a known word with all its forms; a word of one's own is
written out per language: `unit: {nb: {singular: ..., plural: ..., definite: ..., definite_plural: ..., this: dette,
your: ditt}, nn: {...}, en: {...}}`.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


class WordForms(BaseModel):
    """One word in one language: "enhet", "enheter", "enheten", "enhetene", and the gendered "denne"/"din"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    singular: str = Field(min_length=1)
    plural: str = Field(min_length=1)
    definite: str = Field(min_length=1)
    definite_plural: str = Field(min_length=1)
    this: str = Field(min_length=1)  # the demonstrative that agrees with the word: denne (enheten), dette (stedet)
    your: str = Field(min_length=1)  # the possessive that agrees with it: din (sektor), ditt (tjenesteområde)


def _forms(text: str) -> WordForms:
    singular, plural, definite, definite_plural, this, your = text.split("|")
    return WordForms(
        singular=singular, plural=plural, definite=definite, definite_plural=definite_plural, this=this, your=your
    )


# The words of the municipalities in the sources, with every form; the first two are today's default wording.
KNOWN: dict[str, dict[str, WordForms]] = {
    word: {language: _forms(forms) for language, forms in by_language.items()}
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


def _word(value: Any) -> Any:
    if isinstance(value, str):
        known = KNOWN.get(value.strip().lower())
        if known is None:
            raise ValueError(
                f"'{value}' er ikke et kjent ord; velg {', '.join(KNOWN)}, eller skriv ordet selv med "
                "nb, nn og en (singular, plural, definite, definite_plural, this, your)"
            )
        return known
    return value


class LanguageTerms(BaseModel):
    """The words of one language, as templates use them: `terms[language].unit.plural`."""

    model_config = ConfigDict(frozen=True)

    unit: WordForms
    sector: WordForms


class Terms(BaseModel):
    """The names of the levels; exposed to every template as the global `terms`, indexed by language."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    unit: Annotated[Word, BeforeValidator(_word)] = Field(default_factory=lambda: Word(**KNOWN["enhet"]))
    sector: Annotated[Word, BeforeValidator(_word)] = Field(default_factory=lambda: Word(**KNOWN["sektor"]))

    def __getitem__(self, language: str) -> LanguageTerms:
        code = language if language in ("nb", "nn", "en") else "nb"
        return LanguageTerms(unit=getattr(self.unit, code), sector=getattr(self.sector, code))


DEFAULT_TERMS = Terms()
