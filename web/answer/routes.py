"""The answer form behind the emailed link: show it, save a draft, submit, revise."""

from __future__ import annotations

import re

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from domain.models import AnswerStatus
from web.answer.page import initial_state
from web.answer.save import handle_post
from web.answer.view import answer_page
from web.deps import RuntimeDep, open_link
from web.params import whole_number
from web.rendering import asked_language, error_page, page_language, runtime
from web.security import csrf_ok

router = APIRouter()
ROW_BUTTON = re.compile(r"[a-z_]{1,20}-[0-9]{1,4}")


@router.get("/svar/{token}", response_class=HTMLResponse)
def show_answer(
    request: Request, rt: RuntimeDep, token: str, endre: str = "", lagret: str = "", sendt: str = ""
) -> HTMLResponse:
    """Show the task's form pre-filled with the latest answer, or the submitted answer read-only."""
    with rt.session() as session:
        ctx = open_link(session, rt, token)
        editing = bool(endre) or ctx.latest is None or ctx.latest.status == AnswerStatus.DRAFT
        state = initial_state(session, ctx, editing=editing)
        state.banner = "sent" if sendt else "saved" if lagret else ""
        return answer_page(request, session, ctx, token, state)


@router.post("/svar/{token}", response_class=HTMLResponse)
async def post_answer(request: Request, token: str) -> Response:
    """Save a draft or submit; errors and conflicts re-show the form with everything typed kept."""
    form = await request.form()
    fields = {key: value for key, value in form.items() if isinstance(value, str)}
    return await run_in_threadpool(_post, request, token, fields)


def _well_formed(fields: dict[str, str]) -> bool:
    """The buttons' values are ours: an action we know, a row button naming a list and a row number."""
    row_button = fields.get("remove_row")
    return fields.get("action", "save") in ("save", "submit") and (
        row_button is None or ROW_BUTTON.fullmatch(row_button) is not None
    )


def _post(request: Request, token: str, fields: dict[str, str]) -> Response:
    rt = runtime(request)
    with rt.session() as session:
        ctx = open_link(session, rt, token)
        if not csrf_ok(rt, token, fields.get("csrf_token")):
            return error_page(request, 400, "csrf", language=page_language(request, ctx.actor.language))
        base = whole_number(fields.get("base_revision", ""))
        newest = ctx.latest.revision if ctx.latest else 0
        if base is None or base > newest or not _well_formed(fields):
            return error_page(request, 400, "400", language=page_language(request, ctx.actor.language))
        failure = handle_post(request, session, ctx, token, fields, base)
    if failure is not None:
        return failure
    asked = asked_language(request)
    done = "sendt=1" if fields.get("action") == "submit" else "lagret=1"
    return RedirectResponse(f"/svar/{token}?{done}" + (f"&lang={asked}" if asked else ""), status_code=303)
