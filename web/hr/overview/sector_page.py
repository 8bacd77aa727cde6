"""Drill-down from the overview: one sektor's units in one phase, filtered by state, each linking to its task."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from domain.aarshjul.workdays import to_local
from tasks.cycle.phases import phases_of
from web.deps import RuntimeDep
from web.hr.overview.queries import NO_SECTOR, sector_map
from web.hr.overview.sector_queries import phase_tasks
from web.hr.routes import hr_render
from web.rendering import error_page
from web.signin.access import Console

router = APIRouter()
STATUSES = (("", "Alle"), ("sen", "Over fristen eller eskalert"), ("open", "Åpne"), ("overdue", "Over fristen"),
            ("escalated", "Eskalert"), ("answered", "Besvart"), ("excused", "Fritatt"))  # fmt: skip


@router.get("/hr/sektor/{sector_id}", response_class=HTMLResponse)
def sector(
    request: Request,
    rt: RuntimeDep,
    hr: Console,
    sector_id: Annotated[str, Path(max_length=64)],
    ar: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    fase: Annotated[str, Query(max_length=64)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
) -> HTMLResponse:
    """One sektor's tasks in one phase: unit, person, state and deadline, filtered by state."""
    now = rt.now()
    year = ar or to_local(now).year
    with rt.session() as session:
        phases = phases_of(session, year)
        phase = next((p for p in phases if p.key == fase), phases[0] if phases else None)
        names = {ref.id: ref.name for ref in sector_map(session, rt.settings.municipality).values()}
        outside = hr.scope.sector_id not in (None, sector_id)  # another sector is "not found" for a kommunalsjef
        if outside or phase is None or sector_id not in names or status not in dict(STATUSES):
            return error_page(request, 404, "404")
        rows = phase_tasks(session, phase, now, rt.settings.municipality, sector_id, status)
        titles = {p.key: p.title.get("nb") for p in rt.aarshjul.phases}
        context = {
            "year": year,
            "phase": phase,
            "phases": phases,
            "titles": titles,
            "rows": rows,
            "sector_id": sector_id,
            "sector_name": names[sector_id],
            "status": status,
            "statuses": STATUSES,
            "whole": sector_id == NO_SECTOR,
        }
        return hr_render(request, hr, "hr_sector.html", context)
