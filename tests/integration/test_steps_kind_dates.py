"""Per-unit-kind deadlines inside a task step: a unit's kind date wins over its sector's, each unit asked once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from sqlmodel import select

from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from domain.aarshjul.workdays import to_local
from domain.models import Assignment, OrgUnit, Phase
from domain.plan.content import plan_content
from tasks.cycle.phases import ensure_cycle, open_phase
from tasks.org.people import ensure_hr
from tasks.plan.versions import compile_version
from tasks.runtime import Runtime
from tests.support.plan_year import INPUTS, YEAR, answer, at, build_two_sectors, phase

DUE = "    due: last working day before 1 May\n"
OWN_DATES = (
    "    due_by_sector: {Oppvekst: 10 arbeidsdager etter last working day before 1 May}\n"
    "    due_by_kind: {Skole: 15 arbeidsdager etter last working day before 1 May}\n"
)


@pytest.fixture
def kind_dates(rt: Runtime, tmp_path: Path) -> Runtime:
    """The default årshjul with Oppvekst's own deadline and a later one for schools, whatever their sector."""
    path = tmp_path / "aarshjul.yaml"
    path.write_text(PACKAGED_AARSHJUL.read_text(encoding="utf-8").replace(DUE, DUE + OWN_DATES), encoding="utf-8")
    rt.aarshjul = load_aarshjul(path)
    with rt.session() as session:
        build_two_sectors(session)
        for unit_id, kind in (("V2", "skole"), ("V3", "barnehage"), ("V4", "skole")):
            unit = session.get(OrgUnit, unit_id)
            assert unit is not None
            unit.kind = kind
        ensure_hr(session, rt.settings)
        ensure_cycle(session, rt, YEAR, at(1, 1))
        open_phase(session, rt, phase(session, "spring-input"), YEAR, at(3, 1, 8))
    return rt


def test_a_unit_kind_deadline_wins_over_the_sector_and_each_unit_is_counted_once(kind_dates: Runtime) -> None:
    rt = kind_dates
    with rt.session() as session:
        rows = session.exec(select(Assignment).join(Phase).where(Phase.key == "spring-input")).all()
        units = [a.unit_id for a in rows if a.unit_id and a.unit_id[0] == "V"]
        dues = {a.unit_id: to_local(a.due_at).strftime("%d.%m") for a in rows if a.unit_id in units}
        for email, content in INPUTS.items():
            answer(
                session, rt, email, "spring-input", {"requirements": "Krav", "holdings": "Har", **content}, at(3, 10)
            )
        plan = plan_content(compile_version(session, rt, year=YEAR, now=at(9, 1, 8), reason="test").content)
    assert Counter(units) == {"V1": 1, "V2": 1, "V3": 1, "V4": 1}  # one task per unit, whatever date it got
    # V2 is a school in Helse og omsorg and V4 a school in Oppvekst: the kind's date wins over the sector's 18.05;
    # 15 working days after Friday 30 April 2027 (Ascension Day 6 May; 17 May is also Whit Monday) is 25 May.
    assert dues == {"V1": "30.04", "V2": "25.05", "V3": "30.04", "V4": "25.05"}
    abc = next(m for m in plan.measures if m.title.lower().startswith("demensomsorgens"))
    assert sorted(abc.units) == ["V1", "V2"]
    assert plan.needs_summary.total == 4
