"""Plan versions: compiled from the year's answers, immutable once written, adopted with their handlings."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from arshjul.runtime import Runtime
from domain.models import (
    Answer,
    AnswerStatus,
    Assignment,
    Cycle,
    Handling,
    HandlingKind,
    OrgUnit,
    Person,
    Phase,
    PlanStatus,
    PlanVersion,
    Role,
    RoleKind,
)
from domain.plan_text import render_plan
from domain.rollup import UnitAnswer, roll_up_evaluation, roll_up_input
from tasks.events import record
from tasks.people import sector_of


def latest_version(session: Session, year: int) -> PlanVersion | None:
    return session.exec(
        select(PlanVersion).join(Cycle).where(Cycle.year == year).order_by(col(PlanVersion.number).desc())
    ).first()


def compile_version(
    session: Session,
    rt: Runtime,
    *,
    year: int,
    now: datetime,
    reason: str,
    final: bool = False,
    created_by: str = "system",
) -> PlanVersion:
    """Compile the year's input into a new immutable version (consultation draft, or final draft with comments)."""
    cycle = session.exec(select(Cycle).where(Cycle.year == year)).one()
    parent = latest_version(session, year)
    content: dict[str, Any] = {
        "municipality": rt.settings.municipality,
        "plan_year": year + 1,
        "title": f"Kompetanseplan {year + 1} for {rt.settings.municipality}",
        **roll_up_input(_answers(session, year, "input")),
        "evaluation": roll_up_evaluation(_answers(session, year, "evaluation")),
        "consultation": _consultation(session, year) if final else [],
        "reason": reason,
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    version = PlanVersion(
        cycle_id=cycle.id or 0,
        number=(parent.number + 1) if parent else 1,
        parent_id=parent.id if parent else None,
        status=PlanStatus.FINAL_DRAFT if final else PlanStatus.CONSULTATION,
        title=content["title"],
        content=content,
        rendered=render_plan(content),
        content_hash=hashlib.sha256(canonical.encode()).hexdigest(),
        created_by=created_by,
        created_at=now,
    )
    session.add(version)
    session.flush()
    record(
        session,
        "plan.version.created",
        at=now,
        cycle_year=year,
        actor=created_by,
        number=version.number,
        status=version.status.value,
        content_hash=version.content_hash,
        measures=len(content["measures"]),
    )
    return version


def _answers(session: Session, year: int, form: str) -> list[UnitAnswer]:
    rows = session.exec(
        select(Answer, Assignment)
        .join(Assignment)
        .join(Phase)
        .join(Cycle)
        .where(Cycle.year == year, Assignment.form == form, Answer.status == AnswerStatus.SUBMITTED)
        .order_by(col(Answer.assignment_id), col(Answer.revision))
    ).all()
    latest: dict[int, tuple[Answer, Assignment]] = {a.assignment_id: (a, asg) for a, asg in rows}
    result = []
    for answer, assignment in latest.values():
        sector = sector_of(session, assignment.unit_id)
        unit_name = assignment.unit_id or ""
        if assignment.unit_id:
            unit = session.get(OrgUnit, assignment.unit_id)
            unit_name = unit.name if unit else unit_name
        result.append(UnitAnswer(assignment.unit_id or "", unit_name, sector.name if sector else "", answer.content))
    return result


def _consultation(session: Session, year: int) -> list[dict[str, Any]]:
    rows = session.exec(
        select(Answer, Assignment, Person)
        .join(Assignment, col(Answer.assignment_id) == col(Assignment.id))
        .join(Person, col(Person.id) == col(Answer.author_id))
        .join(Phase)
        .join(Cycle)
        .where(Cycle.year == year, Assignment.form == "consultation", Answer.status == AnswerStatus.SUBMITTED)
        .order_by(col(Answer.revision))
    ).all()
    latest = {assignment.id: (answer, person) for answer, assignment, person in rows}
    unions = {r.person_id: r.union for r in session.exec(select(Role).where(Role.kind == RoleKind.TILLITSVALGT))}
    return [
        {"name": person.name, "union": unions.get(person.id or 0) or "", **answer.content}
        for answer, person in latest.values()
    ]


def adopt(
    session: Session, rt: Runtime, *, year: int, handlings: list[dict[str, Any]], now: datetime, actor: str
) -> PlanVersion:
    """Record the handlings on the newest version and lock it as adopted."""
    version = latest_version(session, year)
    if version is None:
        raise LookupError(f"det finnes ingen planversjon for {year} å vedta")
    for entry in handlings:
        session.add(
            Handling(
                plan_version_id=version.id or 0,
                body=entry["body"],
                held_on=date.fromisoformat(str(entry["held_on"])),
                kind=HandlingKind(entry["kind"]),
                case_number=entry.get("case_number", ""),
                outcome=entry.get("outcome", ""),
                recorded_at=now,
            )
        )
        record(
            session,
            "plan.handling.recorded",
            at=now,
            cycle_year=year,
            actor=actor,
            number=version.number,
            body=entry["body"],
            handling_kind=entry["kind"],
            case_number=entry.get("case_number", ""),
        )
    version.status = PlanStatus.ADOPTED
    session.flush()
    record(
        session,
        "plan.adopted",
        at=now,
        cycle_year=year,
        actor=actor,
        number=version.number,
        content_hash=version.content_hash,
    )
    return version


def adopted_version(session: Session, year: int) -> PlanVersion | None:
    return session.exec(
        select(PlanVersion)
        .join(Cycle)
        .where(Cycle.year == year, PlanVersion.status == PlanStatus.ADOPTED)
        .order_by(col(PlanVersion.number).desc())
    ).first()


def evaluation_items(session: Session, unit_id: str | None, year: int) -> list[dict[str, Any]]:
    """The measures of last year's adopted plan that this unit asked for: the items of its January evaluation."""
    version = adopted_version(session, year - 1)
    if version is None or unit_id is None:
        return []
    return [
        {"measure_key": m["key"], "title": m["title"], "area": m["area"], "cost": m["cost"]}
        for m in version.content.get("measures", [])
        if unit_id in m.get("units", [])
    ]
