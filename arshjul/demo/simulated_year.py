"""One cycle year on the simulated clock: the dispatcher at each due moment, the simulated people in between."""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from email import message_from_bytes, policy
from typing import Any

import httpx

from arshjul.demo import people
from arshjul.demo.answers import answer_comments, fields_for
from arshjul.demo.browser import answer
from arshjul.demo.mail_reading import INVITATION_HEADER, LINK, header_end, plain_text
from arshjul.demo.stopwatch import Stopwatch
from domain.aarshjul.workdays import local_moment, to_local
from domain.clock import ManualClock
from domain.models import Assignment, Cycle, Phase
from notifications.catcher import MailCatcher
from tasks.cycle.dispatch import next_due
from tasks.notices.ladder import ladder_for
from tasks.runtime import Runtime

WEEKDAYS = ("man", "tir", "ons", "tor", "fre", "lør", "søn")


@dataclass
class Simulation:
    rt: Runtime
    clock: ManualClock
    catcher: MailCatcher
    client: httpx.Client
    rng: random.Random
    year: int
    watch: Stopwatch = field(default_factory=Stopwatch)
    queue: list[tuple[datetime, int, str, str, int]] = field(default_factory=list)  # at, task, form, link, year
    plans: dict[int, people.Behaviour] = field(default_factory=dict)
    seen_mail: int = 0
    answered: int = 0
    ticks: int = 0


def run_year(sim: Simulation, progress: Callable[[str], None]) -> None:
    """Step the clock from now to the end of `sim.year`, running the dispatcher and the answers as they fall due."""
    from flows.dispatcher import dispatcher

    end = local_moment(datetime(sim.year, 12, 31).date(), datetime.max.time().replace(microsecond=0))
    # A following year starts at its New Year, where the dispatcher's first run creates the year's cycle.
    sim.clock.set(max(sim.clock.now(), local_moment(datetime(sim.year, 1, 1).date(), time.min)))
    flush_at: datetime | None = sim.clock.now()
    due: datetime | None = None
    known = exact = False  # known: computed since the last dispatcher run; exact: and no answer since
    while True:
        if not known:
            due, known, exact = _next_due(sim), True, True
        head = sim.queue[0][0] if sim.queue else None
        candidates = [m for m in (due, flush_at, head) if m is not None]
        if not candidates or min(candidates) > end:
            return
        moment = min(candidates)
        if moment == due and not exact:
            # Answers only ever take work away (a task answered, a phase closed early), so a `due` from before them
            # is never too late; it is made exact again only when it is the next step (asking before every answer
            # cost 50 s of a 5 000-unit year).
            due, exact = _next_due(sim), True
            continue
        sim.clock.set(moment)
        if head == moment:
            with sim.watch.step("answers"):
                _answer_due(sim)
            exact = False
            flush_at = flush_at or max(moment, local_moment(to_local(moment).date(), sim.rt.aarshjul.hours.end))
            continue
        with sim.watch.step("dispatcher"):
            result = dispatcher(as_of=moment)
        sim.ticks += 1
        flush_at, known = None, False
        with sim.watch.step("read_mail"):
            _read_new_mail(sim)
        progress(_progress_line(moment, result, sim))


def _next_due(sim: Simulation) -> datetime | None:
    with sim.watch.step("next_due"), sim.rt.session() as session:
        return next_due(session, sim.rt, sim.clock.now())


def _answer_due(sim: Simulation) -> None:
    while sim.queue and sim.queue[0][0] <= sim.clock.now():
        _, assignment_id, form, link, year = heapq.heappop(sim.queue)
        if form == "adoption":  # HR answers the tillitsvalgte's comments before recording the vedtak
            answer_comments(sim.rt, year, sim.clock.now())

        def fill(page: dict[str, str], assignment_id: int = assignment_id, year: int = year) -> dict[str, str]:
            return fields_for(sim.rt, sim.rng, assignment_id, year, page)

        answer(sim.client, link, fill, save_draft_first=sim.rng.random() < 0.3)
        sim.answered += 1


def _read_new_mail(sim: Simulation) -> None:
    new = sim.catcher.raw_since(sim.seen_mail)
    sim.seen_mail += len(new)
    # Only invitations carry links the simulated leaders act on; find them in the header before parsing anything,
    # because parsing every receipt and reminder of a 5 000-unit year costs minutes and gigabytes.
    invitations = [
        message_from_bytes(raw, policy=policy.compat32)  # ~6x faster than policy.default; only the text is needed
        for raw in new
        if INVITATION_HEADER.search(raw, 0, header_end(raw))
    ]
    # Two SMTP connections deliver in no fixed order; planning in key order keeps a seed's year the same year.
    for message in sorted(invitations, key=lambda m: str(m.get("X-Arshjul-Key"))):
        for link in dict.fromkeys(LINK.findall(plain_text(message))):
            _plan_answer(sim, link)


def _plan_answer(sim: Simulation, link: str) -> None:
    claims = sim.rt.links.verify(link.rsplit("/", 1)[1], now=sim.clock.now(), purpose="answer")
    if claims.assignment_id in sim.plans:
        return
    with sim.rt.session() as session:
        assignment = session.get(Assignment, claims.assignment_id)
        assert assignment is not None
        phase = session.get(Phase, assignment.phase_id)
        assert phase is not None
        cycle = session.get(Cycle, phase.cycle_id)
        year = cycle.year if cycle else sim.year
        behaviour = people.choose_behaviour(sim.rng, required=assignment.required)
        if assignment.form == "adoption":  # HR records the handlings soon after the vedtak
            behaviour = people.Behaviour.EARLY
        at = people.answer_time(
            sim.rng,
            sim.rt.aarshjul,
            behaviour,
            opens_at=phase.opens_at,
            due_at=assignment.due_at,
            closes_at=phase.closes_at,
            ladder=ladder_for(sim.rt, phase, assignment),
        )
    sim.plans[claims.assignment_id] = behaviour
    if at is not None:
        heapq.heappush(
            sim.queue,
            (max(at, sim.clock.now() + timedelta(minutes=5)), claims.assignment_id, assignment.form, link, year),
        )


def _progress_line(moment: datetime, result: dict[str, Any], sim: Simulation) -> str:
    notices: dict[str, int] = result.get("notices") or {}
    delivery: dict[str, int] = result.get("delivery") or {}
    phases = ", ".join(f"{p['phase']} {'lukket' if p['closed'] else 'åpnet'}" for p in result.get("phases", []))
    local = to_local(moment)
    return (
        f"{WEEKDAYS[local.weekday()]} {local:%d.%m.%Y %H:%M}  sendt {delivery.get('sent', 0):>3}"
        f"  påminnelser {notices.get('reminders', 0):>3}  eskaleringer {notices.get('escalations', 0):>3}"
        f"  svar hittil {sim.answered:>4}{'  ' + phases if phases else ''}"
    )
