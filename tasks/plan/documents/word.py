"""The plan as a Word document (python-docx), landscape A4, headings in Word's own styles, marked as bokmål."""

from __future__ import annotations

from io import BytesIO

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from domain.plan.blocks import Block, Bullets, Heading, Paragraph, Table
from domain.plan.document import PlanDocument, meta_line
from tasks.plan.documents.stamps import restamped, version_stamp


def render_docx(document: PlanDocument) -> bytes:
    """Every block in order; headings are real Word headings, so the navigation pane shows the plan's parts."""
    word = Document()
    _set_up(word, document)
    word.add_heading(document.title, level=0)
    word.add_paragraph(document.subtitle)
    if document.meta is not None:
        word.add_paragraph().add_run(meta_line(document.meta)).italic = True
    for block in document.blocks:
        _add(word, block)
    buffer = BytesIO()
    word.save(buffer)
    return restamped(buffer.getvalue(), version_stamp(document.meta))


def _set_up(word: WordDocument, document: PlanDocument) -> None:
    section = word.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    normal = word.styles["Normal"]
    normal.font.size = Pt(10)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "nb-NO")
    normal.element.get_or_add_rPr().append(language)
    properties = word.core_properties
    properties.title, properties.subject, properties.language = document.title, document.subtitle, "nb-NO"
    properties.author = properties.last_modified_by = "Årshjul"
    # the version's own time, so the same version always gives the same file
    properties.created = properties.modified = version_stamp(document.meta)
    if document.meta is not None:
        properties.revision = document.meta.number


def _add(word: WordDocument, block: Block) -> None:
    match block:
        case Heading(text, level):
            word.add_heading(text, level=max(1, level - 1))
        case Paragraph(text, style):
            run = word.add_paragraph().add_run(text)
            run.bold = style == "lead"
            run.italic = style == "note"
        case Bullets(items):
            for item in items:
                word.add_paragraph(item, style="List Bullet")
        case Table(headers, rows, wide):
            _table(word, headers, rows, Pt(7.5 if wide else 9))


def _table(word: WordDocument, headers: tuple[str, ...], rows: tuple[tuple[str, ...], ...], size: Pt) -> None:
    table = word.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(header)
        run.bold, run.font.size = True, size
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.paragraphs[0].add_run(str(value)).font.size = size
    word.add_paragraph()
