"""The demo: a fictional municipality's whole year on a simulated clock, through the real flows, HTTP and SMTP."""

from __future__ import annotations

import heapq
import random
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

from arshjul.bootstrap import bootstrap
from arshjul.demo import people
from arshjul.demo.browser import answer
from arshjul.demo.mail_reading import INVITATION_HEADER, LINK, header_end, plain_text
from arshjul.demo.meetings import meeting_form
from arshjul.demo.municipality import write_demo_organisation
from arshjul.demo.prefect_env import prefect_for_demo, quiet_prefect
from arshjul.demo.report import write_outputs
from arshjul.demo.stopwatch import Stopwatch
from config.settings import PACKAGED_AARSHJUL, DbSettings, Settings, SmtpSettings
from domain.aarshjul.workdays import local_moment, to_local
from domain.clock import ManualClock
from domain.models import Assignment, Phase
from notifications.catcher import MailCatcher
from tasks.cycle.dispatch import next_due
from tasks.notices.ladder import ladder_for
from tasks.org.importer import import_organisation
from tasks.org.people import ensure_hr
from tasks.plan.versions import evaluation_items, latest_version
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate
from web.app import create_app

WEEKDAYS = ("man", "tir", "ons", "tor", "fre", "lør", "søn")


@dataclass
class DemoOptions:
    out: Path
    year: int = 2027
    units: int = 150
    sectors: int = 6
    seed: int = 2027
    progress: Callable[[str], None] = print
    aarshjul: Path | None = None  # an årshjul file (config/examples/…); the packaged default when None


@dataclass
class Simulation:
    rt: Runtime
    clock: ManualClock
    catcher: MailCatcher
    client: httpx.Client
    rng: random.Random
    year: int
    watch: Stopwatch = field(default_factory=Stopwatch)
    queue: list[tuple[datetime, int, str, str]] = field(default_factory=list)
    plans: dict[int, people.Behaviour] = field(default_factory=dict)
    seen_mail: int = 0
    answered: int = 0
    ticks: int = 0


def run_demo(options: DemoOptions) -> dict[str, object]:
    """Build the municipality, run the year, write the outputs; returns the summary (with `timings` per step)."""
    started = time.perf_counter()
    watch = Stopwatch()
    quiet_prefect()
    out = options.out
    if out.exists():
        shutil.rmtree(out)
    (out / "data").mkdir(parents=True)
    with MailCatcher(store_dir=out / "mail") as catcher, _web(options, catcher, watch) as (rt, clock, client):
        sim = Simulation(rt, clock, catcher, client, random.Random(options.seed), options.year, watch)
        # The Prefect API's start is mostly a subprocess booting; the organisation imports meanwhile.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-setup") as pool:
            setup = pool.submit(_timed_setup, sim, options)
            with prefect_for_demo(rt, watch):
                setup.result()
                with watch.step("year"):
                    _run_year(sim, options.progress)
        with watch.step("outputs"):
            summary = write_outputs(
                rt,
                out,
                year=options.year,
                behaviours=sim.plans,
                ticks=sim.ticks,
                wall_seconds=time.perf_counter() - started,
                timings=watch.rounded(),
            )
    options.progress(f"Ferdig på {summary['wall_seconds']:.0f} s. Resultatet ligger i {out}/")
    return summary


def _timed_setup(sim: Simulation, options: DemoOptions) -> None:
    with sim.watch.step("organisation"):
        _setup(sim, options)


@contextmanager
def _web(
    options: DemoOptions, catcher: MailCatcher, watch: Stopwatch
) -> Iterator[tuple[Runtime, ManualClock, httpx.Client]]:
    entered = time.perf_counter()
    port = _free_port()
    # Everything explicit: the demo must never pick up a production database, årshjul or secret from the shell.
    settings = Settings(
        _env_file=None,
        env="development",
        data_dir=options.out / "data",
        db=DbSettings(url=f"sqlite:///{(options.out / 'data' / 'arshjul.db').resolve()}"),
        aarshjul_file=options.aarshjul or PACKAGED_AARSHJUL,
        secret_key=SecretStr(secrets.token_urlsafe(32)),
        municipality="Fjordvik kommune",
        base_url=f"http://127.0.0.1:{port}",
        hr_email="hr@fjordvik.kommune.no",
        smtp=SmtpSettings(port=catcher.port, from_address="arshjul@fjordvik.kommune.no", backoff_base_seconds=300),
        scheduler_enabled=False,
        prefect_events=False,
    )
    clock = ManualClock(local_moment(datetime(options.year, 1, 1).date(), datetime.min.time()))
    rt = bootstrap(settings, clock=clock)
    migrate(rt.engine)
    install_runtime(rt)
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(rt, catcher=catcher),
            host="127.0.0.1",
            port=port,
            log_level="warning",
            access_log=False,
        )
    )
    thread = threading.Thread(target=server.run, name="demo-web", daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.02)
    if not server.started:
        raise RuntimeError("demo-webserveren startet ikke")
    watch.seconds["web_start"] = time.perf_counter() - entered
    try:
        with httpx.Client(timeout=30) as client:
            yield rt, clock, client
    finally:
        server.should_exit = True
        thread.join(10)
        install_runtime(None)


def _setup(sim: Simulation, options: DemoOptions) -> None:
    units_csv, tv_csv = write_demo_organisation(
        options.out / "organisasjon", seed=options.seed, units=options.units, sectors=options.sectors
    )
    with sim.rt.session() as session:
        ensure_hr(session, sim.rt.settings, name="Hanne Strand")
        report = import_organisation(session, [units_csv, tv_csv], at=sim.clock.now())
    if report.problems:
        raise RuntimeError("demo-organisasjonen ble avvist: " + "; ".join(map(str, report.problems[:5])))
    options.progress(
        f"Fjordvik kommune: {len(report.created)} nye poster importert fra {units_csv.name} og {tv_csv.name}"
    )


def _run_year(sim: Simulation, progress: Callable[[str], None]) -> None:
    from flows.dispatcher import dispatcher

    end = local_moment(datetime(sim.year, 12, 31).date(), datetime.max.time().replace(microsecond=0))
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
        _, assignment_id, form, link = heapq.heappop(sim.queue)
        answer(sim.client, link, _fields(sim, assignment_id, form), save_draft_first=sim.rng.random() < 0.3)
        sim.answered += 1


def _fields(sim: Simulation, assignment_id: int, form: str) -> dict[str, str]:
    with sim.rt.session() as session:
        assignment = session.get(Assignment, assignment_id)
        assert assignment is not None
        if form == "input":
            from domain.models import OrgUnit

            unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
            return people.input_form(sim.rng, unit.name if unit else "Kommunen")
        if form == "evaluation":
            return people.evaluation_form(sim.rng, evaluation_items(session, assignment.unit_id, sim.year))
        if form == "consultation":
            version = latest_version(session, sim.year)
            titles = [m["title"] for m in version.content["measures"]] if version else []
            return people.consultation_form(sim.rng, titles or ["Planen som helhet"])
        phase = session.get(Phase, assignment.phase_id)
        meeting = sim.rt.aarshjul.phase(phase.key).meeting if phase else None
        if meeting is not None:  # a meeting step: HR records that meeting's handling
            return meeting_form(sim.rt.aarshjul, meeting, sim.year, 100 + assignment_id)
        return people.adoption_form(sim.year)


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
        behaviour = people.choose_behaviour(sim.rng, required=assignment.required)
        if assignment.form == "adoption":
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
            (max(at, sim.clock.now() + timedelta(minutes=5)), claims.assignment_id, assignment.form, link),
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


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
