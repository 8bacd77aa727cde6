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
Script = list[tuple[datetime, str, str, dict[str, Any]]]  # (Oslo wall time, e-mail, phase key, answer)


def use_example(rt: Runtime, name: str) -> None:
    rt.aarshjul = load_aarshjul(EXAMPLES / name)


def answer(rt: Runtime, email: str, phase_key: str, content: dict[str, Any]) -> None:
    with rt.session() as session:
        person = session.exec(select(Person).where(Person.email == email)).one()
        assignment = session.exec(
            select(Assignment).join(Phase).where(Phase.key == phase_key, Assignment.assignee_id == person.id)
        ).one()
        ctx = load_context(session, rt, assignment, person)
        save_answer(session, rt, ctx, content, submit=True, base_revision=0, now=rt.now())


def run_year(
    rt: Runtime, clock: ManualClock, script: Script, year: int = 2027, on_tick: Callable[[datetime], None] = print
) -> int:
    """Step the clock from one due moment to the next through the year, answering as scripted; returns the ticks."""
    queue = sorted((local_moment(d.date(), d.time()), e, k, c) for d, e, k, c in script)
    end = local_moment(date(year, 12, 31), time(23, 0))
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
            _, email, key, content = queue.pop(0)
            answer(rt, email, key, content)
            tick_at = moment + timedelta(minutes=5)
            continue
        tick_at = None
        dispatcher(as_of=moment)
        on_tick(moment)
        ticks += 1
