"""The compiled parts of the printed plan: the measures under the innsatsområder they serve (Sørum's columns), the
evaluation as one line per measure, and the appendices with the units behind both."""

from __future__ import annotations

from collections import Counter

from domain.aarshjul.role_words import ucfirst
from domain.aarshjul.terms import LanguageTerms
from domain.plan.blocks import Blocks, Bullets, Heading, Paragraph, Places, Table, count_text, kroner
from domain.plan.comments import comment_line
from domain.plan.content import EvaluatedItem, PlanContent, PlannedMeasure
from domain.plan.input_section import funding_text, union_input
from domain.plan.measure_section import MEASURE_COLUMNS, evaluation_details
from domain.plan.narrative_frame import focus_area_titles
from domain.plan.rollup import group_by
from domain.plan.wording import NB, chosen_by, headings
from domain.plan.wording import units_text as _units_text

# The printed plan has the measure table of the working documents without its substitute column («Vikar»).
PLAN_COLUMNS = tuple(column for column in MEASURE_COLUMNS if column != "Vikar")
SUMMARY_COLUMNS = ("Tiltak", "Enheter", "Gjennomført", "Deltakere", "Kostnad", "Effektnivå nådd", "Videre")
ASKED_COLUMNS = ("Enhet", "Sektor", "Målgruppe", "Deltakere", "Kostnad", "Finansiering", "Prioritet")
NO_FOCUS_AREA = "Andre tiltak"
Budgets = dict[tuple[str, str], int]  # (measure key, unit name) -> the cost the unit planned for it


def units_text(count: int, w: LanguageTerms = NB) -> str:
    return _units_text(count, w)


def by_focus_area(content: PlanContent) -> list[tuple[str, list[PlannedMeasure]]]:
    """The measures under the innsatsområde each serves, in the frame's order; those without one last."""
    groups = group_by(content.measures, lambda m: m.focus_area.strip() or NO_FOCUS_AREA)
    known = [a for a in focus_area_titles(content) if a in groups]
    others = sorted((a for a in groups if a not in known and a != NO_FOCUS_AREA), key=str.lower)
    order = known + others + ([NO_FOCUS_AREA] if NO_FOCUS_AREA in groups else [])
    return [(area, groups[area]) for area in order]


def plan_row(m: PlannedMeasure, w: LanguageTerms = NB) -> tuple[str, ...]:
    by = chosen_by(m.prioritised_by, w)
    substitutes = ", trenger vikar" if m.substitutes else ""
    return (
        *(m.goal, m.title, m.target_group, m.arena, m.period, m.responsible),
        *(kroner(m.cost), funding_text(m), f"{m.priority}{by}{substitutes}", units_text(len(m.requests), w)),
    )


def measure_plan(content: PlanContent, places: Places, w: LanguageTerms = NB) -> Blocks:
    """One table per innsatsområde in Sørum's columns, who asked as a count, the tillitsvalgte's remarks below."""
    measures = content.measures
    if not measures:
        return [Paragraph("Ingen tiltak er meldt inn.")]
    blocks: Blocks = [
        Paragraph(
            f"{len(measures)} tiltak, samlet {kroner(sum(m.cost for m in measures))}, ordnet etter innsatsområdet "
            f"de skal styrke. Prioritet 1 er høyest. {ucfirst(w.unit.definite_plural)} som meldte inn hvert tiltak, "
            "står i vedlegg 1."
        )
    ]
    for area, group in by_focus_area(content):
        caption = f"Tiltak under {area}" if area == NO_FOCUS_AREA else f"Tiltak under innsatsområdet {area}"
        blocks += [Heading(area, 3), Table(PLAN_COLUMNS, tuple(plan_row(m, w) for m in group), True, caption)]
        remarks = [f"{m.title}: {comment_line(c)}" for m in group for c in places.get(f"measure:{m.key}", [])]
        if remarks:
            blocks += [Paragraph("Merknader fra tillitsvalgte:", style="lead"), Bullets(tuple(remarks))]
    return blocks


def evaluation_summary(content: PlanContent, budgets: Budgets | None = None, w: LanguageTerms = NB) -> Blocks:
    """Per measure: how many units carried it out, participants, cost against budget, levels reached, what next."""
    evaluation = content.evaluation
    if not evaluation.items:
        return [Paragraph("Ingen evalueringer av fjorårets tiltak er levert.")]
    groups = group_by(evaluation.items, lambda i: i.measure_key or " ".join(i.title.lower().split()))
    rows = tuple(_summary_row(items, budgets or {}) for items in groups.values())
    lines = [
        f"{len(groups)} tiltak evaluert av {units_text(len({i.unit for i in evaluation.items}), w)} "
        f"({len(evaluation.items)} vurderinger): {count_text(evaluation.carried_out)}. "
        f"Deltakere: {evaluation.participants}. Kostnad: {kroner(evaluation.cost)}.",
    ]
    if evaluation.levels:
        lines.append(f"Effektnivå nådd (antall vurderinger): {count_text(evaluation.levels)}.")
    blocks: Blocks = [Paragraph(line) for line in lines]
    blocks += [
        Table(headings(SUMMARY_COLUMNS, w), rows, caption="Evaluering per tiltak"),
        Paragraph(
            f"{ucfirst(w.unit.each)} {w.unit.singular}s vurdering, avvik og læringspunkter står i vedlegg 3.",
            style="note",
        ),
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


def asked_by_appendix(content: PlanContent, w: LanguageTerms = NB) -> Blocks:
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
            blocks += [
                Heading(f"{m.title} ({area})", 3),
                Table(headings(ASKED_COLUMNS, w), rows, caption=f"{ucfirst(w.unit.plural)} bak {m.title}"),
            ]
    return blocks


def needs_appendix(content: PlanContent, w: LanguageTerms = NB) -> Blocks:
    """Which units named each competence area."""
    rows = tuple((n.area, str(len(n.units)), ", ".join(n.units)) for n in content.needs)
    columns = headings(("Kompetanseområde", "Antall", "Enheter"), w)
    return [Table(columns, rows, caption=f"{ucfirst(w.unit.plural)} per kompetanseområde")] if rows else []


def evaluation_appendix(content: PlanContent, w: LanguageTerms = NB) -> Blocks:
    return evaluation_details(content, w) if content.evaluation.items or content.evaluation.notes else []


def education_appendix(content: PlanContent, w: LanguageTerms = NB) -> Blocks:
    rows = tuple((w.unit_name, str(w.count), w.kind, w.start) for w in content.education)
    columns = headings(("Enhet", "Antall", "Utdanning", "Oppstart"), w)
    return [Table(columns, rows, caption="Ønsker om formell utdanning")] if rows else []


def analysis_summary(content: PlanContent, _places: Places, w: LanguageTerms = NB) -> Blocks:
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
                f"{summary.total} behov innen {len(needs)} kompetanseområder, "
                f"meldt inn av {units_text(len(units), w)}. "
                f"Kritikalitet: {count_text(summary.by_criticality)}. Tidshorisont: {count_text(summary.by_horizon)}. "
                f"Hvilke {w.unit.plural} som meldte hvert behov, står i vedlegg 2."
            ),
            Table(
                headings(("Kompetanseområde", "Enheter", "Kritikalitet", "Tidshorisont", "Strategi"), w),
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
        columns = headings(("Sektor", "Enheter", "Behov", "Tiltak", "Kostnad"), w)
        per = f"per {w.sector.singular}"
        blocks += [Heading(ucfirst(per), 3), Table(columns, rows, caption=f"Behov og tiltak {per}")]
    blocks += union_input(content, w)
    if wishes := content.education:
        blocks += [
            Heading("Ønsker om formell utdanning neste år", 3),
            Paragraph(
                f"{sum(w.count for w in wishes)} ansatte i {units_text(len(wishes), w)} ønsker formell utdanning "
                f"({count_text(dict(Counter(w.kind for w in wishes for _ in range(w.count) if w.kind)))}). "
                f"Fordelingen per {w.unit.singular} står i vedlegget om formell utdanning."
            ),
        ]
    return blocks
