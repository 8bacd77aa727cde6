"""What the demo's units believably ask for, per kind of unit: `catalogue.yaml` read into checked models."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from domain.forms import CostType, Criticality, Funding, Horizon, Strategy
from domain.plan.frame import DEFAULT_FRAME

CATALOGUE = Path(__file__).with_name("catalogue.yaml")
Period = Literal["spring", "autumn", "year", "school_year"]


class Idea(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NeedIdea(Idea):
    area: str
    text: str
    criticality: Criticality
    horizon: Horizon
    strategy: Strategy


class MeasureIdea(Idea):
    area: str
    focus: str
    title: str
    goal: str
    target: str
    arena: str
    period: Period
    responsible: str
    participants: tuple[int, int]
    cost: tuple[int, int]
    cost_type: CostType
    funding: tuple[Funding] | tuple[Funding, Funding, float]
    sessions: int = Field(ge=1, le=12)
    substitutes: bool = False
    only: tuple[str, ...] = ()  # unit templates this measure fits; empty: every unit of the profile

    def fits(self, template: str) -> bool:
        return not self.only or template in self.only


class Education(Idea):
    kind: str
    start: str
    count: tuple[int, int]


class Profile(Idea):
    units: tuple[str, ...]
    requirements: str
    holdings: str
    pct: tuple[int, int]
    education: Education
    needs: tuple[NeedIdea, ...]
    measures: tuple[MeasureIdea, ...]


class Catalogue(Idea):
    added_areas: tuple[str, ...]
    common: tuple[MeasureIdea, ...]
    profiles: dict[str, Profile]

    def frame_areas(self) -> list[str]:
        """The competence areas of the demo's plan frame: the packaged list and the demo's own."""
        return sorted({*DEFAULT_FRAME["competence_areas"], *self.added_areas})


class UnitProfile(BaseModel):
    """A unit as the demo sees it: its kind(s) of work, and what such a unit needs and asks for."""

    model_config = ConfigDict(frozen=True)
    template: str
    profiles: tuple[Profile, ...]

    @property
    def needs(self) -> list[NeedIdea]:
        return [need for profile in self.profiles for need in profile.needs]

    @property
    def measures(self) -> list[MeasureIdea]:
        """The measures that fit this unit, each title once (an oppvekstsenter is both school and kindergarten)."""
        found = {m.title: m for p in self.profiles for m in p.measures if m.fits(self.template)}
        return list(found.values())


@cache
def catalogue() -> Catalogue:
    data: dict[str, Any] = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    return Catalogue.model_validate(data)


@cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    templates = {t for p in catalogue().profiles.values() for t in p.units}
    # Place names are one word ("Solbakken"); a second unit of the same name gets " 2" (municipality.py).
    return [
        (re.compile("^" + re.escape(t).replace(re.escape("{place}"), r"\S+") + r"(?: \d+)?$"), t)
        for t in sorted(templates)
    ]


def unit_profile(unit_name: str) -> UnitProfile | None:
    """The profile of a demo unit, from the name template it was made with; None for a name no template made."""
    template = next((t for pattern, t in _patterns() if pattern.match(unit_name)), None)
    if template is None:
        return None
    profiles = tuple(p for p in catalogue().profiles.values() if template in p.units)
    return UnitProfile(template=template, profiles=profiles)


def common_measures() -> tuple[MeasureIdea, ...]:
    return catalogue().common


def idea_titled(title: str) -> MeasureIdea | None:
    """The catalogue's measure with this title (to know a measure's typical size when evaluating it)."""
    every = [*catalogue().common, *(m for p in catalogue().profiles.values() for m in p.measures)]
    return next((m for m in every if m.title == title), None)
