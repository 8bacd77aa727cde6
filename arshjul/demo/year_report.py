"""summary.json's `years`: per cycle year, which plan January evaluated, and the plan the year made and adopted.

`evaluation_items_match_adopted_measures` is computed by comparing two readings of the database: the items each
unit's January form lists (`evaluation_items`, what the page shows and the leaders evaluated) against the measures
of the adopted plan FOR the year before, per owning unit, read straight from its stored content.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from domain.events import EventKind
from domain.models import (
    Answer,
    AnswerStatus,
    Assignment,
    CommentAnswer,
    Cycle,
    Event,
    Handling,
    HandlingKind,
    Phase,
    PlanStatus,
    PlanVersion,
)
from tasks.plan.versions import evaluation_items

EVALUATION = "evaluation"


def year_entries(session: Session, years: range) -> list[dict[str, Any]]:
    return [year_entry(session, year) for year in years]


def year_entry(session: Session, year: int) -> dict[str, Any]:
    """One cycle year: what its January evaluated, and the versions, handlings and adoption of the plan it made."""
    versions = list(
        session.exec(select(PlanVersion).where(PlanVersion.cycle_year == year).order_by(col(PlanVersion.number)))
    )
    ids = [v.id for v in versions]
    handlings = session.exec(select(Handling).where(col(Handling.plan_version_id).in_(ids))).all()
    answered = session.exec(select(CommentAnswer.id).where(col(CommentAnswer.plan_version_id).in_(ids))).all()
    adopted = [v for v in versions if v.status == PlanStatus.ADOPTED]
    evaluated = _evaluated_plan(session, year - 1)
    items = _january_items(session, year)
    return {
        "cycle_year": year,
        "evaluated_plan_year": year - 1,
        "evaluated_plan_made_in": evaluated.cycle_year if evaluated else None,
        "evaluated_plan_imported": bool(evaluated and _imported(session, evaluated)),
        "evaluation_items": sum(len(keys) for keys in items.values()),
        "evaluation_items_answered": _answered_items(session, year),
        "evaluation_items_match_adopted_measures": evaluated is not None and items == _owned(evaluated),
        "adopted_plan_year": adopted[0].plan_year if adopted else None,
        "adopted_version": adopted[0].number if adopted else None,
        "adopted_measures": len(adopted[0].content.get("measures", [])) if adopted else 0,
        "plan_versions": [v.status.value for v in versions],
        "plan_versions_created_as": _created_as(session, year),
        "adopted_versions": len(adopted),
        "handlings": len(handlings),
        "comments_answered": len(answered),
        "handling_trail": [f"{h.held_on.isoformat()} {h.body}: {h.kind.value}" for h in _ordered(handlings)],
    }


def _created_as(session: Session, year: int) -> list[str]:
    """The status each version of the year was made with: the trail before adoption changed the last one."""
    query = select(Event).where(Event.kind == EventKind.PLAN_VERSION_CREATED, Event.cycle_year == year)
    return [str(e.payload.get("status")) for e in session.exec(query.order_by(col(Event.id)))]


def _evaluated_plan(session: Session, plan_year: int) -> PlanVersion | None:
    """The adopted plan FOR plan_year, looked up independently of the service January uses."""
    found = session.exec(
        select(PlanVersion).where(PlanVersion.plan_year == plan_year, PlanVersion.status == PlanStatus.ADOPTED)
    ).all()
    return found[0] if len(found) == 1 else None


def _imported(session: Session, version: PlanVersion) -> bool:
    kinds = session.exec(select(Handling.kind).where(Handling.plan_version_id == version.id)).all()
    return HandlingKind.IMPORTERT in kinds


def _january_items(session: Session, year: int) -> dict[str, list[str]]:
    """unit id -> the measure keys its January form lists, for every unit with an evaluation task."""
    units = session.exec(
        select(Assignment.unit_id)
        .join(Phase)
        .join(Cycle)
        .where(Cycle.year == year, Assignment.form == EVALUATION)
        .distinct()
    ).all()
    found = {u: sorted(str(i["measure_key"]) for i in evaluation_items(session, u, year)) for u in units if u}
    return {unit: keys for unit, keys in found.items() if keys}


def _owned(version: PlanVersion) -> dict[str, list[str]]:
    """unit id -> the keys of the plan's measures it owns."""
    owned: dict[str, list[str]] = defaultdict(list)
    for measure in version.content.get("measures", []):
        for unit in measure.get("units", []):
            owned[unit].append(str(measure["key"]))
    return {unit: sorted(keys) for unit, keys in owned.items()}


def _answered_items(session: Session, year: int) -> int:
    """How many items the units' submitted January evaluations assessed (their newest revision each)."""
    rows = session.exec(
        select(Answer)
        .join(Assignment)
        .join(Phase)
        .join(Cycle)
        .where(Cycle.year == year, Assignment.form == EVALUATION, Answer.status == AnswerStatus.SUBMITTED)
        .order_by(col(Answer.revision))
    ).all()
    newest = {answer.assignment_id: answer for answer in rows}
    return sum(len(answer.content.get("items", [])) for answer in newest.values())


def _ordered(handlings: Any) -> list[Handling]:
    return sorted(handlings, key=lambda h: (h.held_on, h.id or 0))
