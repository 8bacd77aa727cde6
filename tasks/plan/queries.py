"""Reading plan versions: the newest, one by number, the adopted one, a year's list, a version's handlings.

`year` is the cycle year a version was made in (the HR pages and the CLI count versions per cycle year); the plan
year a version is FOR is asked for by name (`adopted_plan(session, plan_year)`).
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from domain.models import Handling, PlanStatus, PlanVersion
from tasks.plan.sources import NoPlanVersion


def latest_version(session: Session, year: int) -> PlanVersion | None:
    """The newest version made in cycle year `year`."""
    return session.exec(
        select(PlanVersion).where(PlanVersion.cycle_year == year).order_by(col(PlanVersion.number).desc())
    ).first()


def adopted_version(session: Session, year: int) -> PlanVersion | None:
    """The adopted version made in cycle year `year` (the plan FOR year + 1), if there is one."""
    query = select(PlanVersion).where(PlanVersion.cycle_year == year, PlanVersion.status == PlanStatus.ADOPTED)
    return session.exec(query).first()


def adopted_plan(session: Session, plan_year: int) -> PlanVersion | None:
    """The adopted plan FOR `plan_year`: the one carried out that year and evaluated the January after."""
    query = select(PlanVersion).where(PlanVersion.plan_year == plan_year, PlanVersion.status == PlanStatus.ADOPTED)
    return session.exec(query).first()


def versions_of(session: Session, year: int) -> list[PlanVersion]:
    """Every version made in cycle year `year`, oldest first."""
    return list(
        session.exec(select(PlanVersion).where(PlanVersion.cycle_year == year).order_by(col(PlanVersion.number)))
    )


def plan_years(session: Session) -> list[int]:
    """Every cycle year that has at least one plan version, newest first."""
    query = select(PlanVersion.cycle_year).distinct().order_by(col(PlanVersion.cycle_year).desc())
    return list(session.exec(query))


def version_of(session: Session, year: int, number: int | None = None) -> PlanVersion:
    """Version `number` of the year's plan (the newest if none is given), or a sentence saying it does not exist."""
    if number is None:
        version = latest_version(session, year)
    else:
        query = select(PlanVersion).where(PlanVersion.cycle_year == year, PlanVersion.number == number)
        version = session.exec(query).first()
    if version is None:
        if number is None:
            raise NoPlanVersion(f"Det finnes ingen planversjon laget i {year} (Kompetanseplan {year + 1}).")
        raise NoPlanVersion(f"Kompetanseplan {year + 1} (laget i {year}) har ingen versjon {number}.")
    return version


def parent_number(session: Session, version: PlanVersion) -> int | None:
    parent = session.get(PlanVersion, version.parent_id) if version.parent_id else None
    return parent.number if parent else None


def handlings_of(session: Session, version: PlanVersion) -> list[Handling]:
    query = select(Handling).where(Handling.plan_version_id == version.id)
    return list(session.exec(query.order_by(col(Handling.held_on), col(Handling.id))))
