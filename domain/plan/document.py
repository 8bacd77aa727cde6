"""A plan version as a neutral document (headings, paragraphs, lists, tables) that every format renders alike."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from domain.plan.blocks import Blocks, Heading, Paragraph, Table, kroner
from domain.plan.comments import Remark, comment_line, comments_by_place
from domain.plan.content import PlanContent
from domain.plan.frame import SECTION_TITLES
from domain.plan.narrative import TEXT_KEYS
from domain.plan.prose import section_blocks
from domain.plan.sections import SECTION_BUILDERS

STATUS_NAMES = {
    "draft": "Utkast",
    "consultation": "Høringsutkast",
    "final_draft": "Endelig utkast",
    "adopted": "Vedtatt",
    "superseded": "Erstattet",
}
HANDLING_COLUMNS = ("Organ", "Dato", "Type", "Saksnummer", "Utfall")


@dataclass(frozen=True)
class VersionMeta:
    number: int
    status: str
    created_at: datetime
    created_by: str
    content_hash: str
    parent_number: int | None = None


@dataclass(frozen=True)
class HandlingRow:
    body: str
    held_on: date
    kind: str
    case_number: str = ""
    outcome: str = ""
    version: int | None = None  # the version handled, when a protocol lists the handlings of several


@dataclass(frozen=True)
class PlanDocument:
    title: str
    subtitle: str
    blocks: Blocks
    meta: VersionMeta | None = None
    handlings: tuple[HandlingRow, ...] = field(default_factory=tuple)


def plan_document(
    content: PlanContent,
    meta: VersionMeta | None = None,
    handlings: list[HandlingRow] | None = None,
    answers: dict[str, str] | None = None,
) -> PlanDocument:
    """Every section of the plan in order, the narrative HR wrote among the compiled ones; handlings and HR's
    answers to the comments (both recorded after the version was written) only when given."""
    places = comments_by_place(content.consultation, answers)
    blocks: Blocks = []
    for key, title in SECTION_TITLES.items():
        section = SECTION_BUILDERS[key](content, places) if key in SECTION_BUILDERS else []
        if key in TEXT_KEYS and content.narrative:  # written by HR: its own heading, nothing while it is empty
            title, section = section_blocks(content, key) or (title, [])
        if key == "behandlinger":
            section = _handlings(handlings) if handlings is not None else []
        if not section:
            continue
        blocks += [Heading(title), *section, *_section_comments(places.get(f"section:{key}", []))]
    period = f"planperiode {content.period} · " if content.period else ""
    subtitle = f"{content.municipality} · {period}planår {content.plan_year or ''}"
    return PlanDocument(content.title, subtitle, blocks, meta, tuple(handlings or ()))


def meta_line(meta: VersionMeta) -> str:
    parent = f", bygger på versjon {meta.parent_number}" if meta.parent_number else ""
    made = meta.created_at.strftime("%d.%m.%Y")
    return (
        f"Versjon {meta.number} ({STATUS_NAMES.get(meta.status, meta.status).lower()}){parent}. "
        f"Laget {made} av {meta.created_by}. Sjekksum {meta.content_hash[:12]}."
    )


def _section_comments(comments: list[Remark]) -> Blocks:
    if not comments:
        return []
    return [Paragraph("Merknader fra tillitsvalgte:", style="lead"), *[Paragraph(comment_line(c)) for c in comments]]


def _handlings(handlings: list[HandlingRow]) -> Blocks:
    if not handlings:
        return [Paragraph("Ingen behandlinger er registrert for denne versjonen ennå.")]
    rows = [
        (h.body, h.held_on.strftime("%d.%m.%Y"), h.kind, h.case_number, h.outcome)
        for h in sorted(handlings, key=lambda h: h.held_on)
    ]
    return [Table(HANDLING_COLUMNS, tuple(rows))]


__all__ = ["HandlingRow", "PlanDocument", "VersionMeta", "kroner", "meta_line", "plan_document"]
