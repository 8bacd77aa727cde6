"""What HR reads on a task page: the answer with the form's own labels, its revisions, and last year's beside it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from domain.models import Answer, Assignment, Cycle, Phase
from tasks.plan.versions import latest_version
from web.answer.form_specs import SPECS
from web.answer.formdata import values_from_content
from web.answer.history import author_of, names_of
from web.hr.queries import AssignmentDetail
from web.i18n import Translator


@dataclass(frozen=True)
class Revision:
    number: int
    status: str
    when: str
    by: str


@dataclass
class AnswerView:
    spec: Any
    shown: Any | None  # the revision shown, as form values
    revision: Answer | None
    revisions: list[Revision]
    last_year: Any | None  # the same unit's answer to the same phase a year earlier, as form values
    last_year_number: int
    measures: dict[str, dict[str, Any]]


def answer_view(session: Session, detail: AssignmentDetail, t: Translator, asked: str | None) -> AnswerView:
    """The revision asked for (else the newest), every revision newest first, and last year's answer."""
    cycle = session.get(Cycle, detail.phase.cycle_id)
    year = cycle.year if cycle else 0
    spec = SPECS[detail.assignment.form]
    answers = detail.answers  # newest first
    shown = next((a for a in answers if str(a.revision) == asked), answers[0] if answers else None)
    names = names_of(session, answers)
    revisions = [
        Revision(a.revision, t(f"answer.kind.{a.status.value}"), t.when(a.created_at), author_of(a, names, t))
        for a in answers
    ]
    previous = _last_year(session, detail, year)
    return AnswerView(
        spec=spec,
        shown=values_from_content(spec, shown.content) if shown else None,
        revision=shown,
        revisions=revisions,
        last_year=values_from_content(spec, previous.content) if previous else None,
        last_year_number=year - 1,
        measures=_measures(session, detail, year),
    )


def _last_year(session: Session, detail: AssignmentDetail, year: int) -> Answer | None:
    if detail.assignment.unit_id is None:
        return None
    return session.exec(
        select(Answer)
        .join(Assignment, col(Assignment.id) == col(Answer.assignment_id))
        .join(Phase, col(Phase.id) == col(Assignment.phase_id))
        .join(Cycle, col(Cycle.id) == col(Phase.cycle_id))
        .where(Cycle.year == year - 1, Phase.key == detail.phase.key, Assignment.unit_id == detail.assignment.unit_id)
        .order_by(col(Answer.revision).desc())
    ).first()


def _measures(session: Session, detail: AssignmentDetail, year: int) -> dict[str, dict[str, Any]]:
    """For a consultation: the draft plan's measures by key, so a comment shows which measure it is about."""
    if detail.assignment.form != "consultation":
        return {}
    version = latest_version(session, year)
    found = version.content.get("measures", []) if version else []
    return {str(m["key"]): {"title": str(m.get("title", ""))} for m in found if isinstance(m, dict)}
