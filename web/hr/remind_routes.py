"""The HR console's "remind everyone who has not answered": a preview page, then one email per person."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from domain.aarshjul.workdays import to_local
from domain.models import PhaseStatus
from tasks.cycle.phases import phases_of
from tasks.notices.manual import (
    ReminderRefused,
    count_assignments,
    preview_lines,
    preview_reminders,
    send_reminders_now,
)
from tasks.notices.manual import send_time as reminder_send_time
from tasks.runtime import Runtime
from web.hr.routes import hr_render
from web.params import FormYear
from web.rendering import runtime
from web.signin.auth import HrDep, HrSession, check_csrf

router = APIRouter()
Key = Annotated[str, Form(max_length=64)]


def _open_keys(session: Session, year: int) -> list[str]:
    return [phase.key for phase in phases_of(session, year) if phase.status == PhaseStatus.OPEN]


def _page(
    request: Request,
    hr: HrSession,
    rt: Runtime,
    fase: str,
    *,
    sent: int | None = None,
    problem: str = "",
    status: int = 200,
) -> HTMLResponse:
    now = rt.now()
    year = to_local(now).year
    with rt.session() as session:
        keys = _open_keys(session, year)
        chosen = fase if fase in keys else (keys[0] if keys else "")
        recipients = preview_reminders(session, rt, chosen, year) if chosen else []
        people = [(person, preview_lines(session, rt, tasks)) for person, tasks in recipients]
    context = {
        "year": year, "phases": [(key, rt.aarshjul.phase(key).title) for key in keys], "chosen": chosen,
        "people": people, "task_count": count_assignments(recipients), "goes_out_at": reminder_send_time(rt, now),
        "now": now, "sent": sent, "problem": problem,
    }  # fmt: skip
    return hr_render(request, hr, "hr_remind.html", context, status=status)


@router.get("/hr/purring", response_class=HTMLResponse)
def preview(
    request: Request, hr: HrDep, fase: str = "", sendt: Annotated[int | None, Query(ge=0, le=100_000)] = None
) -> HTMLResponse:
    """Who would be reminded now, for an open phase: each person once, with their unanswered tasks."""
    return _page(request, hr, runtime(request), fase, sent=sendt)


@router.post("/hr/purring")
def send(request: Request, hr: HrDep, csrf_token: Key = "", fase: Key = "", aar: FormYear = 0) -> Response:
    """Queue one combined reminder for every person with an unanswered task in the phase."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)
    now = rt.now()
    try:
        with rt.session() as session:
            result = send_reminders_now(session, rt, fase, aar or to_local(now).year, actor=hr.actor, now=now)
    except ReminderRefused as refused:
        return _page(request, hr, rt, fase, problem=str(refused), status=400)
    return RedirectResponse(f"/hr/purring?fase={quote(fase)}&sendt={len(result.recipients)}", status_code=303)
