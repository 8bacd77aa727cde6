"""The plan as a Word document (python-docx): a cover, a contents field, Heading 1/2, page numbers in the footer,
tables whose header row repeats and whose columns are sized to their content; A4 portrait, marked as bokmål."""

from __future__ import annotations

import base64
from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from domain.plan.blocks import Block, Bullets, Heading, Paragraph, Rich, Table
from domain.plan.columns import column_widths
from domain.plan.printed import PrintedPlan
from tasks.plan.documents.stamps import restamped, version_stamp
from tasks.plan.documents.typography import unbroken_amounts
from tasks.plan.documents.word_parts import (
    add_contents,
    add_field,
    add_narrative,
    repeat_header_and_fix_widths,
    update_fields_and_hyphenate,
)

MARGIN_MM = 18
USABLE_MM = 210 - 2 * MARGIN_MM
WORD_IMAGES = ("data:image/png;", "data:image/jpeg;", "data:image/gif;")  # python-docx places no SVG


def render_docx(plan: PrintedPlan, logo: str = "") -> bytes:
    """Cover, contents, chapters (Heading 1) and appendices, each appendix on a page of its own."""
    word = Document()
    _set_up(word, plan)
    _cover(word, plan, logo)
    for chapter in plan.chapters:
        heading = word.add_heading(chapter.title, level=1)
        heading.paragraph_format.page_break_before = chapter.appendix
        for block in chapter.blocks:
            _add(word, block)
    buffer = BytesIO()
    word.save(buffer)
    return restamped(buffer.getvalue(), version_stamp(plan.meta))


def _set_up(word: WordDocument, plan: PrintedPlan) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN_MM))
    normal = word.styles["Normal"]
    normal.font.size = Pt(10)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "nb-NO")
    normal.element.get_or_add_rPr().append(language)
    update_fields_and_hyphenate(word)
    section.different_first_page_header_footer = True  # the cover has no page number
    footer = section.footer.paragraphs[0]
    footer.add_run(f"{plan.title} – side ").font.size = Pt(8)
    add_field(footer, "PAGE", "1")
    footer.add_run(" av ").font.size = Pt(8)
    add_field(footer, "NUMPAGES", "1")
    properties = word.core_properties
    properties.title, properties.subject, properties.language = plan.title, plan.municipality, "nb-NO"
    properties.author = plan.municipality or "Årshjul"
    properties.last_modified_by = "Årshjul"
    # the version's own time, so the same version always gives the same file
    properties.created = properties.modified = version_stamp(plan.meta)
    if plan.meta is not None:
        properties.revision = plan.meta.number


def _cover(word: WordDocument, plan: PrintedPlan, logo: str) -> None:
    if logo.startswith(WORD_IMAGES):
        word.add_picture(BytesIO(base64.b64decode(logo.split(",", 1)[1])), height=Mm(25))
    municipality = word.add_paragraph().add_run(plan.municipality)
    municipality.bold, municipality.font.size = True, Pt(16)
    word.add_heading(plan.title, level=0)
    for line in plan.lines:
        word.add_paragraph(line)
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    contents = word.add_paragraph().add_run("Innhold")
    contents.bold, contents.font.size = True, Pt(14)
    add_contents(word, [chapter.title for chapter in plan.chapters])
    word.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _add(word: WordDocument, block: Block) -> None:
    match block:
        case Heading(text, level):
            word.add_heading(text, level=min(max(level - 1, 2), 3))
        case Paragraph(text, style):
            run = word.add_paragraph().add_run(unbroken_amounts(text))
            run.bold = style == "lead"
            run.italic = style == "note"
        case Bullets(items):
            for item in items:
                word.add_paragraph(unbroken_amounts(item), style="List Bullet")
        case Table(headers, rows, wide):
            _table(word, headers, rows, Pt(7 if wide else 8.5))
        case Rich(html):
            add_narrative(word, html)


def _table(word: WordDocument, headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], size: Pt) -> None:
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(header)
        run.bold, run.font.size = True, size
    cells = [[unbroken_amounts(str(value)) for value in row] for row in rows]
    for row in cells:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.paragraphs[0].add_run(value).font.size = size
    repeat_header_and_fix_widths(table, column_widths(headers, cells), USABLE_MM)
    word.add_paragraph()
