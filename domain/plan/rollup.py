"""Rolling unit answers up to sector and municipality: needs, strategies, merged measures, costs, evaluation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from domain.forms import LEVELS, Carried, Criticality, GoalAttainment, Horizon, Next, Strategy
from domain.plan.content import (
    Costs,
    EducationWish,
    EvaluatedItem,
    EvaluationNote,
    NeedsSummary,
    PlanEvaluation,
    PlannedMeasure,
    PlanNeed,
    RolledInput,
    SectorSummary,
    UnionInput,
)
from domain.plan.measures import Priorities, measure_key, merge_measures

T = TypeVar("T")

__all__ = ["UnitAnswer", "group_by", "measure_key", "roll_up_evaluation", "roll_up_input"]


@dataclass(frozen=True)
class UnitAnswer:
    unit_id: str
    unit_name: str
    sector: str
    content: dict[str, Any]
    sector_id: str = ""
    tillitsvalgt: str = ""  # the tillitsvalgt's name when this is a tillitsvalgt's input, not a unit's


def roll_up_input(answers: Iterable[UnitAnswer], priorities: Priorities | None = None) -> RolledInput:
    """The analysis, strategies, merged measures and costs of the units' input; the tillitsvalgte's beside it."""
    every = list(answers)
    answers = [a for a in every if not a.tillitsvalgt]  # only units are counted, asked and costed
    requests = [
        (m, a.unit_id, a.unit_name, a.sector_id, a.sector) for a in answers for m in a.content.get("measures", [])
    ]
    measures = merge_measures(requests, priorities or {})
    needs = _needs(answers)
    strategies = Counter(n["strategy"] for a in answers for n in a.content.get("needs", []))
    return RolledInput(
        needs=needs,
        needs_summary=NeedsSummary(
            total=sum(len(n.units) for n in needs),
            by_criticality={c.value: sum(n.criticality.get(c.value, 0) for n in needs) for c in Criticality},
            by_horizon={h.value: sum(n.horizon.get(h.value, 0) for n in needs) for h in Horizon},
        ),
        strategies={s.value: strategies[s.value] for s in Strategy if strategies[s.value]},
        strategy_shares=_shares(strategies),
        measures=measures,
        costs=_costs(measures),
        sectors=_sectors(answers, measures),
        union_input=[_union_input(a) for a in every if a.tillitsvalgt],
        education=[
            EducationWish(
                unit_name=a.unit_name,
                count=int(a.content.get("education_count") or 0),
                kind=str(a.content.get("education_kind") or ""),
                start=str(a.content.get("education_start") or ""),
            )
            for a in answers
            if a.content.get("education_count")
        ],
    )


def _union_input(answer: UnitAnswer) -> UnionInput:
    content = answer.content
    return UnionInput(
        name=answer.tillitsvalgt,
        scope=answer.unit_name,
        requirements=str(content.get("requirements") or ""),
        holdings=str(content.get("holdings") or ""),
        needs=[str(n.get("area", "")) for n in content.get("needs", [])],
        measures=[str(m.get("title", "")) for m in content.get("measures", [])],
    )


def _needs(answers: list[UnitAnswer]) -> list[PlanNeed]:
    needs: dict[str, tuple[PlanNeed, list[dict[str, Any]]]] = {}
    for answer in answers:
        for need in answer.content.get("needs", []):
            area = " ".join(need["area"].split())
            entry, counts = needs.setdefault(area.lower(), (PlanNeed(area=area), []))
            entry.units.append(answer.unit_name)
            if answer.sector not in entry.sectors:
                entry.sectors.append(answer.sector)
            counts.append(need)
    for entry, counts in needs.values():
        entry.criticality = dict(Counter(n["criticality"] for n in counts))
        entry.horizon = dict(Counter(n["horizon"] for n in counts))
        entry.strategy = dict(Counter(n["strategy"] for n in counts))
    return sorted((n for n, _ in needs.values()), key=lambda n: (-len(n.units), n.area.lower()))


def _shares(counts: Counter[str]) -> dict[str, float]:
    total = sum(counts.values())
    return {s.value: round(100 * counts[s.value] / total, 1) for s in Strategy if counts[s.value]} if total else {}


def _costs(measures: list[PlannedMeasure]) -> Costs:
    by_funding: Counter[str] = Counter()
    by_sector: Counter[str] = Counter()
    for request in (r for m in measures for r in m.requests):
        for source, amount in (request.funding_shares or {request.funding: request.cost}).items():
            by_funding[source] += amount
        by_sector[request.sector] += request.cost
    return Costs(
        by_funding=dict(sorted(by_funding.items())),
        by_sector=dict(sorted(by_sector.items())),
        total=sum(by_funding.values()),
    )


def _sectors(answers: list[UnitAnswer], measures: list[PlannedMeasure]) -> list[SectorSummary]:
    rows: dict[str, SectorSummary] = {}
    for answer in answers:
        row = rows.setdefault(answer.sector, SectorSummary(name=answer.sector))
        row.units += 1
        row.needs += len(answer.content.get("needs", []))
    for m in measures:
        for request in m.requests:
            rows[request.sector].measures += 1
            rows[request.sector].cost += request.cost
    return sorted(rows.values(), key=lambda r: r.name)


def roll_up_evaluation(answers: Iterable[UnitAnswer]) -> PlanEvaluation:
    """January's answers: how much was carried out, with whom, at what cost and effect, and what happens next."""
    answers = list(answers)
    items = [_evaluated(item, a.unit_name) for a in answers for item in a.content.get("items", [])]
    by_next = {n.value: [i.title for i in items if i.next_step == n.value] for n in Next}
    attained = Counter(i.goal_attainment for i in items if i.goal_attainment)
    reached = Counter(level for i in items for level in i.levels)
    return PlanEvaluation(
        carried_out={c.value: sum(1 for i in items if i.carried_out == c.value) for c in Carried},
        next_steps={n.value: len(titles) for n, titles in zip(Next, by_next.values(), strict=True)},
        continue_=by_next[Next.CONTINUE.value],
        change=by_next[Next.CHANGE.value],
        stop=by_next[Next.STOP.value],
        participants=sum(i.participants for i in items),
        cost=sum(i.cost for i in items),
        items=items,
        notes=[
            EvaluationNote(
                unit=a.unit_name,
                deviations=a.content.get("deviations", ""),
                lessons=a.content.get("lessons", ""),
                no_items_reason=a.content.get("no_items_reason", ""),
            )
            for a in answers
            if a.content.get("deviations") or a.content.get("lessons") or a.content.get("no_items_reason")
        ],
        planned_participants=sum(i.planned_participants for i in items),
        goal_attainment={g.value: attained[g.value] for g in GoalAttainment if attained[g.value]},
        levels={level.value: reached[level.value] for level in LEVELS.values() if reached[level.value]},
    )


def _evaluated(item: dict[str, Any], unit: str) -> EvaluatedItem:
    """One stored item: the ticked levels as a list, an actual cost not given as 0."""
    levels = [level.value for name, level in LEVELS.items() if item.get(name)]
    given = {"cost": item.get("cost") or 0, "goal_attainment": item.get("goal_attainment") or ""}
    return EvaluatedItem(**{**item, **given, "levels": levels, "unit": unit})


def group_by(items: Iterable[T], key: Callable[[T], str]) -> dict[str, list[T]]:
    grouped: dict[str, list[T]] = defaultdict(list)
    for item in items:
        grouped[key(item)].append(item)
    return dict(grouped)
