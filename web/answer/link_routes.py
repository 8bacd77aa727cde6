"""A link that no longer works gets a sentence, not a traceback, and a way to ask for a new one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from notifications.links import LinkError, LinkProblem
from tasks.answers.relink import request_new_link
from web.deps import RuntimeDep
from web.rendering import page_language, render

router = APIRouter()

PROBLEM_KEYS = {
    LinkProblem.EXPIRED: "expired",
    LinkProblem.REVOKED: "revoked",
    LinkProblem.WRONG_PURPOSE: "invalid",
    LinkProblem.TAMPERED: "invalid",
    LinkProblem.MALFORMED: "invalid",
}


def link_problem_page(request: Request, error: LinkError) -> HTMLResponse:
    """410 for an expired link, 403 for one that was revoked, forged or broken."""
    status = 410 if error.problem == LinkProblem.EXPIRED else 403
    return render(
        request,
        "link_problem.html",
        {"problem": PROBLEM_KEYS[error.problem], "sent": False},
        language=page_language(request),
        status=status,
    )


@router.post("/lenke/ny", response_class=HTMLResponse)
def new_link(request: Request, rt: RuntimeDep, epost: Annotated[str, Form(max_length=254)] = "") -> HTMLResponse:
    """Send a fresh link to this address if it has open tasks; the answer is the same either way."""
    with rt.session() as session:
        request_new_link(session, rt, epost, now=rt.now())
    return render(
        request, "link_problem.html", {"problem": "", "sent": True}, language=page_language(request)
    )
