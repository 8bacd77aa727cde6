"""The bodies that handle the plan (Lederforum, AMU, MBM, kommunestyret …) and which of them adopt it by a vedtak."""

from __future__ import annotations

from typing import Final

from pydantic import BaseModel, ConfigDict, Field


class BodyMember(BaseModel):
    """A member of a body, typed into the årshjul file, who receives the notices addressed to the body."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=254, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class PlanBody(BaseModel):
    """A body that may handle the plan; `adopts` says whether its vedtak adopts it (this differs by municipality)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    name: str = Field(min_length=1, max_length=200)
    adopts: bool = False
    aliases: tuple[str, ...] = ()
    members: tuple[BodyMember, ...] = ()

    def names(self) -> set[str]:
        return {_norm(n) for n in (self.name, *self.aliases)}


# Sørum's Lederforum adopted its plan, Drammen's kommunedirektør hers; the default names the political bodies and
# the kommunedirektør as adopting, and a municipality changes `adopts` in its årshjul file.
DEFAULT_BODIES: Final = (
    PlanBody(name="Lederforum"),
    PlanBody(name="Kompetanseforum"),
    PlanBody(name="AMU", aliases=("Arbeidsmiljøutvalget", "Arbeidsmiljøutvalg")),
    PlanBody(name="MBM", aliases=("Medbestemmelsesmøte", "Medbestemmelsesmøtet")),
    PlanBody(name="PSU", aliases=("Partssammensatt utvalg", "Partssammensatt utvalg (PSU)")),
    PlanBody(name="Formannskapet", adopts=True, aliases=("Formannskap",)),
    PlanBody(name="Økonomiutvalget", aliases=("Økonomiutvalg", "Økonomi- og administrasjonsutvalget")),
    PlanBody(name="Kommunestyret", adopts=True, aliases=("Kommunestyre", "Bystyret")),
    PlanBody(name="Kommunedirektøren", adopts=True, aliases=("Kommunedirektør", "Rådmannen", "Rådmann")),
)


def check_bodies(bodies: list[PlanBody]) -> list[PlanBody]:
    """Every name and alias used once, and at least one body that adopts."""
    seen: set[str] = set()
    for body in bodies:
        twice = sorted(body.names() & seen)
        if twice:
            raise ValueError(f"organet «{twice[0]}» er nevnt mer enn én gang")
        seen |= body.names()
    if not any(body.adopts for body in bodies):
        raise ValueError("minst ett organ må ha adopts: true (organet som vedtar planen)")
    return bodies


def find_body(bodies: list[PlanBody], name: str) -> PlanBody | None:
    """The configured body by its name or an alias, in any case and spacing."""
    wanted = _norm(name)
    return next((body for body in bodies if wanted in body.names()), None)


def _norm(name: str) -> str:
    return " ".join(name.lower().split())
