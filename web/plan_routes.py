"""The adopted plan, readable by every unit leader from the link in the adoption email."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from markupsafe import escape

from arshjul.db import session_scope
from arshjul.runtime import Runtime
from tasks.plan import adopted_version

router = APIRouter()


@router.get("/plan/{year}", response_class=HTMLResponse)
def adopted_plan(request: Request, year: int) -> HTMLResponse:
    """The adopted competence plan of a cycle year (an adopted plan is a public document; drafts are not shown)."""
    rt: Runtime = request.app.state.rt
    with session_scope(rt.engine) as session:
        version = adopted_version(session, year)
        if version is None:
            raise HTTPException(status_code=404)
        title, text = version.title, version.rendered
    page = (
        '<!doctype html><html lang="nb"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="/static/style.css"></head>'
        f'<body><main><h1>{escape(title)}</h1><pre class="plan">{escape(text)}</pre></main></body></html>'
    )
    return HTMLResponse(page)
