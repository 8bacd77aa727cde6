"""What a compile reads: submitted answers, the tillitsvalgte's comments, the sectors' priorities, the frame."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from sqlmodel import Session, col, select

from domain.aarshjul.terms import Terms
from domain.events import EventKind
from domain.models import (
    Answer,
    AnswerStatus,
    Assignment,
    Cycle,
    Event,
    OrgUnit,
    Person,
    Phase,
    PlanVersion,
    Role,
    RoleKind,
)
from domain.plan.frame import PlanFrame, plan_frame
from domain.plan.measures import Priorities
from domain.plan.rollup import UnitAnswer
from tasks.org.people import sector_of
from tasks.runtime import Runtime

FRAME_FILE = "planramme.yaml"
PRIORITISED = EventKind.PLAN_SECTOR_PRIORITISED


class PlanError(ValueError):
    """A plan action that cannot be done, said as a Norwegian sentence for the person who asked."""


class NoPlanVersion(PlanError, LookupError):
    """The version asked for does not exist (a LookupError too, as callers of `adopt` expect)."""


def unit_answers(session: Session, year: int, form: str) -> list[UnitAnswer]:
    """The newest submitted answer of each task of this form in the year, with its unit and sector."""
    rows = session.exec(
        select(Answer, Assignment)
        .join(Assignment)
        .join(Phase)
        .join(Cycle)
        .where(Cycle.year == year, Assignment.form == form, Answer.status == AnswerStatus.SUBMITTED)
        .order_by(col(Answer.assignment_id), col(Answer.revision))
    ).all()
    latest: dict[int, tuple[Answer, Assignment]] = {a.assignment_id: (a, asg) for a, asg in rows}
    representatives = _tillitsvalgte(session)
    # Each unit (and each tillitsvalgt) counts once, even when two steps of the year ask the same form: the newest
    # submitted answer stands (a second phase with the input form once counted every unit twice).
    speaker_of = {id_: representatives.get((asg.owner_id, asg.unit_id), "") for id_, (_, asg) in latest.items()}
    newest: dict[tuple[str | None, str], tuple[Answer, Assignment]] = {}
    for id_, (answer, assignment) in sorted(latest.items(), key=lambda item: (item[1][0].created_at, item[0])):
        newest[(assignment.unit_id, speaker_of[id_])] = (answer, assignment)
    result = []
    for answer, assignment in newest.values():
        sector = sector_of(session, assignment.unit_id)
        unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
        name = unit.name if unit else assignment.unit_id or ""
        sector_name, sector_id = (sector.name, sector.id) if sector else (name or "Uten sektor", "")
        speaker = representatives.get((assignment.owner_id, assignment.unit_id), "")
        result.append(UnitAnswer(assignment.unit_id or "", name, sector_name, answer.content, sector_id, speaker))
    return result


def _tillitsvalgte(session: Session) -> dict[tuple[int, str | None], str]:
    """(person, unit) -> name, for tillitsvalgte asked for that unit who do not also lead it."""
    roles = session.exec(select(Role, Person).join(Person, col(Person.id) == col(Role.person_id))).all()
    leading = {(r.person_id, r.unit_id) for r, _ in roles if r.kind in (RoleKind.UNIT_LEADER, RoleKind.SECTOR_LEADER)}
    return {
        (r.person_id, r.unit_id): p.name
        for r, p in roles
        if r.kind == RoleKind.TILLITSVALGT and (r.person_id, r.unit_id) not in leading
    }


def consultation_entries(session: Session, year: int) -> list[dict[str, Any]]:
    """Each tillitsvalgt's newest submitted comments, with the number of the version they were made on."""
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
    versions = list(session.exec(select(PlanVersion).where(PlanVersion.cycle_year == year)))
    return [
        {
            "name": person.name,
            "union": unions.get(person.id or 0) or "",
            "version": max((v.number for v in versions if v.created_at <= answer.created_at), default=None),
            **answer.content,
        }
        for answer, person in latest.values()
    ]


def sector_priorities(session: Session, year: int) -> Priorities:
    """Each sector's newest prioritisation by its kommunalsjef (sector id -> measure key -> 0..3)."""
    events = session.exec(
        select(Event).where(Event.kind == PRIORITISED, Event.cycle_year == year).order_by(col(Event.id))
    ).all()
    return {str(e.unit_id): {str(k): int(v) for k, v in e.payload["priorities"].items()} for e in events}


# Every answer page needs the frame's lists, and parsing the YAML took two thirds of a page's CPU; the newest parse is
# kept per municipality, keyed by the file's text itself (cheap to read) and the årshjul's words it is filled with,
# so HR's edit is seen on the next request.
_PARSED: dict[str, tuple[str, Terms, PlanFrame]] = {}


def frame_for(rt: Runtime) -> PlanFrame:
    """The municipality's own frame from `<data_dir>/planramme.yaml`, or the packaged one."""
    path = Path(rt.settings.data_dir) / FRAME_FILE
    municipality, terms = rt.settings.municipality, rt.aarshjul.terms
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return plan_frame(None, municipality, terms)
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanError(f"Planrammen i {path} kan ikke leses: {exc}") from exc
    cached = _PARSED.get(municipality)
    if cached is None or cached[0] != text or cached[1] != terms:
        try:
            cached = (text, terms, plan_frame(yaml.safe_load(text), municipality, terms))
        except (yaml.YAMLError, ValidationError) as exc:
            raise PlanError(f"Planrammen i {path} kan ikke leses: {first_problem(exc)}") from exc
        _PARSED[municipality] = cached
    return cached[2].model_copy(deep=True)  # callers may change their copy


def first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        message = {"missing": "mangler", "extra_forbidden": "er ukjent"}.get(error["type"], str(error["msg"]))
        return f"feltet {'.'.join(str(p) for p in error['loc']) or '(hele filen)'}: {message}"
    return str(exc).splitlines()[0]
