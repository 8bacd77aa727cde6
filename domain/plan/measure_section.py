"""The measures in Sørum's columns (grouped by area, with the tillitsvalgte's comments) and last year's evaluation."""

from __future__ import annotations

from domain.plan.blocks import Blocks, Bullets, Heading, Paragraph, Places, Table, count_text, kroner
from domain.plan.comments import comment_line
from domain.plan.content import PlanContent, PlannedMeasure
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
NEXT_NAMES = ("Fortsetter", "Endres", "Avsluttes")  # continue, change, stop


def measure_row(m: PlannedMeasure) -> tuple[str, ...]:
    """One measure in Sørum's columns, with funding, priority, substitutes and who asked."""
    by = " (kommunalsjef)" if m.prioritised_by == "kommunalsjef" else ""
    return (
        m.goal,
        m.title,
        m.target_group,
        m.arena,
        m.period,
        m.responsible,
        kroner(m.cost),
        m.funding,
        f"{m.priority}{by}",
        m.substitutes_text,
        m.asked_by,
    )


def measures_section(content: PlanContent, places: Places) -> Blocks:
    measures = content.measures
    if not measures:
        return [Paragraph("Ingen tiltak er meldt inn.")]
    blocks: Blocks = [Paragraph(f"{len(measures)} tiltak, samlet {kroner(sum(m.cost for m in measures))}.")]
    for area, group in sorted(group_by(measures, lambda m: m.area).items(), key=lambda item: item[0].lower()):
        blocks += [Heading(area, 3), Table(MEASURE_COLUMNS, tuple(measure_row(m) for m in group), wide=True)]
        remarks = [f"{m.title}: {comment_line(c)}" for m in group for c in places.get(f"measure:{m.key}", [])]
        if remarks:
            blocks += [Paragraph("Merknader fra tillitsvalgte:", style="lead"), Bullets(tuple(remarks))]
    return blocks


def evaluation_section(content: PlanContent, _places: Places) -> Blocks:
    evaluation = content.evaluation
    items = evaluation.items
    if not items:
        return [Paragraph("Ingen evalueringer av fjorårets tiltak er levert.")]
    blocks: Blocks = [
        Paragraph(
            f"{len(items)} tiltak evaluert: {count_text(evaluation.carried_out)}. "
            f"Deltakere: {evaluation.participants}. Kostnad: {kroner(evaluation.cost)}."
        ),
        Table(
            EVALUATION_COLUMNS,
            tuple(
                (i.title, i.unit, i.carried_out, str(i.participants), kroner(i.cost), i.level, i.next_step)
                for i in items
            ),
        ),
    ]
    for label, titles in zip(NEXT_NAMES, (evaluation.continue_, evaluation.change, evaluation.stop), strict=True):
        if titles:
            blocks.append(Paragraph(f"{label}: {', '.join(dict.fromkeys(titles))}."))
    notes = [
        f"{n.unit}: " + " ".join(t for t in (_labelled("Avvik", n.deviations), _labelled("Læring", n.lessons)) if t)
        for n in evaluation.notes
    ]
    if notes:
        blocks += [Paragraph("Avvik og læringspunkter:", style="lead"), Bullets(tuple(notes))]
    return blocks


def _labelled(label: str, text: str) -> str:
    return f"{label}: {text.strip().rstrip('.')}." if text.strip() else ""
