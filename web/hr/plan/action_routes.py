"""What HR does to the plan from the console: compile a version, record a sector's priorities, record a handling."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from domain.models import PlanStatus
from tasks.plan.comment_answers import answer_comment
from tasks.plan.decision import handle, not_adopting
from tasks.plan.priorities import prioritise_sector, sector_measures
from tasks.plan.sector_part import sector_comments, sector_part
from tasks.plan.versions import PlanError, compile_version, version_of
from web.deps import RuntimeDep
from web.hr.plan.pages import plan_page, version_page
from web.hr.routes import hr_render
from web.params import Id
from web.rendering import error_page, runtime
from web.signin.access import Manager, ScopedSector
from web.signin.auth import HrDep, check_csrf

router = APIRouter()
Token = Annotated[str, Form(max_length=200)]
Text = Annotated[str, Form(max_length=4000)]


Refused = Callable[[str], Response]


def _attempt(request: Request, work: Callable[[Session], str], done: str, refused: Refused) -> Response:
    """Run one action in its own unit of work; a refusal shows the page again with the sentence why."""
    rt = runtime(request)
    try:
        with rt.session() as session:
            ok = work(session)
    except PlanError as problem:
        return refused(str(problem))
    return RedirectResponse(f"{done}{'&' if '?' in done else '?'}ok={ok}", status_code=303)


@router.post("/hr/plan/{year}/sammenstill")
def compile_now(request: Request, hr: HrDep, year: Id, csrf_token: Token = "") -> Response:
    """Compile the year's input into a new draft version now."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)

    def work(session: Session) -> str:
        reason, draft = "sammenstilt av HR", PlanStatus.DRAFT
        compile_version(session, rt, year=year, now=rt.now(), reason=reason, created_by=hr.actor, status=draft)
        return "compiled"

    return _attempt(request, work, f"/hr/plan?ar={year}", lambda p: plan_page(request, hr, year, problem=p))


@router.get("/hr/plan/{year}/prioritering/{sector_id}", response_class=HTMLResponse)
def priorities_form(
    request: Request, rt: RuntimeDep, hr: Manager, year: Id, sector_id: ScopedSector, problem: str = "", ok: str = ""
) -> HTMLResponse:
    """The sector review: the sector's measures for its kommunalsjef to prioritise (or HR on their behalf)."""
    with rt.session() as session:
        try:
            listed = sector_measures(session, year, sector_id, rt.aarshjul.terms)
        except PlanError:
            return error_page(request, 404, "404")
        part, notes = sector_part(session, year, listed.sector), sector_comments(session, year, sector_id)
        context = {"year": year, "s": listed, "part": part, "notes": notes, "problem": problem,
                   "ok": ok == "prioritised"}  # fmt: skip
        return hr_render(request, hr, "hr_plan_priorities.html", context, status=400 if problem else 200)


@router.post("/hr/plan/{year}/prioritering/{sector_id}")
async def prioritise(request: Request, hr: Manager, year: Id, sector_id: ScopedSector) -> Response:
    """Store the kommunalsjef's priorities: 1–3 per measure, or 0 to leave it out of the plan."""
    form = await request.form()
    check_csrf(hr, str(form.get("csrf_token", "")))
    rt = runtime(request)
    chosen: dict[str, int] = {}
    comments: dict[str, str] = {}
    for name, value in form.multi_items():
        if name.startswith("prioritet-") and str(value) in ("0", "1", "2", "3"):
            chosen[str(form.get("nokkel-" + name.removeprefix("prioritet-"), ""))] = int(str(value))
        if name.startswith("kommentar-") and str(value).strip():
            comments[str(form.get("nokkel-" + name.removeprefix("kommentar-"), ""))] = str(value).strip()[:1000]

    def work(session: Session) -> str:
        prioritise_sector(
            session,
            year=year,
            sector_id=sector_id,
            priorities=chosen,
            now=rt.now(),
            actor=hr.actor,
            comments=comments,
            terms=rt.aarshjul.terms,
        )
        return "prioritised"

    done = f"/hr/plan/{year}/prioritering/{sector_id}" if hr.scope.sector_id else f"/hr/plan?ar={year}"
    return _attempt(request, work, done, lambda p: priorities_form(request, rt, hr, year, sector_id, problem=p))


@router.post("/hr/plan/{year}/versjon/{number}/behandling")
def handling(
    request: Request,
    hr: HrDep,
    year: Id,
    number: Id,
    csrf_token: Token = "",
    organ: Annotated[str, Form(max_length=200)] = "",
    dato: Annotated[str, Form(max_length=20)] = "",
    kind: Annotated[str, Form(max_length=20, alias="type")] = "",
    saksnummer: Annotated[str, Form(max_length=64)] = "",
    utfall: Text = "",
    vedta: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Record a handling of this version; a vedtak by an adopting body adopts and locks it (`vedta` insists on that)."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)
    entry = {"body": organ, "held_on": _day(dato), "kind": kind, "case_number": saksnummer, "outcome": utfall}

    def work(session: Session) -> str:
        version = version_of(session, year, number)
        adopted = handle(session, rt, version, [entry], now=rt.now(), actor=hr.actor)
        if vedta and not adopted:
            raise PlanError(not_adopting(rt.aarshjul.plan_bodies))
        return "adopted" if adopted else "handled"

    done = f"/hr/plan/{year}/versjon/{number}"
    return _attempt(request, work, done, lambda p: version_page(request, hr, year, number, problem=p))


@router.post("/hr/plan/{year}/versjon/{number}/merknad/{key}")
def answer_comment_route(
    request: Request,
    hr: HrDep,
    year: Id,
    number: Id,
    key: Annotated[str, Path(max_length=32)],
    csrf_token: Token = "",
    svar: Annotated[str, Form(max_length=20)] = "",
    begrunnelse: Text = "",
) -> Response:
    """HR's answer to one tillitsvalgt comment: accepted, partly or not, with the reason."""
    check_csrf(hr, csrf_token)
    rt = runtime(request)

    def work(session: Session) -> str:
        version = version_of(session, year, number)
        answer_comment(session, version, key, svar, begrunnelse, now=rt.now(), actor=hr.actor)
        return "answered"

    done = f"/hr/plan/{year}/versjon/{number}"
    return _attempt(request, work, done, lambda p: version_page(request, hr, year, number, problem=p))


def _day(text: str) -> str:
    """An ISO date from '2027-12-09' or '09.12.2027'; anything else passes on, and validation names the field."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date().isoformat()
        except ValueError:
            continue
    return text
