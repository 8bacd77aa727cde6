"""A year under an example årshjul through the real dispatcher flow on a manual clock, with scripted answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlmodel import select

from config.aarshjul import load_aarshjul
from domain.aarshjul.workdays import local_moment
from domain.clock import ManualClock
from domain.models import Assignment, Person, Phase
from flows.dispatcher import dispatcher
from tasks.answers.submission import load_context, save_answer
from tasks.cycle.dispatch import next_due
from tasks.runtime import Runtime

EXAMPLES = Path(__file__).resolve().parents[2] / "config" / "examples"
Action = Callable[[Runtime], None]
Script = list[tuple[datetime, Action]]  # (Oslo wall time, what a person does then)


def use_example(rt: Runtime, name: str) -> None:
    rt.aarshjul = load_aarshjul(EXAMPLES / name)


def answering(email: str, phase_key: str, content: dict[str, Any]) -> Action:
    """The person with this e-mail submits this answer to their task in the phase (or step)."""
    return lambda rt: answer(rt, email, phase_key, content)


def answer(rt: Runtime, email: str, phase_key: str, content: dict[str, Any]) -> None:
    with rt.session() as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        assignment = session.exec(
            select(Assignment).join(Phase).where(Phase.key == phase_key, Assignment.assignee_id == person.id)
        ).one()
        ctx = load_context(session, rt, assignment, person)
        save_answer(session, rt, ctx, content, submit=True, base_revision=0, now=rt.now())


def run_year(rt: Runtime, clock: ManualClock, script: Script, year: int = 2027, until: date | None = None) -> int:
    """Step the clock from one due moment to the next through the year (or to `until`), acting as scripted."""
    queue = sorted(
        ((local_moment(d.date(), d.time()), n, act) for n, (d, act) in enumerate(script)), key=lambda q: q[:2]
    )
    end = local_moment(until or date(year, 12, 31), time(23, 0))
    dispatcher(as_of=clock.now())
    ticks, tick_at = 1, None
    while True:
        with rt.session() as session:
            due = next_due(session, rt, clock.now())
        moment = min([m for m in (due, tick_at, queue[0][0] if queue else None) if m is not None], default=None)
        if moment is None or moment > end:
            return ticks
        clock.set(moment)
        if queue and queue[0][0] == moment:
            queue.pop(0)[2](rt)
            tick_at = moment + timedelta(minutes=5)
            continue
        tick_at = None
        dispatcher(as_of=moment)
        ticks += 1
