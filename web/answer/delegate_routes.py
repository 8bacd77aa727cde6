"""A leader hands their task to a substitute (stedfortreder) from the answer page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse

from tasks.answers.delegation import delegate
from tasks.cycle.assignment_actions import ActionRefused
from web.answer.page import initial_state
from web.answer.view import answer_page
from web.deps import RuntimeDep, open_link
from web.rendering import asked_language, error_page, page_language, render
from web.security import csrf_ok

router = APIRouter()


@router.post("/svar/{token}/stedfortreder", response_class=HTMLResponse)
def delegate_from_link(
    request: Request,
    rt: RuntimeDep,
    token: str,
    navn: Annotated[str, Form(max_length=200)] = "",
    epost: Annotated[str, Form(max_length=254)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
) -> HTMLResponse:
    """Give the task to a substitute, who gets their own link; the owner's link keeps working, a substitute's not."""
    with rt.session() as session:
        ctx = open_link(session, rt, token)
        language = page_language(request, ctx.actor.language)
        if not csrf_ok(rt, token, csrf_token):
            return error_page(request, 400, "csrf", language=language)
        try:
            substitute = delegate(
                session, rt, ctx.assignment.id or 0, name=navn, email=epost, actor=ctx.actor.email, now=rt.now()
            )
        except ActionRefused as refused:
            state = initial_state(session, ctx, editing=True)
            state.delegate_error = str(refused)
            return answer_page(request, session, ctx, token, state, 400)
        owner = ctx.actor.id == ctx.owner.id
        asked = asked_language(request)
        back = f"/svar/{token}" + (f"?lang={asked}" if asked else "") if owner else ""
        context = {"name": substitute.name, "email": substitute.email, "owner": owner, "back_url": back}
        return render(request, "delegated.html", context, language=language)
