"""Word building blocks python-docx has no call for: fields (contents, page numbers), repeated header rows, fixed
column widths, automatic hyphenation, and narrative HTML turned into Word paragraphs."""

from __future__ import annotations

from html.parser import HTMLParser

from docx.document import Document as WordDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.table import Table as WordTable
from docx.text.paragraph import Paragraph as WordParagraph

NARRATIVE_HEADINGS = {"h3": 2, "h4": 3}  # the narrative's own headings sit under the chapter's Heading 1


def add_field(paragraph: WordParagraph, instruction: str, shown: str = "") -> None:
    """A complex field (PAGE, NUMPAGES, TOC …): Word and LibreOffice compute it; `shown` stands until they do."""
    for kind, text in (("begin", None), ("instr", instruction), ("separate", None), ("text", shown), ("end", None)):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {text} "
        elif kind == "text":
            run.text = text or ""
            continue
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)


def update_fields_and_hyphenate(word: WordDocument) -> None:
    """Ask the reader to fill the fields when the file opens (the contents), and to hyphenate automatically."""
    settings = word.settings.element
    for name in ("w:updateFields", "w:autoHyphenation"):
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        settings.append(element)


def repeat_header_and_fix_widths(table: WordTable, widths: tuple[float, ...], usable_mm: float) -> None:
    """The first row repeats on every page; rows do not split; columns keep the widths sized to their content."""
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for index, row in enumerate(table.rows):
        row_properties = row._tr.get_or_add_trPr()
        row_properties.append(OxmlElement("w:cantSplit"))
        if index == 0:
            row_properties.append(OxmlElement("w:tblHeader"))
    for column, width in zip(table.columns, widths, strict=True):
        size = Mm(usable_mm * width / 100)
        column.width = size
        for cell in column.cells:
            cell.width = size


class _Narrative(HTMLParser):
    """p, h3/h4, ul/ol/li, strong/b, em/i and br into Word paragraphs; any other tag keeps only its text."""

    def __init__(self, word: WordDocument) -> None:
        super().__init__(convert_charrefs=True)
        self.word = word
        self.paragraph: WordParagraph | None = None
        self.bold = self.italic = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NARRATIVE_HEADINGS:
            self.paragraph = self.word.add_heading("", level=NARRATIVE_HEADINGS[tag])
        elif tag == "p":
            self.paragraph = self.word.add_paragraph()
        elif tag == "li":
            self.paragraph = self.word.add_paragraph(style="List Bullet")
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "br" and self.paragraph is not None:
            self.paragraph.add_run().add_break()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("strong", "b"):
            self.bold = max(self.bold - 1, 0)
        elif tag in ("em", "i"):
            self.italic = max(self.italic - 1, 0)
        elif tag in ("p", "li", *NARRATIVE_HEADINGS):
            self.paragraph = None

    def handle_data(self, data: str) -> None:
        if not data.strip() and self.paragraph is None:
            return
        paragraph = self.paragraph or self.word.add_paragraph()
        self.paragraph = paragraph
        run = paragraph.add_run(" ".join(data.split()) if data.strip() else " ")
        run.bold, run.italic = bool(self.bold) or None, bool(self.italic) or None


def add_narrative(word: WordDocument, html: str) -> None:
    parser = _Narrative(word)
    parser.feed(html)
    parser.close()
