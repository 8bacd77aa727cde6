"""The loop across years: a year runs through the real flows, and next January evaluates exactly what was adopted."""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from domain.aarshjul.workdays import local_moment
from domain.clock import ManualClock
from domain.models import Assignment, Cycle, Phase, PlanStatus
from flows.dispatcher import dispatcher
from notifications.catcher import MailCatcher
from tasks.org.people import ensure_hr
from tasks.plan.versions import adopted_version, evaluation_items
from tasks.runtime import Runtime
from tests.e2e.test_year_flows import _run_year
from tests.support.org import build_small_org
from web.app import create_app

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]
LINK = re.compile(r"/svar/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")


@pytest.fixture
def organisation(rt: Runtime) -> None:
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)


@pytest.mark.usefixtures("organisation")
def test_next_januarys_evaluation_items_are_the_measures_each_unit_had_adopted(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    _run_year(rt, clock)
    january = local_moment(date(2028, 1, 3), time(8, 0))
    clock.set(january)
    dispatcher(as_of=january)
    with rt.session() as session:
        adopted = adopted_version(session, 2027)
        assert adopted is not None and adopted.status == PlanStatus.ADOPTED
        measures = adopted.content["measures"]
        assert [m["title"] for m in measures] == ["Demensomsorgens ABC"]
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
        assert evaluation_items(session, "V3", 2028) == []  # V3 never sent input, so it has nothing to evaluate
    invitation = next(m for m in reversed(catcher.messages()) if m["To"].addresses[0].addr_spec == "leder1@testvik.no")
    body = invitation.get_body(preferencelist=("plain",))
    assert body is not None and str(invitation["X-Arshjul-Key"]).startswith("invitation:")
    token = LINK.search(body.get_content())
    assert token
    page = TestClient(create_app(rt)).get(f"/svar/{token.group(1)}")
    assert page.status_code == 200
    assert 'value="Demensomsorgens ABC"' in page.text and 'value="demens::demensomsorgens abc"' in page.text
