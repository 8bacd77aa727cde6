"""Answer latency: simulated leaders submitting the spring input form, `concurrency` at a time, over real HTTP.

`python -m bench.answers --units 150 --concurrency 50`. A Drammen-size demo organisation is imported and its
spring-input phase opened (the service functions, as the dispatcher's tasks call them). The app runs as
`arshjul serve` would run it, in its own process (`bench.answer_server`) on 127.0.0.1 with the clock a day into
the phase. Each simulated leader opens the signed link from its invitation (GET), reads the csrf and
base_revision hidden fields, and submits the form (POST, expecting 303).

Two scenarios, each on a fresh database and server: `burst`, waves of `concurrency` leaders all starting at the
same instant with no pause between GET and POST (the worst case, and what the target is judged on); and `paced`,
`concurrency` leaders arriving within a few seconds and reading the form for a moment before submitting (still
all at work at once, as just after an invitation has gone out).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import shutil
import ssl
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from sqlmodel import col, select

from bench.common import child, percentile, wait_for_line, write_json


def settings_for(database: Path, secret: str, port: int) -> Any:
    """The same settings for the preparing process and the server process (the secret signs the links)."""
    from config.settings import PACKAGED_AARSHJUL, DbSettings, Settings, SmtpSettings

    return Settings(
        _env_file=None,
        env="development",
        data_dir=database.parent,
        db=DbSettings(url=f"sqlite:///{database.resolve()}"),
        aarshjul_file=PACKAGED_AARSHJUL,
        secret_key=SecretStr(secret),
        municipality="Fjordvik kommune",
        base_url=f"http://127.0.0.1:{port}",
        hr_email="hr@fjordvik.kommune.no",
        smtp=SmtpSettings(port=9, from_address="arshjul@fjordvik.kommune.no"),  # nothing is delivered here
        scheduler_enabled=False,
        prefect_events=False,
    )


@dataclass(frozen=True)
class Leader:
    path: str  # /svar/<token>
    fields: dict[str, str]


@dataclass
class Samples:
    get_ms: list[float] = field(default_factory=list)
    post_ms: list[float] = field(default_factory=list)
    leader_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def prepare(database: Path, secret: str, port: int, units: int, seed: int) -> tuple[list[Leader], datetime]:
    """Import the organisation, open spring-input; every unit leader's answer link and form fields."""
    from arshjul.bootstrap import bootstrap
    from arshjul.demo.catalogue import unit_profile
    from arshjul.demo.frame import write_demo_frame
    from arshjul.demo.municipality import write_demo_organisation
    from arshjul.demo.unit_input import input_form
    from domain.clock import ManualClock
    from domain.models import Assignment, OrgUnit, Phase
    from tasks.cycle.phases import ensure_cycle, open_phase
    from tasks.org.importer import import_organisation
    from tasks.org.people import ensure_hr
    from tasks.outbox.mail import answer_link
    from tasks.runtime import install_runtime
    from tasks.store.db import migrate

    settings = settings_for(database, secret, port)
    rt = bootstrap(settings, clock=ManualClock(datetime(2027, 1, 1).astimezone()))
    migrate(rt.engine)
    install_runtime(rt)
    rng = random.Random(seed)
    try:
        write_demo_frame(database.parent)  # the demo's competence areas, as the demo itself has them
        units_csv, tv_csv = write_demo_organisation(database.parent / "org", seed=seed, units=units)
        with rt.session() as session:
            ensure_hr(session, settings, name="Hanne Strand")
            report = import_organisation(session, [units_csv, tv_csv], at=rt.now())
            if report.problems:
                raise RuntimeError(f"the demo organisation was refused: {report.problems[:3]}")
        with rt.session() as session:
            ensure_cycle(session, rt, 2027, rt.now())
        with rt.session() as session:
            phase = session.exec(select(Phase).where(Phase.key == "spring-input")).one()
            open_phase(session, rt, phase, 2027, phase.opens_at)
        with rt.session() as session:
            rows = session.exec(
                select(Assignment, OrgUnit)
                .join(OrgUnit, col(Assignment.unit_id) == col(OrgUnit.id))
                .where(Assignment.phase_id == phase.id, Assignment.form == "input", Assignment.required)
                .order_by(col(Assignment.id))
            ).all()
            leaders = [
                Leader(
                    path="/svar/" + answer_link(rt, assignment, phase).rsplit("/svar/", 1)[1],
                    fields=input_form(rng, profile, 2028),
                )
                for assignment, unit in rows
                if (profile := unit_profile(unit.name)) is not None  # every demo virksomhet has one
            ]
        now = phase.opens_at + timedelta(days=1, hours=2)
    finally:
        install_runtime(None)
        rt.engine.dispose()
    return leaders, now


@dataclass(frozen=True)
class Pace:
    """When each leader starts (uniform within `arrival` s) and how long it reads before submitting."""

    name: str
    arrival: float = 0.0
    think: tuple[float, float] = (0.0, 0.0)


BURST = Pace("burst")
PACED = Pace("paced", arrival=5.0, think=(1.0, 3.0))


async def _leader(client: httpx.AsyncClient, leader: Leader, samples: Samples, start: float, think: float) -> None:
    from arshjul.demo.browser import hidden_fields

    await asyncio.sleep(start)
    started = time.perf_counter()
    try:
        page = await client.get(leader.path)
        got = time.perf_counter()
        samples.get_ms.append(1000 * (got - started))
        if page.status_code != 200:
            samples.errors.append(f"GET {page.status_code}")
            return
        hidden = hidden_fields(page.text)
        if not {"csrf_token", "base_revision"} <= hidden.keys():
            samples.errors.append("GET without csrf_token/base_revision")
            return
        await asyncio.sleep(think)
        posted = time.perf_counter()
        response = await client.post(leader.path, data={**hidden, **leader.fields, "action": "submit"})
        done = time.perf_counter()
        samples.post_ms.append(1000 * (done - posted))
        samples.leader_ms.append(1000 * ((got - started) + (done - posted)))
        if response.status_code != 303:
            samples.errors.append(f"POST {response.status_code}")
    except httpx.HTTPError as exc:
        samples.errors.append(f"{type(exc).__name__}: {exc}")


async def _waves(
    base_url: str,
    leaders: list[Leader],
    concurrency: int,
    pace: Pace,
    samples: Samples,
    rng: random.Random,
    *,
    shared_client: bool = False,
) -> float:
    """Run the waves; returns their wall seconds.

    Each of the `concurrency` leaders at a time has a client of its own (one connection, kept alive across waves, as
    a browser would). One httpx client shared by all of them looks every connection of its pool over, polling each
    socket, for every request: at 50 connections the load generator spent ~5 ms of CPU per request instead of ~1.7,
    on the same two cores as the server it measures, and its own queueing showed up as the server's latency.
    `shared_client` keeps that first setup, for comparison.
    """
    ssl_context = ssl.create_default_context()  # plain http here; built once instead of once per client

    def new_client(connections: int) -> httpx.AsyncClient:
        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        return httpx.AsyncClient(
            base_url=base_url, timeout=30, limits=limits, verify=ssl_context, follow_redirects=False
        )

    clients = [new_client(concurrency)] * concurrency if shared_client else [new_client(1) for _ in range(concurrency)]
    try:
        for _ in range(5):  # warm-up: templates compiled, a connection and the database's pages warm
            await clients[0].get("/helse")
        await clients[0].get(leaders[-1].path)
        started = time.perf_counter()
        for first in range(0, len(leaders), concurrency):
            wave = [
                _leader(client, leader, samples, rng.uniform(0, pace.arrival), rng.uniform(*pace.think))
                for client, leader in zip(clients, leaders[first : first + concurrency], strict=False)
            ]
            await asyncio.wait_for(asyncio.gather(*wave), timeout=300)
        return time.perf_counter() - started
    finally:
        for client in dict.fromkeys(clients):  # each once, also when shared
            await client.aclose()


def _summary(values: list[float]) -> dict[str, float]:
    return {
        "p50": round(percentile(values, 50), 1),
        "p95": round(percentile(values, 95), 1),
        "p99": round(percentile(values, 99), 1),
        "max": round(max(values), 1) if values else 0.0,
    }


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a process so far (Linux), to tell the server's cost from the load generator's."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text(encoding="ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def scenario(units: int, concurrency: int, seed: int, pace: Pace, *, shared_client: bool = False) -> dict[str, Any]:
    """One scenario on a fresh database and a fresh server process."""
    from bench.common import free_port

    work = Path(tempfile.mkdtemp(prefix="arshjul-bench-answers-"))
    secret = secrets.token_urlsafe(32)
    port = free_port()
    database = work / "arshjul.db"
    try:
        leaders, now = prepare(database, secret, port, units, seed)
        leaders = leaders[: max(concurrency, len(leaders) - len(leaders) % concurrency)]  # whole waves only
        args = ["-m", "bench.answer_server", "--database", str(database), "--secret", secret]
        with child([*args, "--now", now.isoformat(), "--port", str(port)]) as server:
            wait_for_line(server, "ready ", timeout=60)
            samples = Samples()
            base = f"http://127.0.0.1:{port}"
            server_before, client_before = _cpu_seconds(server.process.pid), time.process_time()
            seconds = asyncio.run(
                _waves(base, leaders, concurrency, pace, samples, random.Random(seed), shared_client=shared_client)
            )
            server_after, client_after = _cpu_seconds(server.process.pid), time.process_time()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    requests = samples.get_ms + samples.post_ms
    server_cpu = server_after - server_before if server_after is not None and server_before is not None else None
    return {
        "scenario": pace.name,
        "arrival_seconds": pace.arrival,
        "think_seconds": list(pace.think),
        "leaders": len(leaders),
        "waves": len(leaders) // concurrency,
        "requests": len(requests),
        "errors": len(samples.errors),
        "error_kinds": sorted(set(samples.errors))[:10],
        "latency_ms": _summary(requests),
        "get_ms": _summary(samples.get_ms),
        "post_ms": _summary(samples.post_ms),
        "leader_ms": _summary(samples.leader_ms),
        "requests_per_second": round(len(requests) / seconds, 1) if seconds else 0.0,
        # CPU per request, server process and this load generator (client creation included): steadier than
        # latency on a shared machine, and shows how much of the two cores the client itself takes.
        "server_cpu_ms_per_request": round(1000 * server_cpu / len(requests), 2) if server_cpu and requests else None,
        "client_cpu_ms_per_request": (
            round(1000 * (client_after - client_before) / len(requests), 2) if requests else None
        ),
        "client": "shared httpx pool" if shared_client else "one httpx client per concurrent leader",
    }


def run(units: int, concurrency: int, seed: int, *, shared_client: bool = False) -> dict[str, Any]:
    """The burst (judged against the target; its numbers are the top-level ones) and the paced scenario."""
    burst = scenario(units, concurrency, seed, BURST, shared_client=shared_client)
    paced = scenario(units, concurrency, seed, PACED, shared_client=shared_client)
    return {
        **{key: value for key, value in burst.items() if key != "scenario"},
        "units": units,
        "concurrency": concurrency,
        "target_p95_ms": 100,
        "paced": paced,
        "method": (
            "burst: waves of `concurrency` leaders started together, each GETs its form and at once POSTs submit "
            "with the csrf/base_revision hidden fields; paced: the same, arriving within 5 s and reading 1-3 s "
            "before submitting. Latency per request, client side (an httpx.AsyncClient per concurrent leader); the "
            "app in its own uvicorn process on 127.0.0.1; a fresh database and server per scenario"
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--units", type=int, default=150)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--result", type=Path)
    parser.add_argument(
        "--shared-client", action="store_true", help="one httpx pool for all leaders (the first load generator)"
    )
    args = parser.parse_args(argv)
    result = run(args.units, max(1, args.concurrency), args.seed, shared_client=args.shared_client)
    for name, part in (("samtidig", result), ("spredt", result["paced"])):
        lat = part["latency_ms"]
        print(f"  svar ({name}): p50 {lat['p50']} ms, p95 {lat['p95']} ms, feil {part['errors']}", file=sys.stderr)
    if args.result:
        write_json(args.result, result)
    else:
        import json

        print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
