"""Reading plan versions: the newest, one by number, the adopted one, a year's list, a version's handlings."""

from __future__ import annotations

from sqlmodel import Session, col, select

from domain.models import Cycle, Handling, PlanStatus, PlanVersion
from tasks.plan.sources import NoPlanVersion


def latest_version(session: Session, year: int) -> PlanVersion | None:
    return session.exec(
        select(PlanVersion).join(Cycle).where(Cycle.year == year).order_by(col(PlanVersion.number).desc())
    ).first()


def adopted_version(session: Session, year: int) -> PlanVersion | None:
    """The year's adopted plan (the newest adopted revision, if it was revised)."""
    return session.exec(
        select(PlanVersion)
        .join(Cycle)
        .where(Cycle.year == year, PlanVersion.status == PlanStatus.ADOPTED)
        .order_by(col(PlanVersion.number).desc())
    ).first()


def versions_of(session: Session, year: int) -> list[PlanVersion]:
    return list(
        session.exec(select(PlanVersion).join(Cycle).where(Cycle.year == year).order_by(col(PlanVersion.number)))
    )


def plan_years(session: Session) -> list[int]:
    """Every cycle year that has at least one plan version, newest first."""
    return list(session.exec(select(Cycle.year).join(PlanVersion).distinct().order_by(col(Cycle.year).desc())))


def version_of(session: Session, year: int, number: int | None = None) -> PlanVersion:
    """Version `number` of the year's plan (the newest if none is given), or a sentence saying it does not exist."""
    if number is None:
        version = latest_version(session, year)
    else:
        query = select(PlanVersion).join(Cycle).where(Cycle.year == year, PlanVersion.number == number)
        version = session.exec(query).first()
    if version is None:
        if number is None:
            raise NoPlanVersion(f"Det finnes ingen planversjon for {year}.")
        raise NoPlanVersion(f"Planen for {year} har ingen versjon {number}.")
    return version


def parent_number(session: Session, version: PlanVersion) -> int | None:
    parent = session.get(PlanVersion, version.parent_id) if version.parent_id else None
    return parent.number if parent else None


def handlings_of(session: Session, version: PlanVersion) -> list[Handling]:
    query = select(Handling).where(Handling.plan_version_id == version.id)
    return list(session.exec(query.order_by(col(Handling.held_on), col(Handling.id))))
