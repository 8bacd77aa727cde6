"""Cross-field checks of a validated answer: an empty evaluation, what was not carried out, funding, the frame."""

from __future__ import annotations

from typing import Any

import pytest

from domain.form_checks import Problem, problems
from domain.form_labels import form_label
from domain.forms import EvaluationAnswer, InputAnswer
from domain.plan.frame import plan_frame
from tasks.answers.submission import IncompleteAnswer, normalised


def _item(**fields: Any) -> dict[str, Any]:
    done = {"title": "Demensomsorgens ABC", "carried_out": "gjennomført", "participants": 12, "cost": 40_000}
    return {**done, "goal_attainment": "nådd", "next_step": "fortsette", **fields}


def _found(items: list[dict[str, Any]], **answer: Any) -> list[tuple[tuple[str | int, ...], str]]:
    return [(p.loc, p.key) for p in problems(EvaluationAnswer.model_validate({"items": items, **answer}))]


def test_an_evaluation_with_no_item_and_no_reason_is_refused_with_a_sentence() -> None:
    assert _found([]) == [((), "check.evaluation_empty")]
    assert _found([], no_items_reason="Enheten ble opprettet i desember.") == []
    with pytest.raises(IncompleteAnswer, match="Evalueringen er tom"):
        normalised("evaluation", {"items": []})


def test_a_fully_assessed_item_passes() -> None:
    assert _found([_item()]) == []
    assert _found([_item(reached_learning=True, assessed_how="Spørreskjema etter kurset")]) == []


def test_not_carried_out_with_33_participants_is_asked_about() -> None:
    item = _item(carried_out="ikke", participants=33, cost=None, goal_attainment=None, why_not="Ingen kursholder")
    assert _found([item]) == [(("items", 0, "participants"), "check.not_done_participants")]
    (problem,) = problems(EvaluationAnswer.model_validate({"items": [item]}))
    message = (form_label(problem.key, "nb") or "").format(**problem.params)
    assert "«ikke gjennomført», men har 33 deltakere" in message
    with pytest.raises(IncompleteAnswer, match="Tiltak 1: Tiltaket er merket «ikke gjennomført», men har 33"):
        normalised("evaluation", {"items": [item]})


def test_every_other_evaluation_rule_names_its_field() -> None:
    found = _found(
        [
            _item(carried_out="delvis", cost=None, goal_attainment=None),  # why not, actual cost, goal attainment
            _item(carried_out="ikke", participants=0, cost=5_000, reached_benefit=True, why_not="Avlyst"),
            _item(participants=0, reached_reaction=True, deviation="Flyttet til høsten"),
        ]
    )
    assert found == [
        (("items", 0, "why_not"), "check.why_not"),
        (("items", 0, "cost"), "check.actual_cost"),
        (("items", 0, "goal_attainment"), "check.goal_attainment"),
        (("items", 1, "cost"), "check.not_done_cost"),
        (("items", 1, "reached_reaction"), "check.not_done_levels"),
        (("items", 1, "assessed_how"), "check.assessed_how"),
        (("items", 2, "participants"), "check.done_no_participants"),
        (("items", 2, "assessed_how"), "check.assessed_how"),
        (("items", 2, "consequence"), "check.consequence"),
    ]


def _input(*measures: dict[str, Any], **extra: Any) -> InputAnswer:
    return InputAnswer.model_validate({"requirements": "Krav", "holdings": "Har", "measures": list(measures), **extra})


def _measure(**fields: Any) -> dict[str, Any]:
    return {"area": "Demens", "goal": "Bedre demensomsorg", "title": "Demensomsorgens ABC", "cost": 50_000, **fields}


def test_mixed_funding_adds_up_and_names_its_second_source() -> None:
    both = _measure(
        funding="OU-midler", funding_amount=30_000, funding_other="Kompetanse for kvalitet", funding_other_amount=20_000
    )
    assert problems(_input(both)) == []
    assert _input(both).measures[0].funding_shares() == {"OU-midler": 30_000, "Kompetanse for kvalitet": 20_000}
    rest = _measure(funding="eget budsjett", funding_other="OU-midler", funding_other_amount=10_000)
    assert _input(rest).measures[0].funding_shares() == {"eget budsjett": 40_000, "OU-midler": 10_000}
    over = _measure(funding_amount=40_000, funding_other="fond", funding_other_amount=20_000)
    no_source = _measure(funding_other_amount=10_000)
    assert problems(_input(over, no_source)) == [
        Problem(("measures", 0, "funding_amount"), "check.funding_over_cost", {"total": 60_000, "cost": 50_000}),
        Problem(("measures", 1, "funding_other"), "check.funding_source"),
    ]


def test_areas_come_from_the_plan_frame_and_education_wishes_say_which() -> None:
    lists = plan_frame(None, "Testvik kommune").choice_lists()
    assert "Demens" in lists["competence_areas"] and "Faglig kvalitet" in lists["focus_areas"]
    typo = _measure(area="Demenns", focus_area="Faglig kvalitet")
    outside = _measure(focus_area="Noe annet")
    wish = {"education_count": 3}
    assert [(p.loc, p.key) for p in problems(_input(typo, outside, **wish), lists)] == [
        (("education_kind",), "check.education_kind"),
        (("measures", 0, "area"), "check.not_in_frame"),
        (("measures", 1, "focus_area"), "check.not_in_frame"),
    ]
    extended = plan_frame({**_frame_data(), "competence_areas": ["Demenns"]}, "Testvik kommune").choice_lists()
    assert extended["competence_areas"] == ("Demenns",)


def _frame_data() -> dict[str, Any]:
    from domain.plan.frame import DEFAULT_FRAME

    return {k: v for k, v in DEFAULT_FRAME.items() if k != "competence_areas"}


def test_every_measure_of_last_year_s_plan_must_be_assessed_unless_the_unit_says_why_not() -> None:
    expected = {"demens::demensomsorgens abc": "Demensomsorgens ABC", "språk::språkløyper": "Språkløyper"}
    answer = EvaluationAnswer.model_validate({"items": [_item(measure_key="demens::demensomsorgens abc")]})
    assert problems(answer, expected=expected) == [Problem((), "check.item_missing", {"title": "Språkløyper"})]
    excused = EvaluationAnswer.model_validate({"items": [], "no_items_reason": "Enheten ble lagt ned i mars."})
    assert problems(excused, expected=expected) == []
