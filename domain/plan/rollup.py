"""Rolling unit answers up to sector and municipality: needs, strategies, merged measures, costs, evaluation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from domain.forms import Carried, Criticality, Horizon, Next, Strategy
from domain.plan.measures import Priorities, measure_key, merge_measures

__all__ = ["UnitAnswer", "group_by", "measure_key", "roll_up_evaluation", "roll_up_input"]


@dataclass(frozen=True)
class UnitAnswer:
    unit_id: str
    unit_name: str
    sector: str
    content: dict[str, Any]
    sector_id: str = ""


def roll_up_input(answers: Iterable[UnitAnswer], priorities: Priorities | None = None) -> dict[str, Any]:
    """The analysis, strategies, merged measures and costs of every unit's input."""
    answers = list(answers)
    requests = [
        (m, a.unit_id, a.unit_name, a.sector_id, a.sector) for a in answers for m in a.content.get("measures", [])
    ]
    measures = merge_measures(requests, priorities or {})
    needs = _needs(answers)
    strategies = Counter(n["strategy"] for a in answers for n in a.content.get("needs", []))
    return {
        "needs": needs,
        "needs_summary": {
            "total": sum(len(n["units"]) for n in needs),
            "by_criticality": _tally((c.value for c in Criticality), needs, "criticality"),
            "by_horizon": _tally((h.value for h in Horizon), needs, "horizon"),
        },
        "strategies": {s.value: strategies[s.value] for s in Strategy if strategies[s.value]},
        "strategy_shares": _shares(strategies),
        "measures": measures,
        "costs": _costs(measures),
        "sectors": _sectors(answers, measures),
    }


def _needs(answers: list[UnitAnswer]) -> list[dict[str, Any]]:
    needs: dict[str, dict[str, Any]] = {}
    for answer in answers:
        for need in answer.content.get("needs", []):
            area = " ".join(need["area"].split())
            entry = needs.setdefault(area.lower(), {"area": area, "units": [], "sectors": [], "counts": []})
            entry["units"].append(answer.unit_name)
            if answer.sector not in entry["sectors"]:
                entry["sectors"].append(answer.sector)
            entry["counts"].append(need)
    return [_need(n) for n in sorted(needs.values(), key=lambda n: (-len(n["units"]), n["area"].lower()))]


def _need(entry: dict[str, Any]) -> dict[str, Any]:
    counts = entry.pop("counts")
    return {
        **entry,
        "criticality": dict(Counter(n["criticality"] for n in counts)),
        "horizon": dict(Counter(n["horizon"] for n in counts)),
        "strategy": dict(Counter(n["strategy"] for n in counts)),
    }


def _tally(keys: Iterable[str], needs: list[dict[str, Any]], field: str) -> dict[str, int]:
    return {key: sum(n[field].get(key, 0) for n in needs) for key in keys}


def _shares(counts: Counter[str]) -> dict[str, float]:
    total = sum(counts.values())
    return {s.value: round(100 * counts[s.value] / total, 1) for s in Strategy if counts[s.value]} if total else {}


def _costs(measures: list[dict[str, Any]]) -> dict[str, Any]:
    by_funding: Counter[str] = Counter()
    by_sector: Counter[str] = Counter()
    for request in (r for m in measures for r in m["requests"]):
        by_funding[request["funding"]] += request["cost"]
        by_sector[request["sector"]] += request["cost"]
    return {
        "by_funding": dict(sorted(by_funding.items())),
        "by_sector": dict(sorted(by_sector.items())),
        "total": sum(by_funding.values()),
    }


def _sectors(answers: list[UnitAnswer], measures: list[dict[str, Any]]) -> list[dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for answer in answers:
        row = rows.setdefault(answer.sector, {"name": answer.sector, "units": 0, "needs": 0, "measures": 0, "cost": 0})
        row["units"] += 1
        row["needs"] += len(answer.content.get("needs", []))
    for m in measures:
        for request in m["requests"]:
            rows[request["sector"]]["measures"] += 1
            rows[request["sector"]]["cost"] += request["cost"]
    return sorted(rows.values(), key=lambda r: r["name"])


def roll_up_evaluation(answers: Iterable[UnitAnswer]) -> dict[str, Any]:
    """January's answers: how much was carried out, and what continues, changes or stops."""
    answers = list(answers)
    items = [{**item, "unit": a.unit_name} for a in answers for item in a.content.get("items", [])]
    by_next = {n.value: [i["title"] for i in items if i["next_step"] == n.value] for n in Next}
    return {
        "carried_out": {c.value: sum(1 for i in items if i["carried_out"] == c.value) for c in Carried},
        "next_steps": {n.value: len(titles) for n, titles in zip(Next, by_next.values(), strict=True)},
        "continue": by_next[Next.CONTINUE.value],
        "change": by_next[Next.CHANGE.value],
        "stop": by_next[Next.STOP.value],
        "participants": sum(int(i.get("participants", 0)) for i in items),
        "cost": sum(int(i.get("cost", 0)) for i in items),
        "items": items,
        "notes": [
            {
                "unit": a.unit_name,
                "deviations": a.content.get("deviations", ""),
                "lessons": a.content.get("lessons", ""),
            }
            for a in answers
            if a.content.get("deviations") or a.content.get("lessons")
        ],
    }


def group_by(items: Iterable[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        grouped[str(item.get(key, ""))].append(item)
    return dict(grouped)
