"""Rolling unit answers up to the municipality: needs, strategies, merged measures, costs, evaluation."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class UnitAnswer:
    unit_id: str
    unit_name: str
    sector: str
    content: dict[str, Any]


def measure_key(area: str, title: str) -> str:
    """Two units asking for the same measure in the same area ask for one merged measure."""
    return f"{' '.join(area.lower().split())}::{' '.join(title.lower().split())}"


def roll_up_input(answers: Iterable[UnitAnswer]) -> dict[str, Any]:
    needs: dict[str, dict[str, Any]] = {}
    strategies: Counter[str] = Counter()
    measures: dict[str, dict[str, Any]] = {}
    by_funding: Counter[str] = Counter()
    by_sector: Counter[str] = Counter()
    for answer in answers:
        for need in answer.content.get("needs", []):
            entry = needs.setdefault(
                need["area"].strip(),
                {"area": need["area"].strip(), "units": [], "criticality": Counter(), "horizon": Counter()},
            )
            entry["units"].append(answer.unit_name)
            entry["criticality"][need["criticality"]] += 1
            entry["horizon"][need["horizon"]] += 1
            strategies[need["strategy"]] += 1
        for measure in answer.content.get("measures", []):
            _merge_measure(measures, measure, answer)
            by_funding[measure["funding"]] += measure["cost"]
            by_sector[answer.sector] += measure["cost"]
    return {
        "needs": [_plain(n) for n in sorted(needs.values(), key=lambda n: (-len(n["units"]), n["area"]))],
        "strategies": dict(sorted(strategies.items())),
        "measures": sorted(measures.values(), key=lambda m: (m["priority"], m["area"], m["title"])),
        "costs": {
            "by_funding": dict(sorted(by_funding.items())),
            "by_sector": dict(sorted(by_sector.items())),
            "total": sum(by_funding.values()),
        },
    }


def _merge_measure(measures: dict[str, dict[str, Any]], measure: dict[str, Any], answer: UnitAnswer) -> None:
    key = measure_key(measure["area"], measure["title"])
    merged = measures.get(key)
    if merged is None:
        measures[key] = {
            **measure,
            "key": key,
            "units": [answer.unit_id],
            "unit_names": [answer.unit_name],
            "sectors": [answer.sector],
        }
        return
    merged["cost"] += measure["cost"]
    merged["priority"] = min(merged["priority"], measure["priority"])
    merged["substitutes"] = merged["substitutes"] or measure["substitutes"]
    merged["units"].append(answer.unit_id)
    merged["unit_names"].append(answer.unit_name)
    if answer.sector not in merged["sectors"]:
        merged["sectors"].append(answer.sector)


def roll_up_evaluation(answers: Iterable[UnitAnswer]) -> dict[str, Any]:
    carried: Counter[str] = Counter()
    next_steps: Counter[str] = Counter()
    items = []
    for answer in answers:
        for item in answer.content.get("items", []):
            carried[item["carried_out"]] += 1
            next_steps[item["next_step"]] += 1
            items.append({**item, "unit": answer.unit_name})
    return {"carried_out": dict(carried), "next_steps": dict(next_steps), "items": items}


def _plain(need: dict[str, Any]) -> dict[str, Any]:
    return {**need, "criticality": dict(need["criticality"]), "horizon": dict(need["horizon"])}


def group_by(items: Iterable[dict[str, Any]], key: str) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        grouped[str(item.get(key, ""))].append(item)
    return dict(grouped)
