"""The plan as readable text (Markdown, Norwegian bokmål): what HR reads, diffs and sends out."""

from __future__ import annotations

from typing import Any

STRATEGY_NAMES = {
    "mobilisere": "Mobilisere",
    "utvikle": "Utvikle",
    "rekruttere": "Rekruttere",
    "avvikle": "Avvikle",
}
COLUMNS = (
    "Mål",
    "Tiltak",
    "Målgruppe",
    "Omfang/læringsarena",
    "Tidsrom",
    "Ansvarlig",
    "Kostnad",
    "Finansiering",
)


def render_plan(content: dict[str, Any]) -> str:
    lines = [
        f"# {content['title']}",
        "",
        f"Kommune: {content['municipality']}  ",
        f"Planår: {content['plan_year']}",
        "",
    ]
    lines += _needs(content["needs"]) + _strategies(content["strategies"]) + _measures(content["measures"])
    lines += _costs(content["costs"]) + _evaluation(content["evaluation"]) + _consultation(content["consultation"])
    return "\n".join(lines).rstrip() + "\n"


def _needs(needs: list[dict[str, Any]]) -> list[str]:
    lines = ["## Kompetansebehov", ""]
    for need in needs:
        critical = ", ".join(f"{k}: {v}" for k, v in sorted(need["criticality"].items()))
        lines.append(f"- **{_cell(need['area'])}** – {len(need['units'])} enheter ({critical})")
    return [*lines, ""] if needs else [*lines, "Ingen behov meldt inn.", ""]


def _strategies(strategies: dict[str, int]) -> list[str]:
    lines = ["## Strategier", ""]
    lines += [f"- {STRATEGY_NAMES.get(k, k)}: {v}" for k, v in strategies.items()]
    return [*lines, ""]


def _measures(measures: list[dict[str, Any]]) -> list[str]:
    lines = ["## Tiltak", "", "| " + " | ".join(COLUMNS) + " |", "|" + "---|" * len(COLUMNS)]
    for m in measures:
        cells = (
            m["goal"],
            m["title"],
            m["target_group"],
            m["arena"],
            m["period"],
            m["responsible"],
            f"{m['cost']:,} kr".replace(",", " "),
            m["funding"],
        )
        lines.append("| " + " | ".join(_cell(str(c)) for c in cells) + " |")
        lines.append(f"|  | *Meldt inn av: {_cell(', '.join(m['unit_names']))}* |" + " |" * (len(COLUMNS) - 2))
    return [*lines, ""]


def _costs(costs: dict[str, Any]) -> list[str]:
    lines = ["## Kostnader", "", f"Samlet: {costs['total']:,} kr".replace(",", " "), ""]
    lines += [f"- {k}: {v:,} kr".replace(",", " ") for k, v in costs["by_funding"].items()]
    lines += ["", "Per sektor:", ""]
    lines += [f"- {_cell(k)}: {v:,} kr".replace(",", " ") for k, v in costs["by_sector"].items()]
    return [*lines, ""]


def _evaluation(evaluation: dict[str, Any]) -> list[str]:
    lines = ["## Evaluering av fjorårets tiltak", ""]
    if not evaluation["items"]:
        return [*lines, "Ingen evalueringer levert.", ""]
    lines += [f"- {k}: {v}" for k, v in sorted(evaluation["carried_out"].items())]
    lines += [f"- Videre: {k}: {v}" for k, v in sorted(evaluation["next_steps"].items())]
    return [*lines, ""]


def _consultation(entries: list[dict[str, Any]]) -> list[str]:
    if not entries:
        return []
    lines = ["## Drøfting med tillitsvalgte", ""]
    for entry in entries:
        lines.append(f"- **{_cell(entry['name'])}** ({_cell(entry['union'])}): {_cell(entry['statement'])}")
        lines += [f"  - {_cell(c['target'])}: {c['position']} – {_cell(c['text'])}" for c in entry["comments"]]
    return [*lines, ""]


def _cell(text: str) -> str:
    # Text typed by a leader must stay inert here: no table breaks, no raw HTML in renderers that allow it.
    return " ".join(text.split()).replace("|", "/").replace("<", "&lt;").replace(">", "&gt;")
