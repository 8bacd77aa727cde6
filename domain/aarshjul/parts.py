"""The small parts an årshjul file is made of: texts in three languages, audiences, forms, date rules, escalation."""

from __future__ import annotations

import difflib
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from domain.aarshjul.date_rules import DateRule, DateRuleError, parse_date_rule

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,62}$")


class Audience(StrEnum):
    UNIT_LEADERS = "unit_leaders"
    SECTOR_LEADERS = "sector_leaders"  # kommunalsjefer / kommunaldirektører
    TILLITSVALGTE = "tillitsvalgte"  # every tillitsvalgt, whatever the scope
    HOVEDTILLITSVALGTE = "hovedtillitsvalgte"  # scope: the municipality or a sector
    PLASSTILLITSVALGTE = "plasstillitsvalgte"  # scope: a unit or a department
    HR = "hr"
    KOMMUNEDIREKTOR = "kommunedirektor"  # the leader of the municipality's top unit
    BODY_MEMBERS = "body_members"  # the members of one of plan_bodies (`body:` names it)
    EMPLOYEES = "employees"  # employees from the organisation import; their unit leaders when none are imported


# The words a municipality may write instead of the identifiers (bokmål, with and without ø/å).
AUDIENCE_WORDS: dict[str, Audience] = {
    **{a.value: a for a in Audience},
    "enhetsledere": Audience.UNIT_LEADERS,
    "virksomhetsledere": Audience.UNIT_LEADERS,
    "kommunalsjefer": Audience.SECTOR_LEADERS,
    "hovedtillitsvalgt": Audience.HOVEDTILLITSVALGTE,
    "plasstillitsvalgt": Audience.PLASSTILLITSVALGTE,
    "kommunedirektør": Audience.KOMMUNEDIREKTOR,
    "rådmann": Audience.KOMMUNEDIREKTOR,
    "radmann": Audience.KOMMUNEDIREKTOR,
    "organ": Audience.BODY_MEMBERS,
    "ansatte": Audience.EMPLOYEES,
    "medarbeidere": Audience.EMPLOYEES,
}


class FormKind(StrEnum):
    EVALUATION = "evaluation"
    INPUT = "input"
    CONSULTATION = "consultation"
    ADOPTION = "adoption"


def suggestion(word: str, choices: list[str]) -> str:
    """« Mente du «x»?» for the nearest choice, or a list of them all when nothing is near."""
    near = difflib.get_close_matches(word.lower(), choices, n=1, cutoff=0.6)
    if near:
        return f"Mente du «{near[0]}»?"
    return f"Bruk en av: {', '.join(choices)}."


def _audience(value: Any) -> Audience:
    if isinstance(value, Audience):
        return value
    found = AUDIENCE_WORDS.get(str(value).strip().lower())
    if found is None:
        raise ValueError(f"ukjent mottakergruppe «{value}». {suggestion(str(value), list(AUDIENCE_WORDS))}")
    return found


def _rule(value: Any) -> DateRule:
    if isinstance(value, DateRule):
        return value
    if isinstance(value, date):
        value = value.isoformat()
    if not isinstance(value, str):
        raise ValueError("en dato eller datoregel (tekst) er påkrevd")
    try:
        return parse_date_rule(value)
    except DateRuleError as exc:
        raise ValueError(str(exc)) from exc


Rule = Annotated[DateRule, BeforeValidator(_rule)]
AudienceWord = Annotated[Audience, BeforeValidator(_audience)]
LEVEL_WORDS = ("sektor", "virksomhet", "avdeling")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)


class Texts(Strict):
    nb: str = Field(min_length=1)
    nn: str = Field(min_length=1)
    en: str = Field(min_length=1)

    def get(self, language: str) -> str:
        return str(getattr(self, language, self.nb))


class AudienceEntry(Strict):
    """Who is asked or told, optionally narrowed to some sectors (id or name), one unit level or some unit kinds."""

    who: AudienceWord
    required: bool = True
    body: str | None = None  # for body_members: the body's name or alias in plan_bodies
    sectors: tuple[str, ...] = ()
    level: str | None = None
    kinds: tuple[str, ...] = ()  # unit kinds from the organisation import (skole, barnehage, ...), any case

    @model_validator(mode="after")
    def _filters(self) -> AudienceEntry:
        if self.who == Audience.BODY_MEMBERS and not self.body:
            raise ValueError("body_members krever body: (navnet på organet i plan_bodies)")
        if self.body and self.who != Audience.BODY_MEMBERS:
            raise ValueError("body: gjelder bare who: body_members")
        if self.level is not None and self.level not in LEVEL_WORDS:
            raise ValueError(f"ukjent nivå «{self.level}». {suggestion(self.level, list(LEVEL_WORDS))}")
        return self


class Escalation(Strict):
    to_sector_leader_after: int | None = Field(default=None, ge=1, le=60)
    to_hr_after: int | None = Field(default=None, ge=1, le=60)

    @model_validator(mode="after")
    def _hr_after_sector(self) -> Escalation:
        if self.to_sector_leader_after and self.to_hr_after and self.to_hr_after <= self.to_sector_leader_after:
            raise ValueError("to_hr_after må være senere enn to_sector_leader_after")
        return self
