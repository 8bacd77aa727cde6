"""Per-sector deadlines inside a task step, a second step with the same form counted once, a sector's evaluation."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from domain.aarshjul.workdays import to_local
from domain.models import Assignment, Phase
from domain.plan.content import plan_content
from tasks.cycle.phases import ensure_cycle, open_phase
from tasks.org.people import ensure_hr
from tasks.plan.decision import adopt
from tasks.plan.versions import compile_version, evaluation_items
from tasks.runtime import Runtime
from tests.support.plan_year import INPUTS, YEAR, answer, at, build_two_sectors, phase

SECOND_INPUT = """
  - key: late-input
    title: {nb: Innspill fra skolene, nn: Innspel frå skulane, en: Input from the schools}
    what: {nb: Skolenes innspill, nn: Innspela frå skulane, en: The schools' input}
    audience: [{who: unit_leaders}]
    form: input
    opens: first working day of May
    due: last working day of May
    closes: last working day of June
"""


@pytest.fixture
def two_input_steps(rt: Runtime, tmp_path: Path) -> Runtime:
    """The default årshjul with Oppvekst's own spring deadline and a second step that asks the same input form."""
    text = PACKAGED_AARSHJUL.read_text(encoding="utf-8")
    text = text.replace(
        "    due: last working day before 1 May\n",
        "    due: last working day before 1 May\n"
        "    due_by_sector: {Oppvekst: 10 arbeidsdager etter last working day before 1 May}\n",
    )
    path = tmp_path / "aarshjul.yaml"
    path.write_text(text + SECOND_INPUT, encoding="utf-8")
    rt.aarshjul = load_aarshjul(path)
    with rt.session() as session:
        build_two_sectors(session)
        ensure_hr(session, rt.settings)
        ensure_cycle(session, rt, YEAR, at(1, 1))
        open_phase(session, rt, phase(session, "spring-input"), YEAR, at(3, 1, 8))
    return rt


def test_a_sector_with_its_own_deadline_gets_it_and_the_others_keep_the_step_deadline(two_input_steps: Runtime) -> None:
    with two_input_steps.session() as session:
        rows = session.exec(select(Assignment).join(Phase).where(Phase.key == "spring-input")).all()
        dues = {
            a.unit_id: to_local(a.due_at).strftime("%d.%m %H:%M") for a in rows if a.unit_id and a.unit_id[0] == "V"
        }
    # 30 April 2027 is a Friday; ten working days later is 18 May (Ascension Day 6 May and 17 May are holidays)
    assert dues == {"V1": "30.04 15:00", "V2": "30.04 15:00", "V3": "30.04 15:00", "V4": "18.05 15:00"}


def test_a_unit_that_answers_two_steps_with_the_same_form_is_counted_once(two_input_steps: Runtime) -> None:
    rt = two_input_steps
    with rt.session() as session:
        for email, content in INPUTS.items():
            answer(
                session, rt, email, "spring-input", {"requirements": "Krav", "holdings": "Har", **content}, at(3, 10)
            )
        open_phase(session, rt, phase(session, "late-input"), YEAR, at(5, 3, 8))
        again = {"requirements": "Krav", "holdings": "Har", **INPUTS["leder1@testvik.no"]}
        answer(session, rt, "leder1@testvik.no", "late-input", again, at(5, 10))
        version = compile_version(session, rt, year=YEAR, now=at(9, 1, 8), reason="test")
        plan = plan_content(version.content)
    abc = next(m for m in plan.measures if m.title.lower().startswith("demensomsorgens"))
    assert sorted(abc.units) == ["V1", "V2"]  # V1 answered twice, in two steps: one unit, counted once
    assert len(abc.requests) == 2
    assert plan.needs_summary.total == 4  # V1's two needs, V2's one, V4's one: not V1's twice


def test_a_kommunalsjef_given_the_evaluation_form_sees_the_sectors_measures(two_input_steps: Runtime) -> None:
    rt = two_input_steps
    with rt.session() as session:
        for email, content in INPUTS.items():
            answer(
                session, rt, email, "spring-input", {"requirements": "Krav", "holdings": "Har", **content}, at(3, 10)
            )
        compile_version(session, rt, year=YEAR, now=at(9, 1, 8), reason="test")
        vedtak = {"body": "Kommunestyret", "held_on": "2027-12-09", "kind": "vedtak", "case_number": "2027/1"}
        adopt(session, rt, year=YEAR, handlings=[vedtak], now=at(12, 10), actor="HR")
    with rt.session() as session:
        # January 2029 evaluates the plan for 2028, adopted in December 2027
        sector = sorted(item["title"] for item in evaluation_items(session, "S1", YEAR + 2))
        unit = [item["title"] for item in evaluation_items(session, "V4", YEAR + 2)]
    assert sector == ["Demensomsorgens ABC", "Kurs i journalsystem"]
    assert unit == ["Språkløyper"]
