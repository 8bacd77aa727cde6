"""Rendering the answer page: the task's facts, the form or the read-only copy, and what can be done next."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from domain.models import Answer, Person, PhaseStatus
from domain.plan.frame import plan_frame
from domain.states import ACTIVE
from tasks.answers.submission import AnswerContext
from tasks.plan.narrative import snapshot
from tasks.plan.sources import PlanError, frame_for
from tasks.plan.versions import latest_version
from tasks.runtime import Runtime
from web.answer.form_specs import BODIES, SPECS, FormSpec, with_frame
from web.answer.formdata import ROW_NAME, values_from_content
from web.answer.history import author_of, names_of, revision_lines
from web.answer.page import FormState, complete_rows, status_lines
from web.i18n import Translator
from web.rendering import asked_language, page_language, render, runtime
from web.security import csrf_token

MEASURE_COLUMNS = ("goal", "title", "target_group", "arena", "period", "responsible", "cost")


def answer_page(
    request: Request,
    session: Session,
    ctx: AnswerContext,
    token: str,
    state: FormState,
    status: int = 200,
) -> HTMLResponse:
    """Render the answer page for this link in the person's language."""
    rt = runtime(request)
    language = page_language(request, ctx.actor.language)
    asked = asked_language(request)
    action = f"/svar/{token}" + (f"?lang={asked}" if asked else "")
    t = Translator(language, rt.aarshjul.terms)
    context = {
        **_facts(rt, ctx, t),
        **_form(session, rt, ctx, token, state, t, action),
        "history": revision_lines(session, ctx, token, t, asked),
        "theirs_by": author_of(state.theirs, names_of(session, [state.theirs]), t) if state.theirs else "",
        "delegated_to": _delegated_to(session, ctx),
    }
    return render(request, "answer.html", context, language=language, status=status)


def _facts(rt: Runtime, ctx: AnswerContext, t: Translator) -> dict[str, Any]:
    return {
        "ctx": ctx,
        "title": ctx.config.title.get(t.language),
        "what": ctx.config.what.get(t.language),
        "unit_name": ctx.unit.name if ctx.unit else rt.settings.municipality,
        "deadline": t.when(ctx.assignment.due_at),
        "past_due": rt.now() > ctx.assignment.due_at,
        "status_lines": status_lines(ctx, t),
        "on_behalf": ctx.owner.name if ctx.actor.id != ctx.owner.id else "",
    }


def _delegated_to(session: Session, ctx: AnswerContext) -> str:
    """The substitute's name, on the page of the leader who still owns the task."""
    if ctx.actor.id != ctx.owner.id or ctx.assignment.assignee_id == ctx.owner.id:
        return ""
    substitute = session.get(Person, ctx.assignment.assignee_id)
    return substitute.name if substitute else ""


def _form(
    session: Session,
    rt: Runtime,
    ctx: AnswerContext,
    token: str,
    state: FormState,
    t: Translator,
    action: str,
) -> dict[str, Any]:
    spec = with_frame(SPECS[ctx.assignment.form], frame_lists(rt, session, ctx.year))
    open_phase = ctx.phase.status == PhaseStatus.OPEN
    locked = ctx.submitted is not None and rt.now() > ctx.assignment.due_at
    show_form = open_phase and not locked and state.editing
    return {
        "spec": spec,
        "state": state,
        "values": state.values,
        "action": action,
        "csrf": csrf_token(rt, token),
        "errors": {name: t(key, **params) for name, (key, params) in state.errors.items()},
        "error_summary": error_summary(spec, state, t),
        "general": [t(key, **params) for key, params in state.general],
        "show_form": show_form,
        "can_revise": open_phase and not locked and not state.editing,
        "closed": not open_phase,
        "locked": locked and open_phase,
        "revise_url": action + ("&" if "?" in action else "?") + "endre=1",
        "delegate_action": action.replace(f"/svar/{token}", f"/svar/{token}/stedfortreder", 1),
        "can_delegate": open_phase and ctx.assignment.state in ACTIVE,
        "copy": None if show_form else _copy(spec, ctx.submitted or ctx.latest),
        "theirs_copy": _copy(spec, state.theirs),
        "bodies": BODIES,
        **_plan(session, ctx, state),
    }


def frame_lists(
    rt: Runtime, session: Session | None = None, cycle_year: int | None = None
) -> dict[str, tuple[str, ...]]:
    """The plan frame's competence areas and innsatsområder (with the ones HR added to the plan text of the plan made
    in `cycle_year`); the packaged ones if HR's frame file is broken."""
    try:
        if session is not None and cycle_year is not None:
            return snapshot(session, rt, cycle_year + 1)[2].choice_lists()
        return frame_for(rt).choice_lists()
    except PlanError:  # HR sees that error when compiling; a unit leader still gets a form to fill in
        return plan_frame(None, rt.settings.municipality).choice_lists()


def error_summary(spec: FormSpec, state: FormState, t: Translator) -> list[tuple[str, str, str]]:
    """(input name, short field label, message) for the list at the top of the form."""
    summary = []
    for name, (key, params) in state.errors.items():
        match = ROW_NAME.match(name)
        if match:
            label = f"{t('list.' + match[1])} {int(match[2]) + 1}: {t(f'field.{match[1]}.{match[3]}')}"
        else:
            label = t(("list." if spec.list(name) else "field.") + name)
        summary.append((name, label.split(" – ")[0], t(key, **params)))
    return summary


def _plan(session: Session, ctx: AnswerContext, state: FormState) -> dict[str, Any]:
    """For the consultation: the draft's measures in Sørum's columns, and its full text."""
    measures = complete_rows(session, ctx, state.values, posted=state.posted)
    version = latest_version(session, ctx.year) if ctx.assignment.form == "consultation" else None
    return {
        "measures": {m["key"]: _columns(m) for m in measures},
        "measure_headers": MEASURE_COLUMNS,
        "plan_text": version.rendered if version else "",
    }


def _copy(spec: FormSpec, answer: Answer | None) -> dict[str, Any] | None:
    if answer is None:
        return None
    return {"shown": values_from_content(spec, answer.content), "answer": answer}


def _columns(measure: dict[str, Any]) -> dict[str, str]:
    return {name: str(measure.get(name, "") or "") for name in (*MEASURE_COLUMNS, "area", "key")}
