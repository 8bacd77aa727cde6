"""The HR console's plan pages: the versions of a year, one version, two compared, and the downloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from domain.aarshjul.workdays import to_local
from domain.plan.content import plan_content
from domain.plan.diff import diff_plans, summary_lines, text_diff
from tasks.plan.comment_answers import answers_of
from tasks.plan.documents.export import FORMATS, MEDIA_TYPES, export_version, file_name
from tasks.plan.versions import PlanError, version_of
from web.deps import RuntimeDep
from web.hr.plan import action_routes as hr_plan_action_routes
from web.hr.plan import sector_export
from web.hr.plan import text_routes as hr_plan_text_routes
from web.hr.plan.pages import OK_TEXTS, plan_page, version_page, version_row
from web.hr.routes import hr_render
from web.params import Id, QueryId
from web.rendering import error_page, runtime
from web.signin.access import Reader

router = APIRouter()
router.include_router(hr_plan_text_routes.router)  # first: /hr/plan/tekst/… before the /hr/plan/{year}/… patterns
router.include_router(hr_plan_action_routes.router)
router.include_router(sector_export.router)
Year = Annotated[int | None, Query(ge=2000, le=2200)]


@router.get("/hr/plan", response_class=HTMLResponse)
def plans(request: Request, hr: Reader, ar: Year = None, ok: str = "") -> HTMLResponse:
    """The plan versions of a year (this year unless `ar` is given)."""
    return plan_page(request, hr, ar or to_local(runtime(request).now()).year, ok=ok if ok in OK_TEXTS else "")


@router.get("/hr/plan/{year}/versjon/{number}", response_class=HTMLResponse)
def version(request: Request, hr: Reader, year: Id, number: Id, ok: str = "") -> HTMLResponse:
    """One version as the document it is, with its handlings."""
    return version_page(request, hr, year, number, ok=ok if ok in OK_TEXTS else "")


@router.get("/hr/plan/{year}/sammenlign", response_class=HTMLResponse)
def compare(request: Request, rt: RuntimeDep, hr: Reader, year: Id, fra: QueryId, til: QueryId) -> HTMLResponse:
    """Two versions compared: measures and needs added, removed and changed, costs, and the text."""
    with rt.session() as session:
        try:
            old, new = version_of(session, year, fra), version_of(session, year, til)
        except PlanError as missing:
            return plan_page(request, hr, year, problem=str(missing))
        answers = answers_of(session, old), answers_of(session, new)
        diff = diff_plans(plan_content(old.content), plan_content(new.content), *answers)
        context = {
            "year": year,
            "old": version_row(session, old),
            "new": version_row(session, new),
            "diff": diff,
            "summary": summary_lines(diff),
            "text": text_diff(old.rendered, new.rendered, f"versjon {old.number}", f"versjon {new.number}"),
        }
    return hr_render(request, hr, "hr_plan_diff.html", context)


@router.get("/hr/plan/{year}/versjon/{number}/eksport/{fmt}")
def download(request: Request, hr: Reader, year: Id, number: Id, fmt: str) -> Response:
    """One version as a file: HTML, PDF, DOCX, or its measures as XLSX."""
    if fmt not in FORMATS:
        return error_page(request, 404, "404")
    rt = runtime(request)
    with rt.session() as session:
        try:
            found = version_of(session, year, number)
        except PlanError:
            return error_page(request, 404, "404")
        logo = rt.settings.municipality_logo
        data = export_version(session, found, fmt, logo=logo, terms=rt.aarshjul.terms)
        name = file_name(session, found, fmt)
    disposition = {"Content-Disposition": f'attachment; filename="{name}"'}
    return Response(data, media_type=MEDIA_TYPES[fmt], headers=disposition)
