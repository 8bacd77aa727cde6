"""A generated municipality (the demo's Fjordvik) with spring input under way: answered, open, overdue, escalated."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlmodel import select

from arshjul.demo.municipality import write_demo_organisation
from domain.aarshjul.workdays import OSLO
from domain.models import Assignment, Person, Phase
from tasks.answers.submission import load_context, save_answer
from tasks.cycle.phases import ensure_cycle, open_phase, phases_of
from tasks.notices.ladder import queue_due_notices
from tasks.org.importer import import_organisation
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.plan_year import INPUTS

YEAR = 2027
SPRING = {"requirements": "Krav", "holdings": "Har", **INPUTS["leder1@testvik.no"]}


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(YEAR, month, day, hour, 0, tzinfo=OSLO)


def spring_under_way(rt: Runtime, folder: Path, *, units: int = 150, sectors: int = 6, answer_every: int = 3) -> None:
    """Import the demo organisation, open spring input, let two in three units answer, run the notices to 20 May."""
    paths = write_demo_organisation(folder, units=units, sectors=sectors)
    with rt.session() as session:
        report = import_organisation(session, list(paths), at=at(1, 2))
        assert report.ok, report.problems
        ensure_hr(session, rt.settings)
        ensure_cycle(session, rt, YEAR, at(1, 2))
        spring = next(p for p in phases_of(session, YEAR) if p.key == "spring-input")
        open_phase(session, rt, spring, YEAR, at(3, 1, 8))
    with rt.session() as session:
        rows = session.exec(
            select(Assignment, Person)
            .join(Person, Person.id == Assignment.assignee_id)  # type: ignore[arg-type]
            .join(Phase, Phase.id == Assignment.phase_id)  # type: ignore[arg-type]
            .where(Phase.key == "spring-input")
            .order_by(Assignment.id)  # type: ignore[arg-type]
        ).all()
        for n, (assignment, person) in enumerate(rows):
            if n % answer_every:
                ctx = load_context(session, rt, assignment, person)
                save_answer(session, rt, ctx, SPRING, submit=True, base_revision=0, now=at(4, 10))
    day = at(4, 26, 9)
    while day <= at(5, 20, 9):
        with rt.session() as session:
            queue_due_notices(session, rt, YEAR, day)
        day += timedelta(days=1)
