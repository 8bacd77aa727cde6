"""The plan's sections as blocks: the frame, the analysis, strategies, costs, guidelines and the consultation.

The frame's builders serve versions compiled before HR wrote the narrative (domain/plan/prose.py), so those read as
they always did."""

from __future__ import annotations

from domain.aarshjul.terms import LanguageTerms
from domain.plan.blocks import Blocks, Bullets, Heading, Paragraph, Places, SectionBuilder, Table, count_text, kroner
from domain.plan.comments import comment_line, statements
from domain.plan.content import PlanContent
from domain.plan.frame import GENERAL
from domain.plan.input_section import education_wishes, union_input
from domain.plan.measure_section import evaluation_section, measures_section
from domain.plan.wording import NB, headings

STRATEGY_NAMES = {"mobilisere": "Mobilisere", "utvikle": "Utvikle", "rekruttere": "Rekruttere", "avvikle": "Avvikle"}


def anchoring(content: PlanContent, _places: Places) -> Blocks:
    frame = content.frame
    return [Paragraph(text) for text in (frame.anchoring, frame.ambitions) if text] if frame else []


def goals(content: PlanContent, _places: Places) -> Blocks:
    frame = content.frame
    if frame is None:
        return []
    blocks: Blocks = [Bullets(tuple(frame.goals))] if frame.goals else []
    if frame.competence_goals:
        blocks += [Heading("Kompetansemål som skal evalueres", 3), Bullets(tuple(frame.competence_goals))]
    return blocks


def concept(content: PlanContent, _places: Places) -> Blocks:
    return [Paragraph(content.frame.concept)] if content.frame and content.frame.concept else []


def focus_areas(content: PlanContent, _places: Places) -> Blocks:
    areas = content.frame.focus_areas if content.frame else []
    return [Bullets(tuple(f"{a.title}: {a.text}" if a.text else a.title for a in areas))] if areas else []


def analysis(content: PlanContent, _places: Places) -> Blocks:
    needs = content.needs
    if not needs:
        return [Paragraph("Ingen kompetansebehov er meldt inn."), *union_input(content), *education_wishes(content)]
    summary = content.needs_summary
    units = {u for n in needs for u in n.units}
    blocks: Blocks = [
        Paragraph(
            f"{summary.total} behov innen {len(needs)} kompetanseområder, meldt inn av "
            f"{len(units)} enheter. Kritikalitet: {count_text(summary.by_criticality)}. "
            f"Tidshorisont: {count_text(summary.by_horizon)}."
        ),
        Table(
            ("Kompetanseområde", "Enheter", "Kritikalitet", "Tidshorisont", "Strategi"),
            tuple(
                (n.area, ", ".join(n.units), count_text(n.criticality), count_text(n.horizon), count_text(n.strategy))
                for n in needs
            ),
        ),
    ]
    if sectors := content.sectors:
        rows = tuple((s.name, str(s.units), str(s.needs), str(s.measures), kroner(s.cost)) for s in sectors)
        blocks += [Heading("Per sektor", 3), Table(("Sektor", "Enheter", "Behov", "Tiltak", "Kostnad"), rows)]
    return blocks + union_input(content) + education_wishes(content)


def strategies(content: PlanContent, _places: Places) -> Blocks:
    counts = content.strategies
    if not counts:
        return [Paragraph("Ingen strategier er valgt ennå.")]
    shares = content.strategy_shares
    rows = tuple(
        (STRATEGY_NAMES.get(k, k), str(v), f"{shares[k]:.1f} %".replace(".", ",") if k in shares else "")
        for k, v in counts.items()
    )
    return [Table(("Strategi", "Antall behov", "Andel"), rows)]


def costs(content: PlanContent, _places: Places, w: LanguageTerms = NB) -> Blocks:
    money = content.costs
    return [
        Paragraph(f"Samlet kostnad: {kroner(money.total)}.", style="lead"),
        Table(("Finansiering", "Beløp"), tuple((k, kroner(v)) for k, v in money.by_funding.items())),
        Table(headings(("Sektor", "Beløp"), w), tuple((k, kroner(v)) for k, v in money.by_sector.items())),
    ]


def guidelines(content: PlanContent, _places: Places) -> Blocks:
    items = content.frame.evaluation_guidelines if content.frame else []
    return [Bullets(tuple(items))] if items else []


def consultation(content: PlanContent, places: Places) -> Blocks:
    entries = content.consultation
    if not entries:
        return []
    blocks: Blocks = [Paragraph("Uttalelser:", style="lead"), Bullets(tuple(statements(entries)))]
    if general := places.get(f"section:{GENERAL}", []):
        blocks += [Paragraph("Andre merknader:", style="lead"), Bullets(tuple(comment_line(c) for c in general))]
    return blocks


SECTION_BUILDERS: dict[str, SectionBuilder] = {
    "forankring": anchoring,
    "mal": goals,
    "kompetansebegrep": concept,
    "innsatsomrader": focus_areas,
    "analyse": analysis,
    "strategier": strategies,
    "tiltak": measures_section,
    "kostnader": costs,
    "evaluering": evaluation_section,
    "retningslinjer": guidelines,
    "drofting": consultation,
}
