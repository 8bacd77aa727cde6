"""A posted answer form: rows added or removed, content parsed and validated, then saved or refused."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response
from pydantic import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from domain.form_checks import problems
from domain.forms import FORMS
from tasks.answers.submission import AnswerContext, AnswerRefused, EditConflict, open_by_link, save_answer
from tasks.plan.versions import evaluation_items
from web.answer import form_errors
from web.answer.form_specs import SPECS
from web.answer.formdata import change_rows, parse, values_from_form
from web.answer.page import FormState
from web.answer.view import answer_page, frame_lists
from web.rendering import runtime


def handle_post(
    request: Request,
    session: Session,
    ctx: AnswerContext,
    token: str,
    fields: dict[str, str],
    base: int,
) -> Response | None:
    """None when the answer was saved; otherwise the page to show (rows changed, errors, a conflict)."""
    spec = SPECS[ctx.assignment.form]
    state = FormState(values=values_from_form(spec, fields), base_revision=base, posted=True)
    if change_rows(spec, state.values, fields):
        return answer_page(request, session, ctx, token, state)
    submit = fields.get("action") == "submit"
    lists = frame_lists(runtime(request), session, ctx.year)
    content = _content(ctx.assignment.form, state, submit, lists, _expected(session, ctx))
    if state.errors or state.general:
        state.banner = "invalid"
        return answer_page(request, session, ctx, token, state, 422)
    return _save(request, session, ctx, token, state, content, submit)


def _expected(session: Session, ctx: AnswerContext) -> dict[str, str]:
    """Last year's measures this unit must evaluate (measure key -> title)."""
    if ctx.assignment.form != "evaluation":
        return {}
    return {str(i["measure_key"]): str(i["title"]) for i in evaluation_items(session, ctx.assignment.unit_id, ctx.year)}


def _content(
    form: str, state: FormState, submit: bool, lists: dict[str, tuple[str, ...]], expected: dict[str, str]
) -> dict[str, Any]:
    """Content from the typed values, validated to show every error: all rules and the consistency checks on
    submit; on a draft, the limits (lengths, control characters) only, since a draft may be incomplete. A submit
    is normalised here too."""
    parsed = parse(SPECS[form], state.values)
    state.errors = dict(parsed.errors)
    try:
        model = FORMS[form].model_validate(parsed.content)
    except ValidationError as exc:
        only = None if submit else form_errors.DRAFT_CHECKS
        by_field, state.general = form_errors.collect(exc, parsed, SPECS[form], only)
        state.errors = {**by_field, **parsed.errors}
        return parsed.content
    if not submit:
        return parsed.content
    by_field, state.general = form_errors.from_problems(problems(model, lists, expected), parsed)
    state.errors = {**by_field, **parsed.errors}
    return model.model_dump(mode="json")


def _save(
    request: Request,
    session: Session,
    ctx: AnswerContext,
    token: str,
    state: FormState,
    content: dict[str, Any],
    submit: bool,
    *,
    retry: bool = True,
) -> Response | None:
    rt = runtime(request)
    try:
        save_answer(session, rt, ctx, content, submit=submit, base_revision=state.base_revision, now=rt.now())
    except EditConflict as conflict:
        return _conflict(request, session, ctx, token, state, conflict.theirs.revision)
    except AnswerRefused as refused:  # a reaction may refuse after rows were written: keep none of them
        session.rollback()
        state.banner, state.refused = "refused", str(refused)
        return answer_page(request, session, open_by_link(session, rt, token, rt.now()), token, state, 409)
    except IntegrityError:  # someone saved the same revision a moment before us: look again, once
        session.rollback()
        fresh = open_by_link(session, rt, token, rt.now())
        if retry:
            return _save(request, session, fresh, token, state, content, submit, retry=False)
        return _conflict(request, session, fresh, token, state, fresh.latest.revision if fresh.latest else 0)
    return None


def _conflict(
    request: Request,
    session: Session,
    ctx: AnswerContext,
    token: str,
    state: FormState,
    revision: int,
) -> Response:
    """Their version read-only, mine still in the form, and the revision to save on top of."""
    state.theirs, state.base_revision, state.banner = ctx.latest, revision, "conflict"
    return answer_page(request, session, ctx, token, state, 409)
