"""A signed-in unit leader's own pages: the tasks of their units, each answer with its history, a new link."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from tasks.answers.relink import request_new_link
from web.deps import RuntimeDep
from web.hr.answer_view import answer_view
from web.hr.events.text import describe_events
from web.hr.queries import assignment_detail
from web.i18n import Translator
from web.leader.queries import is_own_task, own_tasks
from web.params import Id
from web.rendering import error_page, page_language, render
from web.signin.access import LEADER_HOME, Leader, SignedInUser
from web.signin.auth import check_csrf

router = APIRouter()
OK_KEYS = ("link",)


def leader_render(request: Request, user: SignedInUser, name: str, context: dict[str, Any]) -> HTMLResponse:
    """A leader's page: the signed-in navigation (their tasks, sign out) and the session's CSRF token."""
    full = {"hr_nav": True, "csrf": user.csrf, "user": user, **context}
    return render(request, name, full, language=page_language(request))


@router.get(LEADER_HOME, response_class=HTMLResponse)
def my_tasks(request: Request, rt: RuntimeDep, user: Leader, ok: str = "") -> HTMLResponse:
    """The tasks of the units the leader leads, every year, with state, deadline and saved answers."""
    with rt.session() as session:
        tasks = own_tasks(session, user.email, rt.settings.municipality)
    years = sorted({task.year for task in tasks}, reverse=True)
    context = {
        "years": years,
        "tasks": tasks,
        "titles": {phase.key: phase.title for phase in rt.aarshjul.phases},
        "ok": ok if ok in OK_KEYS else "",
    }
    return leader_render(request, user, "leader_tasks.html", context)


@router.get(LEADER_HOME + "/{assignment_id}", response_class=HTMLResponse)
def my_task(request: Request, rt: RuntimeDep, user: Leader, assignment_id: Id) -> HTMLResponse:
    """One of the leader's tasks: the answer as saved, every revision, last year's answer and what happened."""
    with rt.session() as session:
        own = is_own_task(session, user.email, assignment_id)
        detail = assignment_detail(session, rt, assignment_id) if own else None
        if detail is None:
            return error_page(request, 404, "404")
        view = answer_view(
            session, detail, Translator(page_language(request), rt.aarshjul.terms), request.query_params.get("versjon")
        )
        titles = {phase.key: phase.title for phase in rt.aarshjul.phases}
        context = {
            "d": detail,
            "title": titles.get(detail.phase.key, {"nb": detail.phase.key}),
            "a": view,
            "measures": view.measures,
            "texts": describe_events(session, detail.events, rt.aarshjul.terms),
            "task_base": LEADER_HOME + "/",
        }
        return leader_render(request, user, "leader_task.html", context)


@router.post(LEADER_HOME + "/ny-lenke", response_class=HTMLResponse)
def new_links(
    request: Request, rt: RuntimeDep, user: Leader, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> RedirectResponse:
    """Ask for new links to the leader's open tasks, e-mailed to the address they signed in with."""
    check_csrf(user, csrf_token)
    with rt.session() as session:
        request_new_link(session, user.email, now=rt.now())
    return RedirectResponse(f"{LEADER_HOME}?ok=link", status_code=303)
