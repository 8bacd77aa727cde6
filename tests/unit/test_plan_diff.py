"""Comparing two plan versions: measures and needs added, removed and changed, costs, strategies, and text."""

from __future__ import annotations

from typing import Any

from domain.plan.content import PlanContent
from domain.plan.diff import AmountChange, FieldChange, diff_plans, summary_lines, text_diff
from domain.plan.rollup import UnitAnswer, roll_up_evaluation, roll_up_input
from domain.plan.text import render_plan


def _content(*answers: UnitAnswer) -> PlanContent:
    return PlanContent(
        municipality="Testvik kommune",
        plan_year=2028,
        title="Kompetanseplan 2028 for Testvik kommune",
        **dict(roll_up_input(answers)),
        evaluation=roll_up_evaluation([]),
        consultation=[],
    )


def _unit(unit: str, needs: list[dict[str, str]], measures: list[dict[str, Any]]) -> UnitAnswer:
    return UnitAnswer(unit, f"Enhet {unit}", "Helse", {"needs": needs, "measures": measures}, "S1")


DEMENS = {"area": "Demens", "criticality": "høy", "horizon": "kort", "strategy": "utvikle"}
ABC = {"area": "Demens", "goal": "Bedre demensomsorg", "title": "Demensomsorgens ABC", "cost": 50_000}
KURS = {"area": "Digital", "goal": "Alle bruker journalen", "title": "Journalkurs", "cost": 20_000}
OLD = _content(_unit("V1", [DEMENS], [ABC, KURS]))


def test_identical_versions_have_no_differences() -> None:
    diff = diff_plans(OLD, OLD)
    assert diff.empty
    assert summary_lines(diff) == ["Ingen forskjeller i tekst, tiltak, behov, kostnader, strategier eller merknader."]
    assert text_diff(render_plan(OLD), render_plan(OLD), "versjon 1", "versjon 2") == ""


def test_added_removed_and_changed_measures_with_the_fields_that_changed() -> None:
    veiledning = {"area": "Ledelse", "goal": "Trygge ledere", "title": "Veiledning", "cost": 10_000}
    changed_abc = {**ABC, "cost": 60_000, "period": "Høst 2028"}
    new = _content(
        _unit("V1", [DEMENS], [changed_abc, veiledning]),
        _unit("V2", [{**DEMENS, "criticality": "lav"}], [{**ABC, "cost": 0}]),
    )
    diff = diff_plans(OLD, new)
    assert [m.title for m in diff.measures_added] == ["Veiledning"]
    assert [m.title for m in diff.measures_removed] == ["Journalkurs"]
    (abc,) = diff.measures_changed
    assert abc.key == "demens::demensomsorgens abc" and abc.title == "Demensomsorgens ABC"
    assert abc.changes == (
        FieldChange("period", "Tidsrom", "", "Høst 2028"),
        FieldChange("cost", "Kostnad", "50 000 kr", "60 000 kr"),
        FieldChange("unit_names", "Meldt inn av", "Enhet V1", "Enhet V1, Enhet V2"),
    )
    (demens,) = diff.needs_changed
    assert [(c.field, c.old, c.new) for c in demens.changes] == [
        ("units", "Enhet V1", "Enhet V1, Enhet V2"),
        ("criticality", "høy 1", "høy 1, lav 1"),
        ("horizon", "kort 1", "kort 2"),
        ("strategy", "utvikle 1", "utvikle 2"),
    ]
    assert diff.needs_added == () and diff.strategies == (AmountChange("utvikle", 1, 2),)
    assert "samlet" not in [c.label for c in diff.costs]  # 60 000 + 10 000 is what 50 000 + 20 000 was


def test_cost_changes_are_listed_for_the_total_funding_and_sector() -> None:
    new = _content(_unit("V1", [DEMENS], [{**ABC, "cost": 80_000, "funding": "fond"}]))
    diff = diff_plans(OLD, new)
    assert diff.costs == (
        AmountChange("samlet", 70_000, 80_000),
        AmountChange("finansiering eget budsjett", 70_000, 0),
        AmountChange("finansiering fond", 0, 80_000),
        AmountChange("sektor Helse", 70_000, 80_000),
    )
    (abc,) = diff.measures_changed
    assert [(c.label, c.old, c.new) for c in abc.changes] == [
        ("Kostnad", "50 000 kr", "80 000 kr"),
        ("Finansiering", "eget budsjett", "fond"),
    ]
    assert "Endret tiltak: Demensomsorgens ABC: Kostnad «50 000 kr» → «80 000 kr»" in summary_lines(diff)[1]
    assert "Fjernet tiltak: Journalkurs (Digital)" in summary_lines(diff)


def test_the_text_diff_is_a_unified_diff_of_the_rendered_plans() -> None:
    new = _content(_unit("V1", [DEMENS], [ABC]))
    text = text_diff(render_plan(OLD), render_plan(new), "versjon 1", "versjon 2")
    assert text.startswith("--- versjon 1\n+++ versjon 2\n@@")
    assert "\n-| Alle bruker journalen | Journalkurs |" in text
    assert "\n+" in text
