"""The HR console's pages: one task, the event log (the overview is in `web/hr/overview/page.py`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from domain.aarshjul.workdays import to_local
from web.deps import RuntimeDep
from web.hr.answer_view import answer_view
from web.hr.events.queries import GROUPS, filtered_page
from web.hr.events.text import describe_events
from web.hr.queries import assignment_detail
from web.i18n import Translator
from web.rendering import error_page, page_language, render, runtime
from web.signin.access import Manager, ScopedAssignment
from web.signin.auth import HrDep, HrSession

router = APIRouter()


def hr_render(request: Request, hr: HrSession, name: str, context: dict[str, Any], status: int = 200) -> HTMLResponse:
    """An HR page: the console's navigation and the session's CSRF token come with it."""
    full = {"hr_nav": True, "csrf": hr.csrf, "user": hr, **context}
    return render(request, name, full, language=page_language(request), status=status)


def task_page(
    request: Request,
    hr: HrSession,
    assignment_id: int,
    *,
    ok: str = "",
    problem: str = "",
    status: int = 200,
) -> HTMLResponse:
    """The page for one task, with a confirmation or a problem from the last action."""
    rt = runtime(request)
    with rt.session() as session:
        detail = assignment_detail(session, rt, assignment_id)
        if detail is None:
            return error_page(request, 404, "404")
        view = answer_view(
            session, detail, Translator(page_language(request), rt.aarshjul.terms), request.query_params.get("versjon")
        )
        context = {
            "d": detail,
            "title": rt.aarshjul.phase(detail.phase.key).title,
            "ok": ok,
            "a": view,
            "measures": view.measures,
            "texts": describe_events(session, detail.events, rt.aarshjul.terms),
            "problem": problem,
            "due_day": to_local(detail.assignment.due_at).date().isoformat(),
        }
        return hr_render(request, hr, "hr_task.html", context, status=status)


@router.get("/hr/oppgave/{assignment_id}", response_class=HTMLResponse)
def task(request: Request, hr: Manager, assignment_id: ScopedAssignment, ok: str = "") -> HTMLResponse:
    """One task: who has it, its deadline, answers and history, and what HR can do about it."""
    return task_page(request, hr, assignment_id, ok=ok if ok in OK_KEYS else "")


OK_KEYS = ("reminded", "extended", "delegated", "reissued", "excused")


@router.get("/hr/hendelser", response_class=HTMLResponse)
def events(
    request: Request,
    rt: RuntimeDep,
    hr: HrDep,
    side: Annotated[int, Query(ge=1, le=100_000)] = 1,
    type: Annotated[str, Query(max_length=20)] = "",
    fase: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """The event log, newest first, a page at a time, filtered by kind and phase."""
    group = type if type in GROUPS else ""
    with rt.session() as session:
        rows, older = filtered_page(session, side, group=group, phase_key=fase)
        context = {
            "events": rows,
            "page": side,
            "older": older,
            "texts": describe_events(session, rows, rt.aarshjul.terms),
            "groups": GROUPS,
            "group": group,
            "fase": fase,
            "phases": [(p.key, p.title.get("nb")) for p in rt.aarshjul.phases],
        }
        return hr_render(request, hr, "hr_events.html", context)
