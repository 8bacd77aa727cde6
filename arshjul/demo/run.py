"""The demo: a fictional municipality's whole year on a simulated clock, through the real flows, HTTP and SMTP."""

from __future__ import annotations

import random
import secrets
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import httpx
import uvicorn
from pydantic import SecretStr

from arshjul.bootstrap import bootstrap
from arshjul.demo.bodies import write_demo_bodies
from arshjul.demo.frame import write_demo_frame
from arshjul.demo.imported_plan import import_current_plans
from arshjul.demo.municipality import write_demo_organisation
from arshjul.demo.prefect_env import prefect_for_demo, quiet_prefect
from arshjul.demo.report import write_outputs
from arshjul.demo.simulated_year import Simulation, run_year
from arshjul.demo.stopwatch import Stopwatch
from config.settings import PACKAGED_AARSHJUL, DbSettings, Settings, SmtpSettings
from domain.aarshjul.workdays import local_moment
from domain.clock import ManualClock
from notifications.catcher import MailCatcher
from tasks.org.importer import import_organisation
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate
from web.app import create_app


@dataclass
class DemoOptions:
    out: Path
    year: int = 2027
    years: int = 1  # consecutive cycle years from `year`, after importing the plans Fjordvik already has
    units: int = 150
    sectors: int = 6
    seed: int = 2027
    progress: Callable[[str], None] = print
    aarshjul: Path | None = None  # an årshjul file (config/examples/…); the packaged default when None


def run_demo(options: DemoOptions) -> dict[str, object]:
    """Build the municipality, run its year(s), write the outputs; returns the summary (with `timings` per step)."""
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
                for year in range(options.year, options.year + options.years):
                    sim.year = year
                    with watch.step("year"):
                        run_year(sim, options.progress)
        with watch.step("outputs"):
            summary = write_outputs(
                rt,
                out,
                years=range(options.year, options.year + options.years),
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
    bodies = sim.rt.aarshjul.plan_bodies
    members_csv = write_demo_bodies(options.out / "organisasjon", units_csv, tv_csv, bodies)
    write_demo_frame(Path(sim.rt.settings.data_dir))
    with sim.rt.session() as session:
        ensure_hr(session, sim.rt.settings, name="Hanne Strand")
        files = [units_csv, tv_csv, members_csv]
        report = import_organisation(session, files, at=sim.clock.now(), bodies=bodies)
    if report.problems:
        raise RuntimeError("demo-organisasjonen ble avvist: " + "; ".join(map(str, report.problems[:5])))
    options.progress(
        f"Fjordvik kommune: {len(report.created)} nye poster importert fra {units_csv.name}, {tv_csv.name} og "
        f"{members_csv.name}"
    )
    plans = import_current_plans(sim.rt, options.out / "gjeldende-planer", first_year=options.year, seed=options.seed)
    options.progress("Gjeldende planer lest inn med «arshjul plan import»: " + ", ".join(p.name for p in plans))


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
