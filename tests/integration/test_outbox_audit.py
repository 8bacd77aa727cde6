"""`arshjul audit`: the year's reminders, escalations and emails as a CSV Excel opens with æøå intact."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

import pytest

from arshjul.cli import main
from config.settings import get_settings
from domain.aarshjul.workdays import local_moment
from domain.clock import ManualClock
from notifications.catcher import MailCatcher
from tasks.cycle.dispatch import (
    close_phase_task,
    deliver_outbox_task,
    next_due,
    open_phase_task,
    plan_tick,
    queue_notices_task,
)
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.org import build_small_org


@pytest.fixture
def cli(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def run_until(rt: Runtime, clock: ManualClock, end_day: date) -> None:
    """The dispatcher's steps at every due moment, as the simulated year runs them."""
    end = local_moment(end_day, time(0))
    due: datetime | None = local_moment(date(2027, 1, 4), time(8))
    while due is not None and due < end:
        moment = due
        clock.set(moment)
        for step in plan_tick.fn(moment):
            (open_phase_task if step.action == "open" else close_phase_task).fn(step.key, step.year, moment)
        queue_notices_task.fn(moment)
        deliver_outbox_task.fn(moment)
        with rt.session() as session:
            due = next_due(session, rt, moment)


@pytest.mark.usefixtures("cli")
def test_the_audit_csv_has_every_reminder_escalation_and_email_with_recipient_unit_and_phase(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
    run_until(rt, clock, date(2027, 3, 4))
    out = tmp_path / "revisjon æøå.csv"
    assert main(["audit", "--year", "2027", "--out", str(out)]) == 0
    assert "skrevet til" in capsys.readouterr().out
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "Evaluering av fjorårets tiltak".encode() in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert list(rows[0]) == ["tidspunkt", "hendelse", "beskrivelse", "mottaker", "e-post", "enhet", "fase",
                             "detaljer", "utført av", "rolle", "på vegne av"]  # fmt: skip

    def find(kind: str, email: str, when: str, unit: str | None = None) -> dict[str, str]:
        (row,) = [
            r
            for r in rows
            if (r["hendelse"], r["e-post"], r["tidspunkt"]) == (kind, email, when) and unit in (None, r["enhet"])
        ]
        return row

    reminder = find("reminder.queued", "leder3@testvik.no", "2027-02-12 09:00")
    assert (reminder["enhet"], reminder["fase"], reminder["mottaker"]) == (
        "Enhet 3", "Evaluering av fjorårets tiltak", "Leder 3"
    )  # fmt: skip
    assert "notice=reminder" in reminder["detaljer"] and reminder["utført av"] == "system"
    invitation = find("email.sent", "leder1@testvik.no", "2027-01-04 08:00")
    assert invitation["enhet"] == "Enhet 1" and "mail_kind=invitation" in invitation["detaljer"]
    escalation = find("assignment.escalated", "siri@testvik.no", "2027-03-03 09:00", "Enhet 3")
    assert "notice=escalate_sector" in escalation["detaljer"]
    escalated = find("email.sent", "siri@testvik.no", "2027-03-03 09:00")  # one email naming all three units
    assert escalated["enhet"] == "Enhet 1 | Enhet 2 | Enhet 3" and "mail_kind=escalation" in escalated["detaljer"]
    assert find("assignment.overdue", "leder3@testvik.no", "2027-03-01 09:00")["beskrivelse"].startswith("Varsel")
    assert find("digest.queued", "siri@testvik.no", "2027-01-11 09:00")["detaljer"].startswith("scope=sector")
    times = [r["tidspunkt"] for r in rows]
    assert times == sorted(times)

    assert main(["audit", "--year", "2026"]) == 0
    assert capsys.readouterr().out.strip().endswith("på vegne av")  # the header only: nothing happened in 2026
