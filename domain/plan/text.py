"""The plan as readable text (Markdown, Norwegian bokmål): what HR reads, diffs and sends out."""

from __future__ import annotations

from domain.plan.blocks import Block, Bullets, Heading, Paragraph, Table
from domain.plan.content import PlanContent
from domain.plan.document import PlanDocument, meta_line, plan_document


def render_plan(content: PlanContent) -> str:
    """The text stored with a version: its content only (status and handlings change later, the text never)."""
    return render_markdown(plan_document(content))


def render_markdown(document: PlanDocument) -> str:
    lines = [f"# {_inline(document.title)}", "", _inline(document.subtitle), ""]
    if document.meta is not None:
        lines += [meta_line(document.meta), ""]
    for block in document.blocks:
        lines += [*_block(block), ""]
    return "\n".join(lines).rstrip() + "\n"


def _block(block: Block) -> list[str]:
    match block:
        case Heading(text, level):
            return ["#" * level + " " + _inline(text)]
        case Paragraph(text, style):
            return [f"**{_inline(text)}**" if style == "lead" else _inline(text)]
        case Bullets(items):
            return [f"- {_inline(item)}" for item in items]
        case Table(headers, rows, _):
            return [_row(headers), "|" + "---|" * len(headers), *(_row(row) for row in rows)]
    return []


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(_cell(cell) for cell in cells) + " |"


def _inline(text: str) -> str:
    # Text typed by a leader must stay inert here: no raw HTML in renderers that allow it.
    return " ".join(str(text).split()).replace("<", "&lt;").replace(">", "&gt;")


def _cell(text: str) -> str:
    return _inline(text).replace("|", "/")
