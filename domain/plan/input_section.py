"""Parts of the analysis kept apart from the units' counts: the tillitsvalgte's input and wishes for formal education,
and each unit's own request under a merged measure."""

from __future__ import annotations

from domain.aarshjul.terms import LanguageTerms
from domain.plan.blocks import Blocks, Heading, Paragraph, Table, kroner
from domain.plan.content import PlanContent, PlannedMeasure
from domain.plan.wording import NB

REQUEST_COLUMNS = (
    "Enhet",
    "Mål",
    "Målgruppe",
    "Omfang/Læringsarena",
    "Tidsrom",
    "Ansvarlig",
    "Deltakere",
    "Kostnad",
    "Finansiering",
)


def union_input(content: PlanContent, w: LanguageTerms = NB) -> Blocks:
    """The tillitsvalgte's spring input, as its own part of the analysis (empty when none came in)."""
    entries = content.union_input
    if not entries:
        return []
    rows = tuple(
        (e.name, e.scope, ", ".join(e.needs) or "–", ", ".join(e.measures) or "–", e.requirements or "–")
        for e in entries
    )
    return [
        Heading("Innspill fra tillitsvalgte", 3),
        Paragraph(
            f"{len(entries)} innspill fra tillitsvalgte. De er ikke talt med blant {w.unit.definite_plural} over, "
            "men er tatt med i arbeidet med tiltakene."
        ),
        Table(("Tillitsvalgt", "Gjelder", "Kompetanseområder", "Foreslåtte tiltak", "Kompetansekrav"), rows),
    ]


def education_wishes(content: PlanContent) -> Blocks:
    """How many employees want formal education next year, per unit: what HR applies for state funds with."""
    wishes = content.education
    if not wishes:
        return []
    rows = tuple((w.unit_name, str(w.count), w.kind, w.start) for w in wishes)
    return [
        Heading("Ønsker om formell utdanning neste år", 3),
        Paragraph(f"{sum(w.count for w in wishes)} ansatte i {len(wishes)} enheter ønsker formell utdanning."),
        Table(("Enhet", "Antall", "Utdanning", "Oppstart"), rows),
    ]


def funding_text(m: PlannedMeasure) -> str:
    """The sources with their amounts when the units gave them, else the sources as they were stored."""
    if not m.funding_totals:
        return m.funding
    return ", ".join(f"{source} {kroner(amount)}" for source, amount in m.funding_totals.items())


def unit_requests(m: PlannedMeasure) -> Blocks:
    """Under a measure several units asked for: each unit's own request, and the merged totals."""
    if len(m.requests) < 2 or not any(r.goal for r in m.requests):
        return []  # one unit's request is the measure's own row; versions before requests kept their text
    rows = tuple(
        (
            r.unit_name,
            r.goal,
            r.target_group,
            r.arena,
            r.period,
            r.responsible,
            str(r.participants),
            kroner(r.cost),
            ", ".join(f"{s} {kroner(a)}" for s, a in r.funding_shares.items()) or r.funding,
        )
        for r in m.requests
    )
    return [
        Paragraph(
            f"{m.title}: {len(m.requests)} enheter, til sammen {m.participants} deltakere og {kroner(m.cost)}.",
            style="lead",
        ),
        Table(REQUEST_COLUMNS, rows, wide=True),
    ]
