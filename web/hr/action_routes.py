"""The HR console's actions on one task; each calls the service in tasks.cycle.assignment_actions and redirects."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from tasks.answers import delegation
from tasks.cycle import assignment_actions as hr_actions
from web.hr.deadline_reach import beyond_own_reach
from web.hr.routes import task_page
from web.params import Id
from web.rendering import runtime
from web.signin.access import Manager, ScopedAssignment
from web.signin.auth import HrDep, HrSession, check_csrf

router = APIRouter()
Token = Annotated[str, Form(max_length=200)]
Action = Callable[[Session], object]


def _run(request: Request, hr: HrSession, assignment_id: int, ok: str, action: Action) -> Response:
    """Run one action in its own unit of work; a refusal re-shows the task page with the reason."""
    rt = runtime(request)
    try:
        with rt.session() as session:
            action(session)
    except hr_actions.ActionRefused as refused:
        return task_page(request, hr, assignment_id, problem=str(refused), status=400)
    return RedirectResponse(f"/hr/oppgave/{assignment_id}?ok={ok}", status_code=303)


@router.post("/hr/oppgave/{assignment_id}/purring")
def remind(request: Request, hr: Manager, assignment_id: ScopedAssignment, csrf_token: Token = "") -> Response:
    """Queue a reminder for this one task now."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)
    return _run(
        request,
        hr,
        assignment_id,
        "reminded",
        lambda s: hr_actions.send_reminder(s, rt, assignment_id, actor=hr.actor, now=rt.now()),
    )


@router.post("/hr/oppgave/{assignment_id}/frist")
def extend(
    request: Request,
    hr: Manager,
    assignment_id: ScopedAssignment,
    csrf_token: Token = "",
    frist: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Move this task's deadline to a new day."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)
    try:
        day = date.fromisoformat(frist.strip())
    except ValueError:
        return task_page(request, hr, assignment_id, problem="Skriv en gyldig dato.", status=400)
    if (beyond := beyond_own_reach(rt, hr, assignment_id, day)) is not None:
        return task_page(request, hr, assignment_id, problem=beyond, status=400)
    return _run(
        request,
        hr,
        assignment_id,
        "extended",
        lambda s: hr_actions.extend_deadline(s, rt, assignment_id, day, actor=hr.actor, now=rt.now()),
    )


@router.post("/hr/oppgave/{assignment_id}/stedfortreder")
def hand_over(
    request: Request,
    hr: HrDep,
    assignment_id: Id,
    csrf_token: Token = "",
    navn: Annotated[str, Form(max_length=200)] = "",
    epost: Annotated[str, Form(max_length=254)] = "",
) -> Response:
    """Hand this task to a substitute, who gets their own link."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)
    return _run(
        request,
        hr,
        assignment_id,
        "delegated",
        lambda s: delegation.delegate(s, rt, assignment_id, name=navn, email=epost, actor=hr.actor, now=rt.now()),
    )


@router.post("/hr/oppgave/{assignment_id}/ny-lenke")
def new_link(request: Request, hr: HrDep, assignment_id: Id, csrf_token: Token = "") -> Response:
    """Revoke this task's links and send the assignee a fresh one."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)
    return _run(
        request,
        hr,
        assignment_id,
        "reissued",
        lambda s: hr_actions.reissue_link(s, rt, assignment_id, actor=hr.actor, now=rt.now()),
    )
