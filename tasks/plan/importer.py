"""`arshjul plan import`: the plan a municipality already has becomes the adopted plan for its year.

Every row is checked (missing values, costs, unit ids that the organisation does not have, a measure twice) and
every problem is reported with row and column; nothing is written unless the whole file is good. The version is
made with the status adopted and one handling of the kind «importert», so the first January evaluates its measures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from domain.aarshjul.workdays import to_local
from domain.events import EventKind
from domain.models import Cycle, Handling, HandlingKind, OrgUnit, PlanStatus, PlanVersion, UnitLevel
from domain.plan.content import Costs, PlanContent, PlannedMeasure, UnitRequest
from domain.plan.measures import measure_key
from domain.plan.text import render_plan
from tasks.events.log import record
from tasks.org.types import ImportProblem, RawRow
from tasks.plan.import_file import LABELS, read_rows
from tasks.plan.narrative import snapshot
from tasks.plan.queries import adopted_plan, latest_version
from tasks.plan.sources import PlanError
from tasks.runtime import Runtime

IMPORT_BODY = "Årshjul (import)"


class PlanImportError(PlanError):
    """The file cannot be imported; `problems` names each one with row and column."""

    def __init__(self, problems: list[ImportProblem]) -> None:
        self.problems = problems
        super().__init__(f"Planen ble ikke importert; {len(problems)} feil, ingenting er lagret.")


@dataclass(frozen=True)
class ImportedPlan:
    version: PlanVersion
    measures: int
    total: int


def import_plan(
    session: Session, rt: Runtime, path: Path, *, plan_year: int, now: datetime, actor: str
) -> ImportedPlan:
    """Read, validate and record the file as the adopted plan for `plan_year`, or raise with every problem."""
    current = adopted_plan(session, plan_year)
    if current is not None:
        raise PlanError(
            f"Kompetanseplan {plan_year} er allerede vedtatt (versjon {current.number}); en vedtatt plan erstattes "
            "bare av en ny versjon med eget vedtak."
        )
    rows, problems = read_rows(path)
    units = {u.id: u for u in session.exec(select(OrgUnit))}
    measures = [] if problems else _measures(path.name, rows, units, problems)
    if problems:
        raise PlanImportError(problems)
    if not measures:
        raise PlanImportError([ImportProblem(path.name, None, None, "filen har ingen tiltak")])
    version = _record(session, rt, measures, plan_year=plan_year, now=now, actor=actor, source=path.name)
    return ImportedPlan(version, len(measures), sum(m.cost for m in measures))


def _measures(
    source: str, rows: list[RawRow], units: dict[str, OrgUnit], problems: list[ImportProblem]
) -> list[PlannedMeasure]:
    found: dict[str, tuple[int, PlannedMeasure]] = {}
    for row in rows:
        before = len(problems)

        def fail(column: str, message: str, row: RawRow = row) -> None:
            problems.append(ImportProblem(source, row.number, LABELS[column], message))

        values = row.values
        for column in ("goal", "title"):
            if not values.get(column):
                fail(column, "mangler verdi")
        cost = _cost(values.get("cost", ""))
        if not values.get("cost"):
            fail("cost", "mangler verdi: skriv 0 om tiltaket ikke koster noe")
        elif cost is None:
            fail("cost", f"«{values['cost']}» er ikke et beløp i hele kroner (f.eks. 50000)")
        owners = [u for u in re.split(r"[,;\s]+", values.get("units", "")) if u]
        if not owners:
            fail("units", "mangler verdi: oppgi ID-ene til enhetene som eier tiltaket")
        for unit_id in owners:
            if unit_id not in units:
                fail("units", f"enheten «{unit_id}» finnes ikke i organisasjonen (importer organisasjonen først)")
        if len(problems) > before or cost is None:
            continue
        measure = _measure(values, cost, [units[u] for u in dict.fromkeys(owners)], units)
        if measure.key in found:
            fail("title", f"tiltaket «{measure.title}» står allerede på rad {found[measure.key][0]}")
            continue
        found[measure.key] = (row.number, measure)
    return [m for _, m in found.values()]


def _measure(values: dict[str, str], cost: int, owners: list[OrgUnit], units: dict[str, OrgUnit]) -> PlannedMeasure:
    shares = [cost // len(owners) + (1 if i < cost % len(owners) else 0) for i in range(len(owners))]
    sectors = [_sector(u, units) for u in owners]
    requests = [
        UnitRequest(unit=u.id, unit_name=u.name, sector=s, cost=share)
        for u, s, share in zip(owners, sectors, shares, strict=True)
    ]
    area, title = values.get("area", ""), values["title"]
    return PlannedMeasure(
        area=area,
        goal=values["goal"],
        title=title,
        target_group=values.get("target_group", ""),
        arena=values.get("arena", ""),
        period=values.get("period", ""),
        responsible=values.get("responsible", ""),
        cost=cost,
        key=measure_key(area, title),
        requests=requests,
        units=[u.id for u in owners],
        unit_names=[u.name for u in owners],
        sectors=list(dict.fromkeys(s for s in sectors if s)),
    )


def _record(
    session: Session,
    rt: Runtime,
    measures: list[PlannedMeasure],
    *,
    plan_year: int,
    now: datetime,
    actor: str,
    source: str,
) -> PlanVersion:
    municipality, cycle_year = rt.settings.municipality, plan_year - 1
    by_sector: dict[str, int] = {}
    for m in measures:
        for r in m.requests:
            by_sector[r.sector or "Uten sektor"] = by_sector.get(r.sector or "Uten sektor", 0) + r.cost
    period, narrative, frame = snapshot(session, rt, plan_year)
    content = PlanContent(
        municipality=municipality,
        plan_year=plan_year,
        title=f"Kompetanseplan {plan_year} for {municipality}",
        frame=frame,
        narrative=narrative,
        period=period,
        measures=measures,
        costs=Costs(by_sector=by_sector, total=sum(m.cost for m in measures)),
        reason=f"importert fra {source}",
    )
    cycle = session.exec(select(Cycle).where(Cycle.year == cycle_year)).first()
    parent = latest_version(session, cycle_year)
    version = PlanVersion(
        cycle_id=cycle.id if cycle else None,
        cycle_year=cycle_year,
        plan_year=plan_year,
        number=(parent.number + 1) if parent else 1,
        parent_id=parent.id if parent else None,
        status=PlanStatus.ADOPTED,
        title=content.title,
        content=content.stored(),
        rendered=render_plan(content),
        content_hash=content.content_hash(),
        created_by=actor,
        created_at=now,
    )
    session.add(version)
    try:
        session.flush()
    except IntegrityError as clash:
        raise PlanError(f"Kompetanseplan {plan_year} ble vedtatt eller importert i en annen økt samtidig.") from clash
    outcome = f"Innlest fra {source}: {len(measures)} tiltak"
    session.add(
        Handling(
            plan_version_id=version.id or 0,
            body=IMPORT_BODY,
            held_on=to_local(now).date(),
            kind=HandlingKind.IMPORTERT,
            outcome=outcome,
            recorded_at=now,
        )
    )
    record(
        session,
        EventKind.PLAN_IMPORTED,
        at=now,
        cycle_year=cycle_year,
        actor=actor,
        number=version.number,
        plan_year=plan_year,
        measures=len(measures),
        content_hash=version.content_hash,
        source=source,
    )
    return version


def _cost(text: str) -> int | None:
    cleaned = re.sub(r"(?i)\s|kr\.?|,-|\u00a0", "", text)
    return int(cleaned) if cleaned.isdigit() else None


def _sector(unit: OrgUnit, units: dict[str, OrgUnit]) -> str:
    seen: set[str] = set()
    current: OrgUnit | None = unit
    while current is not None and current.id not in seen:
        if current.level == UnitLevel.SEKTOR:
            return current.name
        seen.add(current.id)
        current = units.get(current.parent_id) if current.parent_id else None
    return ""
