"""Step kinds through the real flows on a simulated clock: meetings, notices, sector reviews, per-sector dates."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlmodel import col, select

from domain.clock import ManualClock
from domain.models import Event, Handling, OutboxMessage, PlanStatus, PlanVersion
from notifications.catcher import MailCatcher
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.org import build_small_org
from tests.support.step_year import run_year, use_example

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

INPUT = {
    "requirements": "Oppdatert fagkompetanse",
    "holdings": "God",
    "needs": [{"area": "Demens", "criticality": "høy", "horizon": "kort", "strategy": "utvikle"}],
    "measures": [{"area": "Demens", "goal": "Bedre demensomsorg", "title": "Demensomsorgens ABC", "cost": 50000}],
}
CONSULTATION = {
    "statement": "Vi støtter planen",
    "comments": [{"target": "Demensomsorgens ABC", "position": "enig", "text": "Bra"}],
}


def handling(body: str, day: str, kind: str, case: str) -> dict[str, object]:
    return {"handlings": [{"body": body, "held_on": day, "kind": kind, "case_number": case}]}


def test_sorum_adoption_trail_lederforum_adopts_amu_and_oa_handle_the_adopted_plan(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    use_example(rt, "sorum.yaml")
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
    script = [
        (datetime(2027, 3, 2, 10), "leder1@testvik.no", "spring-input", INPUT),
        (datetime(2027, 9, 14, 10), "tora@testvik.no", "september-draft", CONSULTATION),
        (
            datetime(2027, 11, 16, 10),
            "hr@testvik.no",
            "lederforum",
            handling("Lederforum", "2027-11-15", "vedtak", "2027/41"),
        ),
        (
            datetime(2027, 11, 29, 10),
            "hr@testvik.no",
            "amu",
            handling("AMU", "2027-11-26", "til etterretning", "2027/77"),
        ),
        (
            datetime(2027, 12, 13, 10),
            "hr@testvik.no",
            "okonomiutvalget",
            handling("Ø/A", "2027-12-10", "orientering", "2027/90"),
        ),
    ]
    run_year(rt, clock, script, on_tick=lambda _: None)
    with rt.session() as session:
        versions = list(session.exec(select(PlanVersion).order_by(col(PlanVersion.number))))
        adopted = [v for v in versions if v.status == PlanStatus.ADOPTED]
        assert [v.status for v in versions] == [PlanStatus.CONSULTATION, PlanStatus.ADOPTED]
        handlings = list(session.exec(select(Handling).order_by(col(Handling.held_on))))
        assert [(h.body, h.kind.value, h.plan_version_id) for h in handlings] == [
            ("Lederforum", "vedtak", adopted[0].id),
            ("AMU", "til etterretning", adopted[0].id),
            ("Ø/A", "orientering", adopted[0].id),
        ]
        papers = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.subject).startswith("Sakspapirer til"))
        ).all()
        assert sorted(m.subject for m in papers) == [
            "Sakspapirer til AMU innen 19.11.2027",
            "Sakspapirer til Lederforum innen 08.11.2027",
            "Sakspapirer til Økonomiutvalget innen 03.12.2027",
        ]
        assert all(m.to_address == "hr@testvik.no" for m in papers)
        done = session.exec(select(Event).where(Event.kind == "step.done")).all()
        assert len(done) == 3
