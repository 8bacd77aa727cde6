"""The plan's text in the console: HR edits each narrative section as Markdown, previews it, adds innsatsområder."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from domain.aarshjul.workdays import to_local
from domain.plan.narrative import FOCUS_INTRO, MARKDOWN_MAX, TITLE_MAX, render_markdown
from tasks.plan.narrative import TextProblem, add_focus_area, draft_for, save_section, set_period
from tasks.plan.sources import PlanError
from web.deps import RuntimeDep
from web.hr.routes import hr_render
from web.rendering import error_page
from web.signin.auth import HrDep, HrSession, check_csrf

router = APIRouter()
PlanYear = Annotated[int, Path(ge=2000, le=2200)]
Key = Annotated[str, Path(pattern=r"^[a-z0-9-]{1,64}$")]
Token = Annotated[str, Form(max_length=200)]
# Longer than the limit on purpose, so a text a little too long gets the sentence saying so, not a bare 400.
Typed = Annotated[str, Form(max_length=MARKDOWN_MAX * 5)]
FIELD_LABELS = {
    "tittel": "Overskrift", "tekst": "Tekst", "innsatsomrade": "Nytt innsatsområde", "forste": "Første planår",
    "siste": "Siste planår",
}  # fmt: skip
Year = Annotated[int, Form(ge=2000, le=2200)]
OK_TEXTS = {
    "saved": "Teksten er lagret. Den kommer med i neste versjon som sammenstilles.",
    "added": "Innsatsområdet er lagt til. Skriv gjerne mål og strategier for det nå.",
    "period": "Planperioden er endret.",
}


@router.get("/hr/plan/tekst", response_class=HTMLResponse)
def text_overview(
    request: Request, rt: RuntimeDep, hr: HrDep, planar: Annotated[int | None, Query(ge=2000, le=2200)] = None,
    ok: str = "",
) -> HTMLResponse:  # fmt: skip
    """The plan period's narrative sections for a plan year (next year's plan unless `planar` is given)."""
    plan_year = planar or to_local(rt.now()).year + 1
    return overview_page(request, rt, hr, plan_year, ok=OK_TEXTS.get(ok, ""))


def overview_page(
    request: Request, rt: RuntimeDep, hr: HrSession, plan_year: int, *, ok: str = "",
    problems: dict[str, str] | None = None, typed: str = "", years: tuple[int, int] | None = None,
) -> HTMLResponse:  # fmt: skip
    with rt.session() as session:
        draft = draft_for(session, rt, plan_year)
    context: dict[str, Any] = {
        "plan_year": plan_year, "draft": draft, "ok": ok, "problems": _summary(problems), "typed": typed,
        "errors": problems or {}, "title_max": TITLE_MAX, "years": years or (draft.first_year, draft.last_year),
        "period_problem": bool(problems) and any(k in ("forste", "siste") for k in problems or {}),
    }  # fmt: skip
    return hr_render(request, hr, "hr_plan_text.html", context, status=400 if problems else 200)


@router.post("/hr/plan/tekst/{plan_year}/periode")
def change_period(
    request: Request, rt: RuntimeDep, hr: HrDep, plan_year: PlanYear, forste: Year, siste: Year, csrf_token: Token = ""
) -> Response:
    """Set the first and last plan year of the period whose text this plan year uses."""
    check_csrf(hr, csrf_token)
    try:
        with rt.session() as session:
            set_period(session, rt, plan_year, forste, siste, now=rt.now(), actor=hr.actor)
    except TextProblem as problem:
        return overview_page(request, rt, hr, plan_year, problems=problem.problems, years=(forste, siste))
    return RedirectResponse(f"/hr/plan/tekst?planar={plan_year}&ok=period", status_code=303)


@router.post("/hr/plan/tekst/{plan_year}/innsatsomrade")
def add_area(
    request: Request, rt: RuntimeDep, hr: HrDep, plan_year: PlanYear, csrf_token: Token = "",
    tittel: Annotated[str, Form(max_length=TITLE_MAX * 5)] = "",
) -> Response:  # fmt: skip
    """Add an innsatsområde to the plan period: measures can be filed under it from then on."""
    check_csrf(hr, csrf_token)
    try:
        with rt.session() as session:
            key = add_focus_area(session, rt, plan_year, tittel, now=rt.now(), actor=hr.actor)
    except TextProblem as problem:
        return overview_page(request, rt, hr, plan_year, problems=problem.problems, typed=tittel)
    return RedirectResponse(f"/hr/plan/tekst/{plan_year}/{key}?ok=added", status_code=303)


@router.get("/hr/plan/tekst/{plan_year}/{key}", response_class=HTMLResponse)
def edit_form(request: Request, rt: RuntimeDep, hr: HrDep, plan_year: PlanYear, key: Key, ok: str = "") -> Response:
    """One narrative section as Markdown, with the buttons to preview and to save it."""
    return edit_page(request, rt, hr, plan_year, key, ok=OK_TEXTS.get(ok, ""))


@router.post("/hr/plan/tekst/{plan_year}/{key}")
def edit_section(
    request: Request, rt: RuntimeDep, hr: HrDep, plan_year: PlanYear, key: Key, csrf_token: Token = "",
    tittel: Annotated[str, Form(max_length=TITLE_MAX * 5)] = "", tekst: Typed = "",
    revisjon: Annotated[int, Form(ge=0, le=1_000_000)] = 0, handling: Annotated[str, Form(max_length=20)] = "",
) -> Response:  # fmt: skip
    """Preview the section as it will read (nothing saved), or save it as the draft the next version takes."""
    check_csrf(hr, csrf_token)
    typed = {"title": tittel, "markdown": tekst, "revision": revisjon}
    if handling != "lagre":
        return edit_page(request, rt, hr, plan_year, key, typed=typed, preview=True)
    try:
        with rt.session() as session:
            save_section(session, rt, plan_year, key, title=tittel, markdown=tekst, revision=revisjon,
                         now=rt.now(), actor=hr.actor)  # fmt: skip
    except TextProblem as problem:
        return edit_page(request, rt, hr, plan_year, key, typed=typed, problems=problem.problems)
    except PlanError:
        return error_page(request, 404, "404")
    return RedirectResponse(f"/hr/plan/tekst?planar={plan_year}&ok=saved", status_code=303)


def edit_page(
    request: Request, rt: RuntimeDep, hr: HrSession, plan_year: int, key: str, *, ok: str = "",
    typed: dict[str, Any] | None = None, preview: bool = False, problems: dict[str, str] | None = None,
) -> Response:  # fmt: skip
    with rt.session() as session:
        draft = draft_for(session, rt, plan_year)
    section = draft.section(key)
    if section is None:
        return error_page(request, 404, "404")
    shown = typed or {"title": section.title, "markdown": section.markdown, "revision": draft.revisions.get(key, 0)}
    title = section.title if section.focus_area else shown["title"]
    context: dict[str, Any] = {
        "plan_year": plan_year, "draft": draft, "section": section, "title": title, "markdown": shown["markdown"],
        "revision": shown["revision"], "ok": ok, "problems": _summary(problems), "errors": problems or {},
        "preview": render_markdown(shown["markdown"], top=4) if preview else None, "focus_intro": key == FOCUS_INTRO,
        "edited": draft.edited.get(key), "title_max": TITLE_MAX, "markdown_max": MARKDOWN_MAX,
    }  # fmt: skip
    return hr_render(request, hr, "hr_plan_text_edit.html", context, status=400 if problems else 200)


def _summary(problems: dict[str, str] | None) -> list[tuple[str, str, str]]:
    """(field id, label, sentence) for the error summary at the top of the page."""
    return [(name, FIELD_LABELS.get(name, name), message) for name, message in (problems or {}).items()]
