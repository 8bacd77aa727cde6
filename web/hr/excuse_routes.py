"""HR excuses one task (fritak) with a reason, from the task page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from tasks.cycle.assignment_actions import ActionRefused
from tasks.cycle.excuse import excuse
from web.deps import RuntimeDep
from web.hr.routes import task_page
from web.params import Id
from web.signin.auth import HrDep, check_csrf

router = APIRouter()


@router.post("/hr/oppgave/{assignment_id}/fritak")
def excuse_task(
    request: Request,
    rt: RuntimeDep,
    hr: HrDep,
    assignment_id: Id,
    begrunnelse: Annotated[str, Form(max_length=2000)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Excuse the task with a reason; a refusal re-shows the task page with what to fix."""
    check_csrf(hr, csrf_token)
    try:
        with rt.session() as session:
            excuse(session, assignment_id, reason=begrunnelse, actor=hr.actor, now=rt.now())
    except ActionRefused as refused:
        return task_page(request, hr, assignment_id, problem=str(refused), status=400)
    return RedirectResponse(f"/hr/oppgave/{assignment_id}?ok=excused", status_code=303)
