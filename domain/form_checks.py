"""Rules across fields of a validated answer, as (where, label key, parameters): said the same on the page and in a
refusal. Messages are `check.*` keys in `domain/form_labels.yaml`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.forms import Carried, EvaluationAnswer, EvaluationItem, Form, InputAnswer

Lists = Mapping[str, tuple[str, ...]]  # the plan frame's choice lists: competence_areas, focus_areas


@dataclass(frozen=True)
class Problem:
    loc: tuple[str | int, ...]  # () for the whole answer, ("items", 0, "cost") for a field of a row
    key: str
    params: dict[str, Any] = field(default_factory=dict)


def problems(answer: Form, lists: Lists | None = None, expected: Mapping[str, str] | None = None) -> list[Problem]:
    """Everything that does not add up in a validated answer; empty when it may be submitted.

    `expected` is the evaluation's items from last year's plan (measure key -> title): each must be assessed.
    """
    if isinstance(answer, EvaluationAnswer):
        return _evaluation(answer) + _missing(answer, expected or {})
    if isinstance(answer, InputAnswer):
        return _input(answer, lists)
    return []


def _evaluation(answer: EvaluationAnswer) -> list[Problem]:
    if not answer.items and not answer.no_items_reason:
        return [Problem((), "check.evaluation_empty")]
    found: list[Problem] = []
    for index, item in enumerate(answer.items):
        found += [Problem(("items", index, name), key, params) for name, key, params in _item(item)]
    return found


def _missing(answer: EvaluationAnswer, expected: Mapping[str, str]) -> list[Problem]:
    """Last year's measures the unit removed from its evaluation (unless it says why it had none)."""
    if answer.no_items_reason:
        return []
    present = {item.measure_key for item in answer.items}
    return [Problem((), "check.item_missing", {"title": t}) for key, t in expected.items() if key not in present]


def _item(item: EvaluationItem) -> list[tuple[str, str, dict[str, Any]]]:
    found: list[tuple[str, str, dict[str, Any]]] = []
    done = item.carried_out != Carried.NO
    if item.carried_out != Carried.YES and not item.why_not:
        found.append(("why_not", "check.why_not", {}))
    if not done and item.participants:
        found.append(("participants", "check.not_done_participants", {"participants": item.participants}))
    if not done and item.cost:
        found.append(("cost", "check.not_done_cost", {}))
    if not done and item.levels:
        found.append(("reached_reaction", "check.not_done_levels", {}))
    if item.carried_out == Carried.YES and not item.participants:
        found.append(("participants", "check.done_no_participants", {}))
    if done and item.cost is None:
        found.append(("cost", "check.actual_cost", {}))
    if done and item.goal_attainment is None:
        found.append(("goal_attainment", "check.goal_attainment", {}))
    if item.levels and not item.assessed_how:
        found.append(("assessed_how", "check.assessed_how", {}))
    if item.deviation and not item.consequence:
        found.append(("consequence", "check.consequence", {}))
    return found


def _input(answer: InputAnswer, lists: Lists | None) -> list[Problem]:
    found: list[Problem] = []
    if answer.education_count and not answer.education_kind:
        found.append(Problem(("education_kind",), "check.education_kind"))
    areas = set(lists.get("competence_areas", ())) if lists else set()
    focus = set(lists.get("focus_areas", ())) if lists else set()
    for index, need in enumerate(answer.needs):
        if areas and need.area not in areas:
            found.append(Problem(("needs", index, "area"), "check.not_in_frame"))
    for index, m in enumerate(answer.measures):
        where = ("measures", index)
        if areas and m.area not in areas:
            found.append(Problem((*where, "area"), "check.not_in_frame"))
        if focus and m.focus_area and m.focus_area not in focus:
            found.append(Problem((*where, "focus_area"), "check.not_in_frame"))
        if m.funding_other_amount and m.funding_other is None:
            found.append(Problem((*where, "funding_other"), "check.funding_source"))
        total = m.funding_amount + m.funding_other_amount
        if total > m.cost:
            found.append(
                Problem((*where, "funding_amount"), "check.funding_over_cost", {"total": total, "cost": m.cost})
            )
    return found
