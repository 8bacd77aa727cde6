"""The printed plan as HTML: one template for the web page (HR and public), the downloaded HTML and the PDF."""

from __future__ import annotations

from datetime import UTC
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from domain.plan.blocks import Block, Bullets, Heading, Paragraph, Rich, Table
from domain.plan.columns import column_widths
from domain.plan.printed import PrintedPlan
from tasks.plan.documents.typography import unbroken_amounts

TEMPLATES = Path(__file__).with_name("templates")


@lru_cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


@lru_cache
def print_styles() -> str:
    return (TEMPLATES / "plan.css").read_text(encoding="utf-8")


def render_html(plan: PrintedPlan, logo: str = "") -> str:
    """A standalone document with its own styles (screen and print): what HR downloads, archives or prints, and
    what the PDF is made from. `logo` is a data: URL, so the file stands alone."""
    return _environment().get_template("plan.html.j2").render(**_context(plan, logo), standalone=True)


def render_fragment(plan: PrintedPlan) -> Markup:
    """The document's body (autoescaped here), to place inside a page of the app."""
    return Markup(_environment().get_template("plan.html.j2").render(**_context(plan, ""), standalone=False))


def _context(plan: PrintedPlan, logo: str) -> dict[str, Any]:
    meta = plan.meta
    created = meta.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if meta else "1980-01-01T00:00:00Z"
    return {
        "title": plan.title,
        "municipality": plan.municipality,
        "lines": plan.lines,
        "logo": logo,
        "created": created,  # the version's own time: the PDF's dates, never the wall clock
        "css": Markup(print_styles()),
        "chapters": [
            {"key": c.key, "title": c.title, "appendix": c.appendix, "blocks": [_plain(b) for b in c.blocks]}
            for c in plan.chapters
        ],
    }


def _plain(block: Block) -> dict[str, Any]:
    match block:
        case Heading(text, level):
            return {"kind": "heading", "text": text, "level": min(max(level, 3), 4)}
        case Paragraph(text, style):
            return {"kind": "paragraph", "text": unbroken_amounts(text), "style": style}
        case Bullets(items):
            return {"kind": "bullets", "items": [unbroken_amounts(item) for item in items]}
        case Table(headers, rows, wide, caption):
            cells = [[unbroken_amounts(str(cell)) for cell in row] for row in rows]
            widths = column_widths(headers, cells)
            return {"kind": "table", "headers": headers, "rows": cells, "wide": wide, "caption": caption,
                    "widths": widths}  # fmt: skip
        case Rich(html):
            return {"kind": "rich", "html": Markup(html)}  # escaped where it was made
    raise TypeError(f"unknown block {block!r}")
