"""The loop across years: January of cycle Y evaluates the plan FOR Y−1 (carried out last year), never the plan for Y
that December Y−1 adopted. Here the plan for 2027 is imported, 2027 runs through the real flows and adopts the plan
for 2028, and January 2028 evaluates exactly the imported plan's measures."""

from __future__ import annotations

import re
from datetime import date, time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from domain.aarshjul.workdays import local_moment
from domain.clock import ManualClock
from domain.models import Assignment, Cycle, Phase, PlanStatus
from flows.dispatcher import dispatcher
from notifications.catcher import MailCatcher
from tasks.org.people import ensure_hr
from tasks.plan.importer import import_plan
from tasks.plan.versions import adopted_plan, evaluation_items
from tasks.runtime import Runtime
from tests.e2e.test_year_flows import _run_year
from tests.support.org import build_small_org
from tests.support.plan_import import CURRENT_PLAN, write_plan
from web.app import create_app

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]
LINK = re.compile(r"/svar/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")


@pytest.fixture
def organisation(rt: Runtime, tmp_path: Path) -> None:
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
        path = write_plan(tmp_path / "plan-2027.xlsx", CURRENT_PLAN)
        import_plan(session, rt, path, plan_year=2027, now=rt.now(), actor="HR")


@pytest.mark.usefixtures("organisation")
def test_januarys_evaluation_items_are_the_measures_of_the_plan_for_last_year_never_the_one_just_adopted(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    _run_year(rt, clock)
    january = local_moment(date(2028, 1, 3), time(8, 0))
    clock.set(january)
    dispatcher(as_of=january)
    with rt.session() as session:
        just_adopted = adopted_plan(session, 2028)  # adopted December 2027: carried out in 2028, evaluated 2029
        assert just_adopted is not None and (just_adopted.cycle_year, just_adopted.plan_year) == (2027, 2028)
        assert just_adopted.title.startswith("Kompetanseplan 2028")
        evaluated = adopted_plan(session, 2027)  # imported: carried out in 2027, evaluated now
        assert evaluated is not None and evaluated.status == PlanStatus.ADOPTED
        measures = evaluated.content["measures"]
        assert [m["title"] for m in measures] == ["Demensomsorgens ABC", "Legemiddelhåndtering e-læring"]
        units = sorted(
            str(a.unit_id)
            for a in session.exec(
                select(Assignment).join(Phase).join(Cycle).where(Cycle.year == 2028, Phase.key == "january-evaluation")
            )
        )
        assert units == ["V1", "V2", "V3"]
        for unit in units:
            expected = [
                {
                    "measure_key": m["key"],
                    "title": m["title"],
                    # the planned participants, never the planned cost: the actual cost is the leader's to write
                    "planned_participants": sum(r.get("participants", 0) for r in m["requests"] if r["unit"] == unit),
                }
                for m in measures
                if unit in m["units"]
            ]
            assert evaluation_items(session, unit, 2028) == expected
        assert [i["title"] for i in evaluation_items(session, "V1", 2028)] == ["Demensomsorgens ABC"]
        assert [i["title"] for i in evaluation_items(session, "V2", 2028)] == [
            "Demensomsorgens ABC",
            "Legemiddelhåndtering e-læring",
        ]
        assert all("cost" not in i for i in evaluation_items(session, "V2", 2028))  # the leader writes the cost
        assert evaluation_items(session, "V3", 2028) == []  # V3 owns no measure of the plan for 2027
        assert [i["title"] for i in evaluation_items(session, "V1", 2029)] == ["Demensomsorgens ABC"]
        plan_2028 = adopted_plan(session, 2028)  # January 2029 evaluates the plan for 2028, not the imported one
        assert plan_2028 is not None and plan_2028.id != evaluated.id
        assert [i["planned_participants"] for i in evaluation_items(session, "V1", 2029)] == [
            sum(r.get("participants", 0) for r in m["requests"] if r["unit"] == "V1")
            for m in plan_2028.content["measures"]
            if "V1" in m["units"]
        ]
    invitation = next(m for m in reversed(catcher.messages()) if m["To"].addresses[0].addr_spec == "leder1@testvik.no")
    body = invitation.get_body(preferencelist=("plain",))
    assert body is not None and str(invitation["X-Arshjul-Key"]).startswith("invitation:")
    token = LINK.search(body.get_content())
    assert token
    page = TestClient(create_app(rt)).get(f"/svar/{token.group(1)}")
    assert page.status_code == 200
    assert 'value="Demensomsorgens ABC"' in page.text and 'value="demens::demensomsorgens abc"' in page.text
