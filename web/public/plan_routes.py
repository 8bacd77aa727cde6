"""The adopted plan, readable by every unit leader from the link in the adoption email, and downloadable."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from tasks.plan.documents.export import FORMATS, MEDIA_TYPES, export_version, file_name
from tasks.plan.documents.html_page import render_fragment
from tasks.plan.documents.printed_source import printed_version
from tasks.plan.versions import adopted_plan as adopted_plan_for
from tasks.runtime import Runtime
from web.deps import RuntimeDep
from web.params import Id
from web.rendering import page_language, render

router = APIRouter()


@router.get("/plan/{year}", response_class=HTMLResponse)
def adopted_plan(request: Request, rt: RuntimeDep, year: Id) -> HTMLResponse:
    """The adopted competence plan FOR a plan year: /plan/2028 is Kompetanseplan 2028 (drafts are not shown)."""
    with rt.session() as session:
        version = adopted_plan_for(session, year)
        if version is None:
            raise HTTPException(status_code=404)
        context = {
            "year": year,
            "title": version.title,
            "document": render_fragment(printed_version(session, version, names=_names(rt), terms=rt.aarshjul.terms)),
            "formats": FORMATS,
        }
    return render(request, "plan_adopted.html", context, language=page_language(request))


@router.get("/plan/{year}/{fmt}")
def adopted_plan_file(request: Request, rt: RuntimeDep, year: Id, fmt: str) -> Response:
    """The adopted plan as HTML, PDF or DOCX, or its measures as XLSX."""
    with rt.session() as session:
        version = adopted_plan_for(session, year)
        if version is None or fmt not in FORMATS:
            raise HTTPException(status_code=404)
        logo, names = rt.settings.municipality_logo, _names(rt)
        data = export_version(session, version, fmt, logo=logo, names=names, terms=rt.aarshjul.terms)
        name = file_name(session, version, fmt)
    return Response(
        data, media_type=MEDIA_TYPES[fmt], headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


def _names(rt: Runtime) -> bool:
    """Tillitsvalgte by name only when the municipality has decided so (ARSHJUL_PUBLIC_PLAN__NAME_TILLITSVALGTE)."""
    return rt.settings.public_plan.name_tillitsvalgte
