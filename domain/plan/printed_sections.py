"""The compiled parts of the printed plan: the measures under the innsatsområder they serve (Sørum's columns), the
evaluation as one line per measure, and the appendices with the units behind both."""

from __future__ import annotations

from collections import Counter

from domain.plan.blocks import Blocks, Bullets, Heading, Paragraph, Places, Table, count_text, kroner
from domain.plan.comments import comment_line
from domain.plan.content import EvaluatedItem, PlanContent, PlannedMeasure
from domain.plan.input_section import funding_text, union_input
from domain.plan.measure_section import evaluation_details
from domain.plan.narrative_frame import focus_area_titles
from domain.plan.rollup import group_by

PLAN_COLUMNS = (
    "Mål",
    "Tiltak",
    "Målgruppe",
    "Omfang/Læringsarena",
    "Tidsrom",
    "Ansvarlig",
    "Kostnad",
    "Finansiering",
    "Prioritet",
    "Meldt inn av",
)
SUMMARY_COLUMNS = ("Tiltak", "Enheter", "Gjennomført", "Deltakere", "Kostnad", "Effektnivå nådd", "Videre")
ASKED_COLUMNS = ("Enhet", "Sektor", "Målgruppe", "Deltakere", "Kostnad", "Finansiering", "Prioritet")
NO_FOCUS_AREA = "Andre tiltak"
Budgets = dict[tuple[str, str], int]  # (measure key, unit name) -> the cost the unit planned for it


def units_text(count: int) -> str:
    return f"{count} {'enhet' if count == 1 else 'enheter'}"


def by_focus_area(content: PlanContent) -> list[tuple[str, list[PlannedMeasure]]]:
    """The measures under the innsatsområde each serves, in the frame's order; those without one last."""
    groups = group_by(content.measures, lambda m: m.focus_area.strip() or NO_FOCUS_AREA)
    known = [a for a in focus_area_titles(content) if a in groups]
    others = sorted((a for a in groups if a not in known and a != NO_FOCUS_AREA), key=str.lower)
    order = known + others + ([NO_FOCUS_AREA] if NO_FOCUS_AREA in groups else [])
    return [(area, groups[area]) for area in order]


def plan_row(m: PlannedMeasure) -> tuple[str, ...]:
    by = " (kommunalsjef)" if m.prioritised_by == "kommunalsjef" else ""
    substitutes = ", trenger vikar" if m.substitutes else ""
    return (
        *(m.goal, m.title, m.target_group, m.arena, m.period, m.responsible),
        *(kroner(m.cost), funding_text(m), f"{m.priority}{by}{substitutes}", units_text(len(m.requests))),
    )


def measure_plan(content: PlanContent, places: Places) -> Blocks:
    """One table per innsatsområde in Sørum's columns, who asked as a count, the tillitsvalgte's remarks below."""
    measures = content.measures
    if not measures:
        return [Paragraph("Ingen tiltak er meldt inn.")]
    blocks: Blocks = [
        Paragraph(
            f"{len(measures)} tiltak, samlet {kroner(sum(m.cost for m in measures))}, ordnet etter innsatsområdet "
            "de skal styrke. Prioritet 1 er høyest. Enhetene som meldte inn hvert tiltak, står i vedlegg 1."
        )
    ]
    for area, group in by_focus_area(content):
        caption = f"Tiltak under {area}" if area == NO_FOCUS_AREA else f"Tiltak under innsatsområdet {area}"
        blocks += [Heading(area, 3), Table(PLAN_COLUMNS, tuple(plan_row(m) for m in group), True, caption)]
        remarks = [f"{m.title}: {comment_line(c)}" for m in group for c in places.get(f"measure:{m.key}", [])]
        if remarks:
            blocks += [Paragraph("Merknader fra tillitsvalgte:", style="lead"), Bullets(tuple(remarks))]
    return blocks


def evaluation_summary(content: PlanContent, budgets: Budgets | None = None) -> Blocks:
    """Per measure: how many units carried it out, participants, cost against budget, levels reached, what next."""
    evaluation = content.evaluation
    if not evaluation.items:
        return [Paragraph("Ingen evalueringer av fjorårets tiltak er levert.")]
    groups = group_by(evaluation.items, lambda i: i.measure_key or " ".join(i.title.lower().split()))
    rows = tuple(_summary_row(items, budgets or {}) for items in groups.values())
    lines = [
        f"{len(groups)} tiltak evaluert av {len({i.unit for i in evaluation.items})} enheter "
        f"({len(evaluation.items)} vurderinger): {count_text(evaluation.carried_out)}. "
        f"Deltakere: {evaluation.participants}. Kostnad: {kroner(evaluation.cost)}.",
    ]
    if evaluation.levels:
        lines.append(f"Effektnivå nådd (antall vurderinger): {count_text(evaluation.levels)}.")
    blocks: Blocks = [Paragraph(line) for line in lines]
    blocks += [
        Table(SUMMARY_COLUMNS, rows, caption="Evaluering per tiltak"),
        Paragraph("Hver enhets vurdering, avvik og læringspunkter står i vedlegg 3.", style="note"),
    ]
    return blocks


def _summary_row(items: list[EvaluatedItem], budgets: Budgets) -> tuple[str, ...]:
    actual, planned = sum(i.participants for i in items), sum(i.planned_participants for i in items)
    cost = sum(i.cost for i in items)
    budget = sum(budgets.get((i.measure_key, i.unit), 0) for i in items)
    levels = Counter(level for i in items for level in (i.levels or ([i.level] if i.level else [])))
    return (
        items[0].title,
        str(len(items)),
        count_text(dict(Counter(i.carried_out for i in items if i.carried_out))),
        f"{actual} av {planned} planlagt" if planned else str(actual),
        f"{kroner(cost)} av {kroner(budget)} budsjett" if budget else kroner(cost),
        count_text(dict(levels)) or "–",
        count_text(dict(Counter(i.next_step for i in items if i.next_step))) or "–",
    )


def asked_by_appendix(content: PlanContent) -> Blocks:
    """Every measure with the units that asked for it, each with its own target group, people, cost and funding."""
    blocks: Blocks = []
    for area, group in by_focus_area(content):
        for m in group:
            rows = tuple(
                (
                    r.unit_name,
                    r.sector,
                    r.target_group or "–",
                    str(r.participants),
                    kroner(r.cost),
                    ", ".join(f"{s} {kroner(a)}" for s, a in r.funding_shares.items()) or r.funding,
                    str(r.priority),
                )
                for r in m.requests
            )
            blocks += [Heading(f"{m.title} ({area})", 3), Table(ASKED_COLUMNS, rows, caption=f"Enheter bak {m.title}")]
    return blocks


def needs_appendix(content: PlanContent) -> Blocks:
    """Which units named each competence area."""
    rows = tuple((n.area, str(len(n.units)), ", ".join(n.units)) for n in content.needs)
    columns = ("Kompetanseområde", "Antall", "Enheter")
    return [Table(columns, rows, caption="Enheter per kompetanseområde")] if rows else []


def evaluation_appendix(content: PlanContent) -> Blocks:
    return evaluation_details(content) if content.evaluation.items or content.evaluation.notes else []


def education_appendix(content: PlanContent) -> Blocks:
    rows = tuple((w.unit_name, str(w.count), w.kind, w.start) for w in content.education)
    columns = ("Enhet", "Antall", "Utdanning", "Oppstart")
    return [Table(columns, rows, caption="Ønsker om formell utdanning")] if rows else []


def analysis_summary(content: PlanContent, _places: Places) -> Blocks:
    """The needs as counts per competence area and per sector; the units' names are in vedlegg 2."""
    needs = content.needs
    blocks: Blocks = []
    if not needs:
        blocks.append(Paragraph("Ingen kompetansebehov er meldt inn."))
    else:
        summary = content.needs_summary
        units = {u for n in needs for u in n.units}
        blocks += [
            Paragraph(
                f"{summary.total} behov innen {len(needs)} kompetanseområder, meldt inn av {units_text(len(units))}. "
                f"Kritikalitet: {count_text(summary.by_criticality)}. Tidshorisont: {count_text(summary.by_horizon)}. "
                "Hvilke enheter som meldte hvert behov, står i vedlegg 2."
            ),
            Table(
                ("Kompetanseområde", "Enheter", "Kritikalitet", "Tidshorisont", "Strategi"),
                tuple(
                    (n.area, str(len(n.units)), count_text(n.criticality), count_text(n.horizon),
                     count_text(n.strategy))
                    for n in needs
                ),
                caption="Kompetansebehov per område",
            ),
        ]  # fmt: skip
    if sectors := content.sectors:
        rows = tuple((s.name, str(s.units), str(s.needs), str(s.measures), kroner(s.cost)) for s in sectors)
        columns = ("Sektor", "Enheter", "Behov", "Tiltak", "Kostnad")
        blocks += [Heading("Per sektor", 3), Table(columns, rows, caption="Behov og tiltak per sektor")]
    blocks += union_input(content)
    if wishes := content.education:
        blocks += [
            Heading("Ønsker om formell utdanning neste år", 3),
            Paragraph(
                f"{sum(w.count for w in wishes)} ansatte i {units_text(len(wishes))} ønsker formell utdanning "
                f"({count_text(dict(Counter(w.kind for w in wishes for _ in range(w.count) if w.kind)))}). "
                "Fordelingen per enhet står i vedlegget om formell utdanning."
            ),
        ]
    return blocks
