"""A sector's own part of a plan version's content: its units' needs, requests, costs and evaluations."""

from __future__ import annotations

from collections.abc import Collection, Iterable

from domain.plan.content import Costs, PlanContent, PlanEvaluation, PlannedMeasure, PlanNeed


def sector_content(content: PlanContent, sector: str, units: Collection[str]) -> PlanContent:
    """The plan as the sector's sub-plan prints it: only `sector`'s requests under each measure (with their cost and
    people), the needs its units (by name) named, and the evaluations they gave. Nothing is stored."""
    measures = [m for m in (_own(m, sector) for m in content.measures) if m is not None]
    needs = [
        PlanNeed(**{**n.model_dump(), "units": [u for u in n.units if u in units], "sectors": [sector]})
        for n in content.needs
        if any(u in units for u in n.units)
    ]
    by_funding: dict[str, int] = {}
    for m in measures:
        for r in m.requests:
            for source, amount in (r.funding_shares or {r.funding: r.cost}).items():
                by_funding[source] = by_funding.get(source, 0) + amount
    total = sum(m.cost for m in measures)
    items = [i for i in content.evaluation.items if i.unit in units]
    evaluation = PlanEvaluation(
        items=items,
        notes=[n for n in content.evaluation.notes if n.unit in units],
        participants=sum(i.participants for i in items),
        planned_participants=sum(i.planned_participants for i in items),
        cost=sum(i.cost for i in items),
        carried_out=_count(i.carried_out for i in items),
        levels=_count(level for i in items for level in i.levels),
    )
    return content.model_copy(
        update={
            "measures": measures,
            "needs": needs,
            "needs_summary": content.needs_summary.model_copy(update={"total": sum(len(n.units) for n in needs)}),
            "sectors": [s for s in content.sectors if s.name == sector],
            "costs": Costs(by_funding=by_funding, by_sector={sector: total} if total else {}, total=total),
            "evaluation": evaluation,
            "education": [w for w in content.education if w.unit_name in units],
            "union_input": [],
            "consultation": [],
        }
    )


def _own(m: PlannedMeasure, sector: str) -> PlannedMeasure | None:
    own = [r for r in m.requests if r.sector == sector]
    if not own:
        return None
    totals: dict[str, int] = {}
    for r in own:
        for source, amount in r.funding_shares.items():
            totals[source] = totals.get(source, 0) + amount
    return m.model_copy(
        update={
            "requests": own,
            "cost": sum(r.cost for r in own),
            "participants": sum(r.participants for r in own),
            "unit_names": [r.unit_name for r in own],
            "units": [r.unit for r in own],
            "sectors": [sector],
            "funding_totals": totals,
            "priority": m.sector_priorities.get(sector, min(r.priority for r in own)),
        }
    )


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        if value:
            counts[value] = counts.get(value, 0) + 1
    return counts
