"""The kommunalsjef's step: prioritise the sector's measures (1–3, or leave one out) before HR compiles."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.models import OrgUnit, PlanStatus, UnitLevel
from domain.plan.content import SectorMeasure
from domain.plan.measures import LEFT_OUT, merge_measures, sector_requests
from tasks.events.log import record
from tasks.org.people import sector_leader
from tasks.plan.queries import latest_version
from tasks.plan.sources import PRIORITISED, PlanError, sector_priorities, unit_answers

CHOICES = (1, 2, 3, LEFT_OUT)


@dataclass(frozen=True)
class SectorMeasures:
    sector: OrgUnit
    leader: str
    measures: list[SectorMeasure]  # merged as the units asked, with the sector's share and its choice so far


def sectors(session: Session) -> list[OrgUnit]:
    return list(
        session.exec(
            select(OrgUnit).where(OrgUnit.level == UnitLevel.SEKTOR, OrgUnit.active).order_by(col(OrgUnit.name))
        )
    )


def sector_measures(session: Session, year: int, sector_id: str, terms: Terms = DEFAULT_TERMS) -> SectorMeasures:
    """What the sector's units asked for this year, with the priority its kommunalsjef has set so far."""
    sector = _sector(session, sector_id, terms)
    answers = [a for a in unit_answers(session, year, "input") if a.sector_id == sector_id]
    requests = [
        (m, a.unit_id, a.unit_name, a.sector_id, a.sector) for a in answers for m in a.content.get("measures", [])
    ]
    chosen = sector_priorities(session, year).get(sector_id, {})
    measures = sector_requests(merge_measures(requests, {}), sector.name, chosen)
    leader = sector_leader(session, sector_id)
    return SectorMeasures(sector, leader.name if leader else "", measures)


def prioritise_sector(
    session: Session,
    *,
    year: int,
    sector_id: str,
    priorities: dict[str, int],
    now: datetime,
    actor: str,
    comments: dict[str, str] | None = None,
    terms: Terms = DEFAULT_TERMS,
) -> dict[str, int]:
    """Store the sector's priorities and comments (a new record each time; the newest counts) for the next compile."""
    if (latest := latest_version(session, year)) is not None and latest.status == PlanStatus.ADOPTED:
        raise PlanError(f"Planen for {year} er vedtatt; prioriteringen kan ikke endres.")
    asked = {m.key for m in sector_measures(session, year, sector_id, terms).measures}
    unknown = sorted((set(priorities) | set(comments or {})) - asked)
    if unknown:
        word = terms["nb"].sector
        raise PlanError(f"Tiltaket «{unknown[0]}» er ikke meldt inn fra {word.this} {word.definite} i {year}.")
    if bad := [v for v in priorities.values() if v not in CHOICES]:
        raise PlanError(f"Prioriteten {bad[0]} er ugyldig; bruk 1, 2, 3 eller 0 for å ta tiltaket ut.")
    sector = _sector(session, sector_id, terms)
    leader = sector_leader(session, sector_id)
    record(
        session,
        PRIORITISED,
        at=now,
        cycle_year=year,
        unit_id=sector_id,
        person_id=leader.id if leader else None,
        actor=actor,
        sector=sector.name,
        priorities=dict(sorted(priorities.items())),
        **({"comments": dict(sorted(comments.items()))} if comments else {}),
    )
    return priorities


def _sector(session: Session, sector_id: str, terms: Terms) -> OrgUnit:
    sector = session.get(OrgUnit, sector_id)
    if sector is None or sector.level != UnitLevel.SEKTOR:
        raise PlanError(f"Fant ingen {terms['nb'].sector.singular} med id «{sector_id}».")
    return sector
