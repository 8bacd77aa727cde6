"""Measures asked for by several units merged into one (same area and title), keeping who asked and at what cost."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.forms import Measure
from domain.plan.content import PlannedMeasure, SectorMeasure, UnitRequest

Priorities = Mapping[str, Mapping[str, int]]  # sector id -> measure key -> 1..3, or 0: the kommunalsjef left it out
LEFT_OUT = 0


def measure_key(area: str, title: str) -> str:
    """Two units asking for the same measure in the same area ask for one merged measure."""
    return f"{' '.join(area.lower().split())}::{' '.join(title.lower().split())}"


# The merged measure's own text is the first unit's; every unit's own text stays on its request.
MERGED_TEXT = frozenset({"area", "goal", "title", "target_group", "arena", "period", "responsible", "focus_area"})
JOINED_TEXT = ("target_group", "arena", "period", "responsible")  # short enough to list every unit's in one cell


def _totals(shares: Iterable[dict[str, int]]) -> dict[str, int]:
    """Amounts per funding source over several requests, sources in the order first named."""
    totals: dict[str, int] = {}
    for share in shares:
        for source, amount in share.items():
            totals[source] = totals.get(source, 0) + amount
    return totals


def unit_request(measure: Measure, unit_id: str, unit_name: str, sector: str) -> UnitRequest:
    """One unit's request as it wrote it: its own goal, target group, scope, period, people, cost and funding."""
    return UnitRequest(
        unit=unit_id,
        unit_name=unit_name,
        sector=sector,
        cost=measure.cost,
        priority=measure.priority,
        funding=measure.funding.value,
        goal=measure.goal,
        target_group=measure.target_group,
        arena=measure.arena,
        period=measure.period,
        responsible=measure.responsible,
        participants=measure.participants,
        cost_type=measure.cost_type.value,
        sessions=measure.sessions,
        funding_shares=measure.funding_shares(),
    )


@dataclass
class _Merging:
    """A merged measure while its requests are gathered: the first unit's text, every unit's request."""

    first: Measure
    key: str
    requests: list[UnitRequest] = field(default_factory=list)
    sector_priorities: dict[str, int] = field(default_factory=dict)
    substitutes: bool = False

    def finish(self) -> PlannedMeasure:
        requests = self.requests
        unit_priority = min(r.priority for r in requests)
        chosen = self.sector_priorities
        text = self.first.model_dump(mode="json", include=set(MERGED_TEXT))
        for name in JOINED_TEXT:  # "Helsefagarbeidere; Sykepleiere": every unit's, once each
            text[name] = "; ".join(dict.fromkeys(v for r in requests if (v := getattr(r, name)))) or text[name]
        return PlannedMeasure(
            **text,
            cost=sum(r.cost for r in requests),
            participants=sum(r.participants for r in requests),
            funding_totals=_totals(r.funding_shares for r in requests),
            priority=min(chosen.values()) if chosen else unit_priority,
            funding=", ".join(dict.fromkeys(r.funding for r in requests)),
            substitutes=self.substitutes,
            key=self.key,
            requests=requests,
            sector_priorities=chosen,
            units=[r.unit for r in requests],
            unit_names=[r.unit_name for r in requests],
            sectors=list(dict.fromkeys(r.sector for r in requests)),
            unit_priority=unit_priority,
            prioritised_by="kommunalsjef" if chosen else "enhet",
        )


def merge_measures(
    requests: Iterable[tuple[dict[str, Any], str, str, str, str]], priorities: Priorities
) -> list[PlannedMeasure]:
    """Merge (measure, unit, unit name, sector id, sector) requests; a sector's priority overrides its units'."""
    merged: dict[str, _Merging] = {}
    for raw, unit_id, unit_name, sector_id, sector in requests:
        measure = Measure.model_validate(raw)  # every field present, whitespace trimmed
        key = measure_key(measure.area, measure.title)
        chosen = priorities.get(sector_id, {}).get(key)
        if chosen == LEFT_OUT:
            continue
        entry = merged.setdefault(key, _Merging(measure, key))
        entry.requests.append(unit_request(measure, unit_id, unit_name, sector))
        entry.substitutes = entry.substitutes or measure.substitutes
        if chosen is not None:
            entry.sector_priorities[sector] = chosen
    return sorted((m.finish() for m in merged.values()), key=lambda m: (m.priority, m.area, m.title))


def sector_requests(
    measures: Iterable[PlannedMeasure], sector: str, chosen: Mapping[str, int] | None = None
) -> list[SectorMeasure]:
    """The merged measures a sector's units asked for, with the sector's own share and its kommunalsjef's choice."""
    result = []
    for m in measures:
        own = [r for r in m.requests if r.sector == sector]
        if own:
            result.append(
                SectorMeasure(
                    **dict(m),
                    own_units=[r.unit_name for r in own],
                    own_cost=sum(r.cost for r in own),
                    chosen=(chosen or {}).get(m.key),
                )
            )
    return result
