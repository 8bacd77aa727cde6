"""The measures in Sørum's columns (grouped by area, with the tillitsvalgte's comments) and last year's evaluation."""

from __future__ import annotations

from typing import Any

from domain.plan.blocks import Blocks, Bullets, Heading, Paragraph, Places, Table, count_text, kroner
from domain.plan.comments import comment_line
from domain.plan.rollup import group_by

MEASURE_COLUMNS = (
    "Mål",
    "Tiltak",
    "Målgruppe",
    "Omfang/Læringsarena",
    "Tidsrom",
    "Ansvarlig",
    "Kostnad",
    "Finansiering",
    "Prioritet",
    "Vikar",
    "Meldt inn av",
)
EVALUATION_COLUMNS = ("Tiltak", "Enhet", "Gjennomført", "Deltakere", "Kostnad", "Effektnivå", "Videre")
NEXT_NAMES = (("continue", "Fortsetter"), ("change", "Endres"), ("stop", "Avsluttes"))


def measure_row(m: dict[str, Any]) -> tuple[str, ...]:
    """One measure in Sørum's columns, with funding, priority, substitutes and who asked."""
    by = " (kommunalsjef)" if m.get("prioritised_by") == "kommunalsjef" else ""
    return (
        m.get("goal", ""),
        m["title"],
        m.get("target_group", ""),
        m.get("arena", ""),
        m.get("period", ""),
        m.get("responsible", ""),
        kroner(m.get("cost", 0)),
        m.get("funding", ""),
        f"{m.get('priority', '')}{by}",
        "Ja" if m.get("substitutes") else "Nei",
        ", ".join(m.get("unit_names", [])),
    )


def measures_section(content: dict[str, Any], places: Places) -> Blocks:
    measures = content.get("measures", [])
    if not measures:
        return [Paragraph("Ingen tiltak er meldt inn.")]
    blocks: Blocks = [Paragraph(f"{len(measures)} tiltak, samlet {kroner(sum(m['cost'] for m in measures))}.")]
    for area, group in sorted(group_by(measures, "area").items(), key=lambda item: item[0].lower()):
        blocks += [Heading(area, 3), Table(MEASURE_COLUMNS, tuple(measure_row(m) for m in group), wide=True)]
        remarks = [f"{m['title']}: {comment_line(c)}" for m in group for c in places.get(f"measure:{m['key']}", [])]
        if remarks:
            blocks += [Paragraph("Merknader fra tillitsvalgte:", style="lead"), Bullets(tuple(remarks))]
    return blocks


def evaluation_section(content: dict[str, Any], _places: Places) -> Blocks:
    evaluation = content.get("evaluation", {})
    items = evaluation.get("items", [])
    if not items:
        return [Paragraph("Ingen evalueringer av fjorårets tiltak er levert.")]
    blocks: Blocks = [
        Paragraph(
            f"{len(items)} tiltak evaluert: {count_text(evaluation.get('carried_out', {}))}. "
            f"Deltakere: {evaluation.get('participants', 0)}. Kostnad: {kroner(evaluation.get('cost', 0))}."
        ),
        Table(
            EVALUATION_COLUMNS,
            tuple(
                (
                    i["title"],
                    i.get("unit", ""),
                    i["carried_out"],
                    str(i.get("participants", 0)),
                    kroner(i.get("cost", 0)),
                    i.get("level", ""),
                    i["next_step"],
                )
                for i in items
            ),
        ),
    ]
    for key, label in NEXT_NAMES:
        if titles := evaluation.get(key):
            blocks.append(Paragraph(f"{label}: {', '.join(dict.fromkeys(titles))}."))
    notes = [
        f"{n['unit']}: "
        + " ".join(t for t in (_labelled("Avvik", n["deviations"]), _labelled("Læring", n["lessons"])) if t)
        for n in evaluation.get("notes", [])
    ]
    if notes:
        blocks += [Paragraph("Avvik og læringspunkter:", style="lead"), Bullets(tuple(notes))]
    return blocks


def _labelled(label: str, text: str) -> str:
    return f"{label}: {text.strip().rstrip('.')}." if text.strip() else ""
