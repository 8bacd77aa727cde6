"""The words a municipality uses for the leaders of its levels (enhetsleder / virksomhetsleder / tjenestestedsleder;
kommunalsjef / tjenesteområdeleder / direktør), with every form in bokmål, nynorsk and English, and which leader
word a level word implies when the årshjul file names only the level."""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict, Field


class WordForms(BaseModel):
    """One word in one language: "enhet", "enheter", "enheten", "enhetene", and the gendered "denne"/"din"."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    singular: str = Field(min_length=1)
    plural: str = Field(min_length=1)
    definite: str = Field(min_length=1)
    definite_plural: str = Field(min_length=1)
    this: str = Field(min_length=1)  # the demonstrative that agrees with the word: denne (enheten), dette (stedet)
    your: str = Field(min_length=1)  # the possessive that agrees with it: din (sektor), ditt (tjenesteområde)

    @property
    def own(self) -> str:
        """The reflexive possessive in bokmål and nynorsk: sin (sektor), sitt (tjenesteområde), si (eining)."""
        own = "s" + self.your[1:] if self.your[:1].lower() == "d" else self.your
        return ucfirst(own) if self.your[:1].isupper() else own

    @property
    def each(self) -> str:
        """The bokmål quantifier that agrees with the word: hver (enhet), hvert (tjenestested)."""
        each = "hvert" if self.your.lower() == "ditt" else "hver"
        return ucfirst(each) if self.your[:1].isupper() else each

    def capitalized(self) -> WordForms:
        """The same forms with a capital first letter, for the start of a sentence or a column heading."""
        return WordForms(**{name: ucfirst(value) for name, value in self.model_dump().items()})


def ucfirst(value: str) -> str:
    """Upper-case the first letter only: 'service site' -> 'Service site' ('NAV-kontor' stays as written)."""
    return value[:1].upper() + value[1:]


def forms(text: str) -> WordForms:
    singular, plural, definite, definite_plural, this, your = text.split("|")
    return WordForms(
        singular=singular, plural=plural, definite=definite, definite_plural=definite_plural, this=this, your=your
    )


def _table(words: dict[str, dict[str, str]]) -> dict[str, dict[str, WordForms]]:
    return {
        word: {language: forms(text) for language, text in by_language.items()} for word, by_language in words.items()
    }


# The leaders' titles in the sources; the first of each list is today's default wording.
UNIT_LEADERS: Final = _table({
    "enhetsleder": {"nb": "enhetsleder|enhetsledere|enhetslederen|enhetslederne|denne|din",
                    "nn": "einingsleiar|einingsleiarar|einingsleiaren|einingsleiarane|denne|din",
                    "en": "unit leader|unit leaders|the unit leader|the unit leaders|this|your"},
    "virksomhetsleder": {"nb": "virksomhetsleder|virksomhetsledere|virksomhetslederen|virksomhetslederne|denne|din",
                         "nn": "verksemdsleiar|verksemdsleiarar|verksemdsleiaren|verksemdsleiarane|denne|din",
                         "en": "unit leader|unit leaders|the unit leader|the unit leaders|this|your"},
    "tjenestestedsleder": {"nb": "tjenestestedsleder|tjenestestedsledere|tjenestestedslederen|tjenestestedslederne|"
                                 "denne|din",
                           "nn": "tenestestadsleiar|tenestestadsleiarar|tenestestadsleiaren|tenestestadsleiarane|"
                                 "denne|din",
                           "en": "service site leader|service site leaders|the service site leader|"
                                 "the service site leaders|this|your"},
})  # fmt: skip
SECTOR_LEADERS: Final = _table({
    "kommunalsjef": {"nb": "kommunalsjef|kommunalsjefer|kommunalsjefen|kommunalsjefene|denne|din",
                     "nn": "kommunalsjef|kommunalsjefar|kommunalsjefen|kommunalsjefane|denne|din",
                     "en": "head of sector|heads of sector|the head of sector|the heads of sector|this|your"},
    "tjenesteområdeleder": {"nb": "tjenesteområdeleder|tjenesteområdeledere|tjenesteområdelederen|"
                                  "tjenesteområdelederne|denne|din",
                            "nn": "tenesteområdeleiar|tenesteområdeleiarar|tenesteområdeleiaren|"
                                  "tenesteområdeleiarane|denne|din",
                            "en": "head of service area|heads of service area|the head of service area|"
                                  "the heads of service area|this|your"},
    "programområdeleder": {"nb": "programområdeleder|programområdeledere|programområdelederen|programområdelederne|"
                                 "denne|din",
                           "nn": "programområdeleiar|programområdeleiarar|programområdeleiaren|"
                                 "programområdeleiarane|denne|din",
                           "en": "head of programme area|heads of programme area|the head of programme area|"
                                 "the heads of programme area|this|your"},
    "direktør": {"nb": "direktør|direktører|direktøren|direktørene|denne|din",
                 "nn": "direktør|direktørar|direktøren|direktørane|denne|din",
                 "en": "director|directors|the director|the directors|this|your"},
})  # fmt: skip

# The leader's title a level's word implies when the file names only the level (`unit: virksomhet` gives
# virksomhetsleder); a level written out as one's own word keeps the default title unless the file says otherwise.
LEADER_OF: Final = {
    "enhet": "enhetsleder",
    "virksomhet": "virksomhetsleder",
    "tjenestested": "tjenestestedsleder",
    "sektor": "kommunalsjef",
    "tjenesteområde": "tjenesteområdeleder",
    "programområde": "programområdeleder",
}
