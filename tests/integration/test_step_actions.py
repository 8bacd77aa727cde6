"""Notice, papers and sector-review moments: once per moment whatever the number of runs, skipped when long past."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import func, select

from domain.aarshjul.workdays import OSLO
from domain.models import Event, OutboxMessage
from tasks.cycle.phases import ensure_cycle
from tasks.cycle.step_actions import next_step_at, run_due_steps
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.plan_year import build_two_sectors
from tests.support.step_year import use_example


def _outbox(rt: Runtime) -> int:
    with rt.session() as session:
        return int(session.exec(select(func.count()).select_from(OutboxMessage)).one())


def test_a_moment_runs_once_however_often_the_dispatcher_comes(rt: Runtime) -> None:
    use_example(rt, "baerum.yaml")
    with rt.session() as session:
        build_two_sectors(session)
        ensure_hr(session, rt.settings)
        ensure_cycle(session, rt, 2027, datetime(2027, 1, 1, tzinfo=OSLO))
        assert next_step_at(session, rt, datetime(2027, 1, 1, tzinfo=OSLO)) == datetime(2027, 2, 1, 9, tzinfo=OSLO)
    feb = datetime(2027, 2, 1, 9, tzinfo=OSLO)
    for _ in range(2):
        with rt.session() as session:
            run_due_steps(session, rt, feb)
    assert _outbox(rt) == 4  # the four unit leaders (no employees imported), once each
    with rt.session() as session:
        assert next_step_at(session, rt, feb) == datetime(2027, 3, 1, 9, tzinfo=OSLO)


def test_a_moment_long_past_when_arshjul_first_runs_is_skipped_without_email(rt: Runtime) -> None:
    use_example(rt, "baerum.yaml")
    with rt.session() as session:
        build_two_sectors(session)
        ensure_hr(session, rt.settings)
        sent = run_due_steps(session, rt, datetime(2027, 3, 2, 10, tzinfo=OSLO))
    assert sent == 2  # the Kompetanseforum notice of 1 March, to its two members; February's signal is past
    with rt.session() as session:
        done = session.exec(select(Event).where(Event.kind == "step.done").order_by(Event.id)).all()  # type: ignore[arg-type]
    assert [(e.phase_key, e.payload["skipped"]) for e in done] == [
        ("education-signal", True),
        ("forum-notice-evaluation", False),
    ]
