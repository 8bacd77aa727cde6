"""The accessibility statement (tilgjengelighetserklæring): what is tested, and how to report a problem."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.deps import RuntimeDep
from web.rendering import page_language, render

router = APIRouter()


@router.get("/tilgjengelighet", response_class=HTMLResponse)
def statement(request: Request, rt: RuntimeDep) -> HTMLResponse:
    """The accessibility statement, linked from every page's footer."""
    context = {"municipality": rt.settings.municipality, "contact": rt.settings.hr_email}
    return render(request, "accessibility.html", context, language=page_language(request))
