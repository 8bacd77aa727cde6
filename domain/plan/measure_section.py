"""The measures in Sørum's columns (grouped by area, with the tillitsvalgte's comments) and last year's evaluation."""

from __future__ import annotations

from domain.aarshjul.terms import LanguageTerms
from domain.plan.blocks import Blocks, Bullets, Heading, Paragraph, Places, Table, count_text, kroner
from domain.plan.comments import comment_line
from domain.plan.content import EvaluatedItem, PlanContent, PlanEvaluation, PlannedMeasure
from domain.plan.input_section import funding_text, unit_requests
from domain.plan.rollup import group_by
from domain.plan.wording import NB, headings

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
        funding_text(m),
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
        for m in group:
            blocks += unit_requests(m)
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
                (i.title, i.unit, i.carried_out, str(i.participants), kroner(i.cost), i.levels_text, i.next_step)
                for i in items
            ),
        ),
        *_totals(content),
    ]
    if details := [line for i in items if (line := _details(i))]:
        blocks += [Paragraph("Per tiltak:", style="lead"), Bullets(tuple(details))]
    for label, titles in zip(NEXT_NAMES, (evaluation.continue_, evaluation.change, evaluation.stop), strict=True):
        if titles:
            blocks.append(Paragraph(f"{label}: {', '.join(dict.fromkeys(titles))}."))
    notes = unit_notes(evaluation)
    if notes:
        blocks += [Paragraph("Avvik og læringspunkter:", style="lead"), Bullets(tuple(notes))]
    return blocks


def _labelled(label: str, text: str) -> str:
    return f"{label}: {text.strip().rstrip('.')}." if text.strip() else ""


def _totals(content: PlanContent) -> Blocks:
    """Planned against actual participants, goal attainment and the levels reached, when the answers gave them."""
    evaluation = content.evaluation
    lines = []
    if evaluation.planned_participants:
        lines.append(f"Planlagte deltakere: {evaluation.planned_participants}, faktiske: {evaluation.participants}.")
    if evaluation.goal_attainment:
        lines.append(f"Måloppnåelse: {count_text(evaluation.goal_attainment)}.")
    if evaluation.levels:
        lines.append(f"Effektnivå nådd (antall tiltak): {count_text(evaluation.levels)}.")
    return [Paragraph(line) for line in lines]


def _details(item: EvaluatedItem) -> str:
    """Why not, how the effect was assessed, the deviation and its consequence for the plan, for one item."""
    parts = [
        _labelled("Hvorfor ikke", item.why_not),
        _labelled("Måloppnåelse", item.goal_attainment),
        _labelled("Effekt vurdert slik", item.assessed_how),
        _labelled("Avvik", item.deviation),
        _labelled("Konsekvens for planen", item.consequence),
    ]
    text = " ".join(p for p in parts if p)
    return f"{item.title} ({item.unit}): {text}" if text else ""


def evaluation_details(content: PlanContent, w: LanguageTerms = NB) -> Blocks:
    """Each unit's evaluation of each measure, why not, deviations and lessons: the printed plan's appendix."""
    evaluation = content.evaluation
    rows = tuple(
        (i.title, i.unit, i.carried_out, str(i.participants), kroner(i.cost), i.levels_text or "–", i.next_step)
        for i in sorted(evaluation.items, key=lambda i: (i.title.lower(), i.unit.lower()))
    )
    blocks: Blocks = (
        [Table(headings(EVALUATION_COLUMNS, w), rows, caption=f"Evaluering per {w.unit.singular}")] if rows else []
    )
    if details := [line for i in evaluation.items if (line := _details(i))]:
        blocks += [Heading("Begrunnelser og avvik per tiltak", 3), Bullets(tuple(details))]
    notes = unit_notes(evaluation)
    if notes:
        blocks += [Heading(f"Avvik og læringspunkter per {w.unit.singular}", 3), Bullets(tuple(notes))]
    return blocks


def unit_notes(evaluation: PlanEvaluation) -> list[str]:
    """Each unit's own words on its evaluation: no items to evaluate (and why), deviations, lessons."""
    notes = []
    for n in evaluation.notes:
        said = (
            _labelled("Ingen tiltak å evaluere", n.no_items_reason),
            _labelled("Avvik", n.deviations),
            _labelled("Læring", n.lessons),
        )
        notes.append(f"{n.unit}: " + " ".join(t for t in said if t))
    return notes
