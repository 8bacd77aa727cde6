"""What the answer form holds: its values, errors and banners, and the rows it starts with."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from domain.models import Answer, AnswerStatus
from tasks.answers.submission import AnswerContext
from tasks.plan.versions import evaluation_items, latest_version
from web.answer.form_specs import SPECS
from web.answer.formdata import FormValues, Message, Row, empty_row, values_from_content
from web.i18n import Translator


@dataclass
class FormState:
    """One rendering of the form: what is in it, and what went wrong or right."""

    values: FormValues
    base_revision: int
    errors: dict[str, Message] = field(default_factory=dict)
    general: list[Message] = field(default_factory=list)
    banner: str = ""  # saved | sent | invalid | conflict | refused
    refused: str = ""
    theirs: Answer | None = None
    editing: bool = True
    delegate_error: str = ""
    posted: bool = False  # the values came from a post (rows keep their posted order)


def initial_state(session: Session, ctx: AnswerContext, *, editing: bool) -> FormState:
    """The latest answer (draft or submitted); for a new evaluation, last year's measures."""
    spec = SPECS[ctx.assignment.form]
    content: dict[str, Any] = ctx.latest.content if ctx.latest is not None else {}
    if ctx.latest is None and spec.name == "evaluation":
        content = {"items": evaluation_items(session, ctx.assignment.unit_id, ctx.year)}
    base = ctx.latest.revision if ctx.latest else 0
    return FormState(values=values_from_content(spec, content), base_revision=base, editing=editing)


def complete_rows(session: Session, ctx: AnswerContext, values: FormValues, *, posted: bool) -> list[dict[str, Any]]:
    """Give every dynamic list at least one row and every plan measure a comment row; returns the measures."""
    spec = SPECS[ctx.assignment.form]
    measures: list[dict[str, Any]] = []
    if spec.name == "consultation":
        version = latest_version(session, ctx.year)
        measures = list(version.content.get("measures", [])) if version else []
        values.lists["comments"] = _comment_rows(values.lists["comments"], measures, keep_order=posted)
    for list_spec in spec.lists:
        if list_spec.dynamic and not values.lists[list_spec.name]:
            values.lists[list_spec.name].append(empty_row(list_spec))
    return measures


def _comment_rows(rows: list[Row], measures: list[dict[str, Any]], *, keep_order: bool) -> list[Row]:
    """A row per plan measure: in plan order when first shown; as posted (errors point at rows) after."""
    keys = [str(m["key"]) for m in measures]
    blank = [{"target": key, "position": "", "text": ""} for key in keys]
    if keep_order:
        present = {row["target"] for row in rows}
        return rows + [row for row in blank if row["target"] not in present]
    by_target = {row["target"]: row for row in rows}
    return [by_target.get(row["target"], row) for row in blank] + [r for r in rows if r["target"] not in keys]


def status_lines(ctx: AnswerContext, t: Translator) -> list[str]:
    """'Sent in … (revision n)' and/or 'Draft saved …', or 'Not started'."""
    lines = []
    if ctx.submitted is not None:
        sent = ctx.submitted
        lines.append(t("answer.status.submitted", when=t.when(sent.created_at), revision=sent.revision))
    if (draft := ctx.latest) is not None and draft.status == AnswerStatus.DRAFT:
        lines.append(t("answer.status.draft", when=t.when(draft.created_at), revision=draft.revision))
    return lines or [t("answer.status.none")]
