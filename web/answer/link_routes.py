"""A link that no longer works gets a sentence, not a traceback, and a way to ask for a new one."""

from __future__ import annotations

import secrets
from typing import Annotated, Final

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from notifications.links import LinkError, LinkProblem
from tasks.answers.relink import request_new_link
from web.deps import RuntimeDep
from web.rendering import error_page, page_language, render, runtime
from web.security import csrf_ok, csrf_token

router = APIRouter()

PROBLEM_KEYS = {
    LinkProblem.EXPIRED: "expired",
    LinkProblem.REVOKED: "revoked",
    LinkProblem.WRONG_PURPOSE: "invalid",
    LinkProblem.TAMPERED: "invalid",
    LinkProblem.MALFORMED: "invalid",
}
# The form has no link or session to bind its CSRF token to, so it is bound to a random value in a cookie that a
# browser sends only with a same-site post (double submit): a page elsewhere cannot make the post.
RELINK_COOKIE: Final = "arshjul_lenke"


def _relink_subject(nonce: str) -> str:
    return "relink:" + nonce


def link_problem_page(request: Request, error: LinkError) -> HTMLResponse:
    """410 for an expired link, 403 for one that was revoked, forged or broken; with the form for a new link."""
    rt = runtime(request)
    status = 410 if error.problem == LinkProblem.EXPIRED else 403
    nonce = secrets.token_urlsafe(24)
    response = render(
        request,
        "link_problem.html",
        {"problem": PROBLEM_KEYS[error.problem], "sent": False, "csrf": csrf_token(rt, _relink_subject(nonce))},
        language=page_language(request),
        status=status,
    )
    response.set_cookie(
        RELINK_COOKIE, nonce, max_age=3600, httponly=True, samesite="strict", secure=rt.settings.https, path="/lenke"
    )
    return response


@router.post("/lenke/ny", response_class=HTMLResponse)
def new_link(
    request: Request,
    rt: RuntimeDep,
    epost: Annotated[str, Form(max_length=254)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Record the request for a new link; the answer, and the work done, are the same whoever asks."""
    nonce = request.cookies.get(RELINK_COOKIE, "")
    if not nonce or not csrf_ok(rt, _relink_subject(nonce), csrf_token):
        return error_page(request, 400, "csrf")
    with rt.session() as session:
        if not request_new_link(session, epost, now=rt.now()):
            return error_page(request, 400, "400", detail="E-postadressen inneholder et ugyldig tegn.")
    return render(request, "link_problem.html", {"problem": "", "sent": True}, language=page_language(request))
