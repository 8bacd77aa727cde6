"""The narrative as document blocks: a version's sections (or, for versions made before HR wrote them, its frame's
text) turned from Markdown into headings, paragraphs, lists and tables that every writer already prints."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from markdown_it.token import Token

from domain.plan.blocks import Block, Blocks, Bullets, Heading, Paragraph, Table
from domain.plan.content import PlanContent
from domain.plan.narrative import FOCUS_INTRO, MARKDOWN, NarrativeSection, focus_areas, initial_narrative


def narrative_of(content: PlanContent) -> list[NarrativeSection]:
    """The narrative this version was compiled with; a version made before the narrative existed has its frame's."""
    if content.narrative:
        return list(content.narrative)
    return initial_narrative(content.frame, starters=False) if content.frame else []


def section_blocks(content: PlanContent, key: str) -> tuple[str, Blocks] | None:
    """(title, blocks) of one narrative section, the innsatsområder with each area under it; None if it is empty."""
    sections = narrative_of(content)
    found = next((s for s in sections if s.key == key), None)
    if found is None:
        return None
    blocks = prose_blocks(found.markdown)
    if key == FOCUS_INTRO:
        for area in focus_areas(sections):
            blocks += [Heading(area.title, 3), *prose_blocks(area.markdown, top=4)]
    return (found.title, blocks) if blocks else None


def prose_blocks(markdown: str, *, top: int = 3) -> Blocks:
    """Markdown as blocks: headings (from level `top`), paragraphs, bullet lists (numbered ones keep their numbers)
    and tables. Emphasis and links become plain text (a link keeps its address in brackets)."""
    return list(_prose(markdown, top))


@lru_cache(maxsize=512)  # every page view of a version builds its document again; the text of a version never changes
def _prose(markdown: str, top: int) -> tuple[Block, ...]:
    tokens = MARKDOWN.parse(markdown)
    blocks: Blocks = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        end = _closing(tokens, i)
        if token.type == "heading_open":
            blocks.append(Heading(_inline(tokens[i + 1]), min(max(int(token.tag[1]) - 2, 0) + top, 4)))
        elif token.type == "paragraph_open":
            blocks.append(Paragraph(_inline(tokens[i + 1])))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            blocks.append(Bullets(_items(tokens[i + 1 : end], token.type == "ordered_list_open")))
        elif token.type == "table_open":
            blocks.append(_table(tokens[i + 1 : end]))
        elif token.type in ("fence", "code_block") and token.content.strip():
            blocks.append(Paragraph(token.content.strip()))
        elif token.type == "blockquote_open":
            inner = "\n".join(t.content for t in tokens[i + 1 : end] if t.type == "inline")
            blocks += [Paragraph(text, style="note") for text in inner.split("\n") if text.strip()]
        i = end + 1
    return tuple(blocks)


def _closing(tokens: Sequence[Token], start: int) -> int:
    """The index of the token that closes the one at `start` (itself when it closes nothing)."""
    if tokens[start].nesting != 1:
        return start
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1


def _items(tokens: Sequence[Token], numbered: bool) -> tuple[str, ...]:
    """Top-level list items; a nested list's items join their parent's text after a dash."""
    items: list[str] = []
    depth = 0
    for token in tokens:
        if token.type == "list_item_open":
            depth += 1
            if depth == 1:
                items.append("")
        elif token.type == "list_item_close":
            depth -= 1
        elif token.type == "inline" and items:
            text = _inline(token)
            items[-1] = f"{items[-1]} – {text}" if items[-1] else text
    return tuple(f"{n}. {item}" if numbered else item for n, item in enumerate(items, start=1))


def _table(tokens: Sequence[Token]) -> Table:
    rows: list[list[str]] = []
    headers: list[str] = []
    in_head = False
    for token in tokens:
        if token.type in ("thead_open", "thead_close"):
            in_head = token.type == "thead_open"
        elif token.type == "tr_open" and not in_head:
            rows.append([])
        elif token.type == "inline":
            (headers if in_head else rows[-1]).append(_inline(token))
    width = len(headers)
    body = tuple(tuple((row + [""] * width)[:width]) for row in rows)
    return Table(tuple(headers), body)


def _inline(token: Token) -> str:
    parts: list[str] = []
    href = ""
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
        elif child.type == "link_open":
            href = str(child.attrGet("href") or "")
        elif child.type == "link_close" and href and href not in parts[-1:]:
            parts.append(f" ({href})")
    return " ".join("".join(parts).split())
