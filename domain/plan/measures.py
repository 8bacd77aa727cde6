"""Measures asked for by several units merged into one (same area and title), keeping who asked and at what cost."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from domain.forms import Measure

Priorities = Mapping[str, Mapping[str, int]]  # sector id -> measure key -> 1..3, or 0: the kommunalsjef left it out
LEFT_OUT = 0


def measure_key(area: str, title: str) -> str:
    """Two units asking for the same measure in the same area ask for one merged measure."""
    return f"{' '.join(area.lower().split())}::{' '.join(title.lower().split())}"


def normalised_measure(raw: dict[str, Any]) -> dict[str, Any]:
    """A measure as the form defines it: every field present, whitespace trimmed."""
    return Measure.model_validate(raw).model_dump(mode="json")


def merge_measures(
    requests: Iterable[tuple[dict[str, Any], str, str, str, str]], priorities: Priorities
) -> list[dict[str, Any]]:
    """Merge (measure, unit, unit name, sector id, sector) requests; a sector's priority overrides its units'."""
    merged: dict[str, dict[str, Any]] = {}
    for raw, unit_id, unit_name, sector_id, sector in requests:
        measure = normalised_measure(raw)
        key = measure_key(measure["area"], measure["title"])
        chosen = priorities.get(sector_id, {}).get(key)
        if chosen == LEFT_OUT:
            continue
        entry = merged.get(key)
        if entry is None:
            entry = merged[key] = {**measure, "key": key, "cost": 0, "requests": [], "sector_priorities": {}}
        entry["requests"].append(
            {
                "unit": unit_id,
                "unit_name": unit_name,
                "sector": sector,
                "cost": measure["cost"],
                "priority": measure["priority"],
                "funding": measure["funding"],
            }
        )
        entry["cost"] += measure["cost"]
        entry["substitutes"] = entry["substitutes"] or measure["substitutes"]
        if chosen is not None:
            entry["sector_priorities"][sector] = chosen
    return sorted((_finish(m) for m in merged.values()), key=lambda m: (m["priority"], m["area"], m["title"]))


def _finish(entry: dict[str, Any]) -> dict[str, Any]:
    requests = entry["requests"]
    unit_priority = min(r["priority"] for r in requests)
    chosen = entry["sector_priorities"]
    return {
        **entry,
        "units": [r["unit"] for r in requests],
        "unit_names": [r["unit_name"] for r in requests],
        "sectors": list(dict.fromkeys(r["sector"] for r in requests)),
        "funding": ", ".join(dict.fromkeys(r["funding"] for r in requests)),
        "unit_priority": unit_priority,
        "priority": min(chosen.values()) if chosen else unit_priority,
        "prioritised_by": "kommunalsjef" if chosen else "enhet",
    }


def sector_requests(measures: Iterable[dict[str, Any]], sector: str) -> list[dict[str, Any]]:
    """The merged measures a sector's units asked for, with the sector's own share of units and cost."""
    result = []
    for m in measures:
        own = [r for r in m["requests"] if r["sector"] == sector]
        if own:
            result.append({**m, "own_units": [r["unit_name"] for r in own], "own_cost": sum(r["cost"] for r in own)})
    return result
