"""A sector's own part of a plan version (its sub-plan) as a file, for HR and for the sector's kommunalsjef."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from domain.models import OrgUnit, UnitLevel
from tasks.plan.documents.export import FORMATS, MEDIA_TYPES, export_version, file_name
from tasks.plan.versions import PlanError, version_of
from web.deps import RuntimeDep
from web.params import Id
from web.rendering import error_page
from web.signin.access import Manager, ScopedSector

router = APIRouter()


@router.get("/hr/plan/{year}/versjon/{number}/sektor/{sector_id}/eksport/{fmt}")
def sector_download(
    request: Request, rt: RuntimeDep, hr: Manager, year: Id, number: Id, sector_id: ScopedSector, fmt: str
) -> Response:
    """The sector's part of one version: its analysis, measures, costs and evaluation, as HTML, PDF, DOCX or XLSX."""
    if fmt not in FORMATS:
        return error_page(request, 404, "404")
    with rt.session() as session:
        sector = session.get(OrgUnit, sector_id)
        try:
            found = version_of(session, year, number)
        except PlanError:
            return error_page(request, 404, "404")
        if sector is None or sector.level != UnitLevel.SEKTOR:
            return error_page(request, 404, "404")
        logo = rt.settings.municipality_logo
        data = export_version(session, found, fmt, logo=logo, sector=sector, terms=rt.aarshjul.terms)
        name = file_name(session, found, fmt, sector)
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=disposition)
