"""Email delivery: the outbox (`tasks.outbox.delivery.deliver_due`) against a bare aiosmtplib loop, same relay.

`python -m bench.delivery --messages 2000`. The messages are real: a demo organisation with that many units is
imported and its January phase opened, which queues one invitation (text, HTML and an ICS deadline) per unit
leader in the outbox. The database is then copied, so every outbox round starts from the same pending outbox.
The bare loop sends those same messages, built beforehand with the builder the outbox uses (the exact bytes, so
aiosmtplib's `sendmail`), one after another on one reused connection. Both go to one aiosmtpd sink in its own
process. Rounds alternate (bare first, then outbox first) and the medians are compared.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import aiosmtplib
from pydantic import SecretStr
from sqlalchemy import Engine, text
from sqlmodel import col, func, select

from bench.common import child, wait_for_line, write_json
from bench.report import OUTBOX_TARGET

if TYPE_CHECKING:
    from notifications.wire import WireMessage

FROM = "arshjul@fjordvik.kommune.no"


@dataclass
class Prepared:
    template: Path
    messages: list[WireMessage]
    as_of: datetime
    build_ms_per_message: float
    mean_message_bytes: int


def _settings(database: Path, port: int, concurrency: int | None) -> Any:
    from config.settings import PACKAGED_AARSHJUL, DbSettings, Settings, SmtpSettings

    smtp: dict[str, Any] = {"port": port, "from_address": FROM}
    if concurrency is not None:
        smtp["concurrency"] = concurrency
    return Settings(
        _env_file=None,
        env="development",
        data_dir=database.parent,
        db=DbSettings(url=f"sqlite:///{database.resolve()}"),
        aarshjul_file=PACKAGED_AARSHJUL,
        secret_key=SecretStr(secrets.token_urlsafe(32)),
        municipality="Fjordvik kommune",
        base_url="http://127.0.0.1:8000",
        hr_email="hr@fjordvik.kommune.no",
        smtp=SmtpSettings(**smtp),
        scheduler_enabled=False,
        prefect_events=False,
    )


def prepare(work: Path, count: int, port: int) -> Prepared:
    """An outbox of `count` pending invitations, saved as a template database; and the same mail, built."""
    from arshjul.bootstrap import bootstrap
    from arshjul.demo.municipality import write_demo_organisation
    from domain.clock import ManualClock
    from domain.models import OutboxMessage, Phase
    from notifications.message import OutgoingMail
    from notifications.wire import render_message
    from tasks.cycle.phases import ensure_cycle, open_phase
    from tasks.org.importer import import_organisation
    from tasks.org.people import ensure_hr
    from tasks.runtime import install_runtime
    from tasks.store.db import migrate

    database = work / "template" / "arshjul.db"
    settings = _settings(database, port, None)
    rt = bootstrap(settings, clock=ManualClock(datetime(2027, 1, 1).astimezone()))
    migrate(rt.engine)
    install_runtime(rt)
    try:
        units_csv, tv_csv = write_demo_organisation(work / "org", units=count)
        with rt.session() as session:
            ensure_hr(session, settings, name="Hanne Strand")
            report = import_organisation(session, [units_csv, tv_csv], at=rt.now())
            if report.problems:
                raise RuntimeError(f"the demo organisation was refused: {report.problems[:3]}")
        with rt.session() as session:
            ensure_cycle(session, rt, 2027, rt.now())
        with rt.session() as session:
            phase = session.exec(select(Phase).where(Phase.key == "january-evaluation")).one()
            as_of = phase.opens_at + timedelta(minutes=1)
            open_phase(session, rt, phase, 2027, phase.opens_at)
        with rt.session() as session:
            rows = list(session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))))
            pending = session.exec(select(func.count()).select_from(OutboxMessage)).one()
        started = time.perf_counter()
        messages = [
            render_message(
                OutgoingMail(
                    idempotency_key=row.idempotency_key,
                    to_address=row.to_address,
                    to_name=row.to_name,
                    subject=row.subject,
                    text=row.body_text,
                    html=row.body_html,
                    ics=row.ics,
                    reply_to=settings.smtp.reply_to,
                ),
                from_address=settings.smtp.from_address,
                from_name=settings.smtp.from_name,
                sent_at=as_of,
            )
            for row in rows
        ]
        build_ms = 1000 * (time.perf_counter() - started) / max(1, len(messages))
        size = sum(len(m.data) for m in messages[:200]) // max(1, min(200, len(messages)))
        if pending < count:
            raise RuntimeError(f"expected at least {count} queued invitations, found {pending}")
        _checkpoint(rt.engine)
    finally:
        install_runtime(None)
        rt.engine.dispose()
    return Prepared(database, messages, as_of, round(build_ms, 2), size)


def _checkpoint(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def outbox_round(prepared: Prepared, work: Path, port: int, concurrency: int | None) -> dict[str, Any]:
    """Copy the template database and let the outbox deliver everything in it; only deliver_due is timed."""
    from tasks.outbox.delivery import deliver_due
    from tasks.store.db import make_engine

    folder = work / f"round-{time.monotonic_ns()}"
    folder.mkdir(parents=True)
    database = folder / "arshjul.db"
    shutil.copyfile(prepared.template, database)
    settings = _settings(database, port, concurrency)
    engine = make_engine(settings.database_url)
    try:
        started = time.perf_counter()
        stats = deliver_due(engine, settings.smtp, as_of=prepared.as_of)
        seconds = time.perf_counter() - started
    finally:
        engine.dispose()
        shutil.rmtree(folder, ignore_errors=True)
    sent = int(stats.sent)
    return {
        "seconds": round(seconds, 3),
        "sent": sent,
        "not_sent": len(prepared.messages) - sent,
        "per_second": round(sent / seconds, 1) if seconds else 0.0,
        "connections": settings.smtp.concurrency,
    }


async def _bare(messages: list[WireMessage], port: int) -> tuple[float, int]:
    client = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=30)
    await client.connect()
    refused = 0
    started = time.perf_counter()
    try:
        for message in messages:
            rejected, _ = await client.sendmail(message.sender, list(message.recipients), message.data)
            refused += len(rejected)
    finally:
        seconds = time.perf_counter() - started
        await client.quit()
    return seconds, refused


def bare_round(prepared: Prepared, port: int) -> dict[str, Any]:
    seconds, refused = asyncio.run(_bare(prepared.messages, port))
    sent = len(prepared.messages) - refused
    return {
        "seconds": round(seconds, 3),
        "sent": sent,
        "not_sent": refused,
        "per_second": round(sent / seconds, 1) if seconds else 0.0,
        "connections": 1,
    }


def run(count: int, rounds: int, concurrency: int | None) -> dict[str, Any]:
    work = Path(tempfile.mkdtemp(prefix="arshjul-bench-delivery-"))
    try:
        with child(["-m", "bench.smtp_sink"]) as sink:
            port = int(wait_for_line(sink, "port ", timeout=60))
            started = time.perf_counter()
            prepared = prepare(work, count, port)
            setup = time.perf_counter() - started
            print(f"  outbox: {len(prepared.messages)} invitasjoner klare på {setup:.0f} s", file=sys.stderr)
            asyncio.run(_bare(prepared.messages[:20], port))  # warm-up: connection path, imports
            bare: list[dict[str, Any]] = []
            outbox: list[dict[str, Any]] = []
            for number in range(rounds):
                order = ("bare", "outbox") if number % 2 == 0 else ("outbox", "bare")
                for which in order:
                    if which == "bare":
                        bare.append(bare_round(prepared, port))
                    else:
                        outbox.append(outbox_round(prepared, work, port, concurrency))
                print(f"  runde {number + 1}: bare {bare[-1]['per_second']}/s, outbox {outbox[-1]['per_second']}/s",
                      file=sys.stderr)  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    bare_rate = statistics.median(r["per_second"] for r in bare)
    outbox_rate = statistics.median(r["per_second"] for r in outbox)
    return {
        "messages": len(prepared.messages),
        "mean_message_bytes": prepared.mean_message_bytes,
        "rounds": rounds,
        "bare_per_second": bare_rate,
        "outbox_per_second": outbox_rate,
        "ratio": round(outbox_rate / bare_rate, 3) if bare_rate else 0.0,
        "target_ratio": OUTBOX_TARGET,
        "build_message_ms_per_message": prepared.build_ms_per_message,
        "outbox_connections": outbox[0]["connections"] if outbox else None,
        "setup_seconds": round(setup, 1),
        "bare_rounds": bare,
        "outbox_rounds": outbox,
        "method": (
            "same N pending invitations (from a demo organisation's opened January phase); outbox = deliver_due on a "
            "fresh copy of that database; bare = aiosmtplib sendmail of the same pre-built messages (the outbox's "
            "own builder, notifications.message.render_message), one connection; both to one aiosmtpd sink process; "
            "alternating rounds, medians"
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--concurrency", type=int, help="outbox SMTP connections (default: the setting's default)")
    parser.add_argument("--result", type=Path)
    args = parser.parse_args(argv)
    result = run(args.messages, max(1, args.rounds), args.concurrency)
    if args.result:
        write_json(args.result, result)
    else:
        import json

        print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
