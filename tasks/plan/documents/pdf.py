"""The plan as PDF (ReportLab), A4 landscape so Sørum's measure columns fit; Vera embedded, so æøå always render."""

from __future__ import annotations

from functools import lru_cache
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, ListFlowable, ListItem, SimpleDocTemplate, Spacer
from reportlab.platypus import Paragraph as PdfParagraph
from reportlab.platypus import Table as PdfTable

from domain.plan.blocks import Block, Bullets, Heading, Paragraph, Table
from domain.plan.document import PlanDocument, meta_line
from tasks.plan.documents.stamps import version_canvas, version_stamp

PAGE = landscape(A4)
MARGIN = 15 * mm
FONT, BOLD = "Vera", "VeraBd"  # Bitstream Vera ships inside ReportLab: no system font needed


@lru_cache
def _styles() -> dict[str, ParagraphStyle]:
    for name, file in ((FONT, "Vera.ttf"), (BOLD, "VeraBd.ttf"), ("VeraIt", "VeraIt.ttf"), ("VeraBI", "VeraBI.ttf")):
        pdfmetrics.registerFont(TTFont(name, file))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic="VeraIt", boldItalic="VeraBI")
    body = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=4)
    return {
        "body": body,
        "lead": ParagraphStyle("lead", parent=body, fontName=BOLD, spaceAfter=2, keepWithNext=1),
        "note": ParagraphStyle("note", parent=body, fontSize=8, textColor=colors.HexColor("#555555")),
        "title": ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=20, leading=24, spaceAfter=6),
        "h2": ParagraphStyle("h2", parent=body, fontName=BOLD, fontSize=14, leading=18, spaceBefore=10, keepWithNext=1),
        "h3": ParagraphStyle("h3", parent=body, fontName=BOLD, fontSize=11, leading=14, spaceBefore=6, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10, spaceAfter=0),
        "wide": ParagraphStyle("wide", parent=body, fontSize=6.8, leading=8.4, spaceAfter=0),
        "head": ParagraphStyle("head", parent=body, fontName=BOLD, fontSize=8, leading=10, spaceAfter=0),
    }


def render_pdf(document: PlanDocument) -> bytes:
    """Every block in order, with a footer naming the plan, the version and the page."""
    styles = _styles()
    buffer = BytesIO()
    footer = f"{document.title} – versjon {document.meta.number}" if document.meta else document.title
    pdf = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=document.title,
        subject=document.subtitle,
        author=document.subtitle.split(" · ")[0],
        creator="Årshjul",
        lang="nb-NO",
        invariant=1,  # no wall-clock time or random ID inside the file; the canvas below dates it by the version
    )
    story: list[Flowable] = [_text(document.title, styles["title"]), _text(document.subtitle, styles["body"])]
    if document.meta is not None:
        story.append(_text(meta_line(document.meta), styles["note"]))
    for block in document.blocks:
        story += _flowables(block, styles)

    def on_page(canvas: Any, doc: Any) -> None:
        canvas.setFont(FONT, 7.5)
        canvas.drawString(MARGIN, 8 * mm, footer)
        canvas.drawRightString(PAGE[0] - MARGIN, 8 * mm, f"Side {doc.page}")

    seed = document.meta.content_hash if document.meta else document.title
    canvas = version_canvas(version_stamp(document.meta), seed)
    pdf.build(story, onFirstPage=on_page, onLaterPages=on_page, canvasmaker=canvas)
    return buffer.getvalue()


def _flowables(block: Block, styles: dict[str, ParagraphStyle]) -> list[Flowable]:
    match block:
        case Heading(text, level):
            return [_text(text, styles["h2" if level <= 2 else "h3"])]
        case Paragraph(text, style):
            return [_text(text, styles.get(style, styles["body"]))]
        case Bullets(items):
            entries = [ListItem(_text(item, styles["body"]), leftIndent=12) for item in items]
            return [ListFlowable(entries, bulletType="bullet", start="•", leftIndent=12, bulletFontName=FONT)]
        case Table(headers, rows, wide):
            return [_table(headers, rows, styles["wide" if wide else "cell"], styles["head"]), Spacer(1, 6)]
    return []


def _table(
    headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], cell: ParagraphStyle, head: ParagraphStyle
) -> PdfTable:
    data = [[_text(h, head) for h in headers], *([_text(c, cell) for c in row] for row in rows)]
    table = PdfTable(data, colWidths=_widths(headers, rows, head), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c4ce")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef3")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )
    return table


def _widths(headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], head: ParagraphStyle) -> list[float]:
    """Every column fits its header's longest word; the rest of the page goes by how much text a column holds."""
    words = [h.split() or [""] for h in headers]
    least = [max(pdfmetrics.stringWidth(w, head.fontName, head.fontSize) for w in ws) + 13 for ws in words]
    weights = [min(max((len(str(r[i])) for r in rows), default=0), 48) + 1 for i in range(len(headers))]
    spare = max(PAGE[0] - 2 * MARGIN - sum(least), 0)
    return [low + spare * w / sum(weights) for low, w in zip(least, weights, strict=True)]


def _text(text: str, style: ParagraphStyle) -> PdfParagraph:
    # ReportLab reads a paragraph as markup: what people typed is escaped so it stays text.
    return PdfParagraph(escape(" ".join(str(text).split())), style)
