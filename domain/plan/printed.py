"""The plan as a municipality prints it: narrative first, then the analysis, the tiltaksplan per innsatsområde, costs,
last year's evaluation, the consultation and the vedtaks- og endringsprotokoll, then the appendices.

One structure for every document (web page, PDF, DOCX). The stored text of a version (`domain/plan/text.py`) keeps
the older section layout, so versions written before still read and compare as they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.aarshjul.role_words import ucfirst
from domain.aarshjul.terms import DEFAULT_TERMS, LanguageTerms, Terms
from domain.plan.blocks import Blocks, Bullets, Paragraph, Rich, Table
from domain.plan.comments import Remark, comment_line, comments_by_place
from domain.plan.content import PlanContent
from domain.plan.document import STATUS_NAMES, HandlingRow, VersionMeta
from domain.plan.frame import SECTION_TITLES
from domain.plan.narrative_frame import narrative_sections
from domain.plan.printed_sections import (
    Budgets,
    analysis_summary,
    asked_by_appendix,
    education_appendix,
    evaluation_appendix,
    evaluation_summary,
    measure_plan,
    needs_appendix,
)
from domain.plan.sections import consultation, costs, strategies

PROTOCOL = "Vedtaks- og endringsprotokoll"
PROTOCOL_COLUMNS = ("Behandlet i", "Dato", "Type", "Saksnummer", "Versjon", "Utfall")
KIND_NAMES = {"vedtak": "Vedtak", "drofting": "Drøfting", "drøfting": "Drøfting", "orientering": "Orientering"}


@dataclass(frozen=True)
class Chapter:
    key: str  # the anchor of the chapter in the contents
    title: str
    blocks: Blocks
    appendix: bool = False


@dataclass(frozen=True)
class PrintedPlan:
    title: str
    municipality: str
    chapters: tuple[Chapter, ...]
    meta: VersionMeta | None = None
    part: str = ""  # a sector's own part: the sector's name
    lines: tuple[str, ...] = field(default_factory=tuple)  # under the title on the cover

    @property
    def main(self) -> tuple[Chapter, ...]:
        return tuple(c for c in self.chapters if not c.appendix)

    @property
    def appendices(self) -> tuple[Chapter, ...]:
        return tuple(c for c in self.chapters if c.appendix)


def print_plan(
    content: PlanContent,
    meta: VersionMeta | None = None,
    handlings: list[HandlingRow] | None = None,
    answers: dict[str, str] | None = None,
    budgets: Budgets | None = None,
    part: str = "",
    terms: Terms = DEFAULT_TERMS,
) -> PrintedPlan:
    """The whole plan, or (`part`) a sector's part of it: its analysis, measures, costs and evaluation only; the
    levels named in the municipality's words."""
    w = terms["nb"]
    places = comments_by_place(content.consultation, answers)
    chapters: list[Chapter] = []
    if not part:
        chapters += [Chapter(n.key, n.title, [Rich(n.html)]) for n in narrative_sections(content)]
    compiled = (
        ("analyse", SECTION_TITLES["analyse"], analysis_summary(content, places, w)),
        ("strategier", SECTION_TITLES["strategier"], strategies(content, places)),
        ("tiltak", f"Tiltaksplan {content.plan_year or ''}".strip(), measure_plan(content, places, w)),
        ("kostnader", SECTION_TITLES["kostnader"], costs(content, places, w)),
        ("evaluering", SECTION_TITLES["evaluering"], evaluation_summary(content, budgets, w)),
        ("drofting", SECTION_TITLES["drofting"], [] if part else consultation(content, places)),
        ("behandlinger", PROTOCOL, _protocol(handlings) if handlings is not None and not part else []),
    )
    chapters += [Chapter(key, title, blocks) for key, title, blocks in compiled if blocks]
    chapters = [Chapter(c.key, c.title, [*c.blocks, *_remarks(places.get(f"section:{c.key}", []))]) for c in chapters]
    appendices = (
        (f"{ucfirst(w.unit.definite_plural)} bak hvert tiltak", asked_by_appendix(content, w)),
        (f"Kompetansebehov per {w.unit.singular}", needs_appendix(content, w)),
        (f"Evaluering per {w.unit.singular}", evaluation_appendix(content, w)),
        (f"Ønsker om formell utdanning per {w.unit.singular}", education_appendix(content, w)),
    )
    numbered = [(title, blocks) for title, blocks in appendices if blocks]
    chapters += [
        Chapter(f"vedlegg-{n}", f"Vedlegg {n}: {title}", blocks, appendix=True)
        for n, (title, blocks) in enumerate(numbered, start=1)
    ]
    title = f"{content.title} – {part}" if part else content.title
    lines = _cover_lines(content, meta, part, handlings or [], w)
    return PrintedPlan(title, content.municipality, tuple(chapters), meta, part, lines)


def _cover_lines(
    content: PlanContent, meta: VersionMeta | None, part: str, handlings: list[HandlingRow], w: LanguageTerms
) -> tuple[str, ...]:
    """What the plan is, which version, and (once adopted) by whom, when and in which case."""
    lines = [f"{ucfirst(w.sector.definite)}s del av planen for {content.municipality}"] if part else []
    if meta is None:
        return tuple(lines)
    status = STATUS_NAMES.get(meta.status, meta.status).lower()
    parent = f", bygger på versjon {meta.parent_number}" if meta.parent_number else ""
    lines.append(f"Versjon {meta.number} ({status}){parent}. Datert {meta.created_at:%d.%m.%Y}.")
    for h in handlings:
        if h.kind == "vedtak" and h.version in (meta.number, None) and meta.status in ("adopted", "superseded"):
            case = f", sak {h.case_number}" if h.case_number else ""
            lines.append(f"Vedtatt i {h.body} {h.held_on:%d.%m.%Y}{case}.")
    return tuple(lines)


def _protocol(handlings: list[HandlingRow]) -> Blocks:
    if not handlings:
        return [Paragraph("Ingen behandlinger er registrert ennå.")]
    rows = tuple(
        (
            h.body,
            h.held_on.strftime("%d.%m.%Y"),
            KIND_NAMES.get(h.kind, h.kind),
            h.case_number or "–",
            str(h.version) if h.version else "–",
            h.outcome or "–",
        )
        for h in sorted(handlings, key=lambda h: (h.held_on, h.version or 0))
    )
    return [Table(PROTOCOL_COLUMNS, rows, caption=PROTOCOL)]


def _remarks(comments: list[Remark]) -> Blocks:
    if not comments:
        return []
    return [Paragraph("Merknader fra tillitsvalgte:", style="lead"), Bullets(tuple(comment_line(c) for c in comments))]
