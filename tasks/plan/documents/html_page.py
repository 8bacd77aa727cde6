"""The plan as one self-contained HTML page (print-friendly), or as a fragment to show inside the web app."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from domain.plan.blocks import Block, Bullets, Heading, Paragraph, Table
from domain.plan.document import STATUS_NAMES, PlanDocument, meta_line

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


def render_html(document: PlanDocument) -> str:
    """A standalone document with its own styles: what HR downloads, archives or prints."""
    return _environment().get_template("plan.html.j2").render(**_context(document), standalone=True)


def render_fragment(document: PlanDocument) -> Markup:
    """The document's body (autoescaped here), to place inside a page of the app."""
    return Markup(_environment().get_template("plan.html.j2").render(**_context(document), standalone=False))


def _context(document: PlanDocument) -> dict[str, Any]:
    meta = document.meta
    return {
        "title": document.title,
        "subtitle": document.subtitle,
        "meta_line": meta_line(meta) if meta else "",
        "status": STATUS_NAMES.get(meta.status, meta.status) if meta else "",
        "blocks": [_plain(block) for block in document.blocks],
    }


def _plain(block: Block) -> dict[str, Any]:
    match block:
        case Heading(text, level):
            return {"kind": "heading", "text": text, "level": min(max(level, 2), 4)}
        case Paragraph(text, style):
            return {"kind": "paragraph", "text": text, "style": style}
        case Bullets(items):
            return {"kind": "bullets", "items": items}
        case Table(headers, rows, wide):
            return {"kind": "table", "headers": headers, "rows": rows, "wide": wide}
    raise TypeError(f"unknown block {block!r}")
