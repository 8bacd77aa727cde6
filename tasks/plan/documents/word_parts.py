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
    """A complex field (PAGE, NUMPAGES …): Word and LibreOffice compute it; `shown` stands until they do."""
    _field_start(paragraph, instruction)
    paragraph.add_run(shown)
    _field_char(paragraph, "end")


def add_contents(word: WordDocument, titles: list[str]) -> None:
    """A TOC field over Heading 1–2, its result filled with the chapter titles so a reader that does not update
    fields (LibreOffice converting, a viewer) still shows the contents; Word fills in the pages on opening."""
    for index, title in enumerate(titles or [""]):
        paragraph = word.add_paragraph()
        if index == 0:
            _field_start(paragraph, 'TOC \\o "1-2" \\h \\z \\u')
        paragraph.add_run(title)
        if index == len(titles or [""]) - 1:
            _field_char(paragraph, "end")


def _field_start(paragraph: WordParagraph, instruction: str) -> None:
    _field_char(paragraph, "begin")
    element = OxmlElement("w:instrText")
    element.set(qn("xml:space"), "preserve")
    element.text = f" {instruction} "
    paragraph.add_run()._r.append(element)
    _field_char(paragraph, "separate")


def _field_char(paragraph: WordParagraph, kind: str) -> None:
    element = OxmlElement("w:fldChar")
    element.set(qn("w:fldCharType"), kind)
    paragraph.add_run()._r.append(element)


# Where each setting goes: before the first of these that is present (Word reads settings.xml in schema order).
SETTING_SUCCESSORS = {
    "w:autoHyphenation": ("w:characterSpacingControl", "w:savePreviewPicture", "w:compat", "w:rsids"),
    "w:updateFields": ("w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:rsids"),
}


def update_fields_and_hyphenate(word: WordDocument) -> None:
    """Ask the reader to fill the fields when the file opens (the contents), and to hyphenate automatically."""
    settings = word.settings.element
    for name, successors in SETTING_SUCCESSORS.items():
        element = OxmlElement(name)
        element.set(qn("w:val"), "true")
        following = next((found for tag in successors if (found := settings.find(qn(tag))) is not None), None)
        if following is not None:
            following.addprevious(element)
        else:
            settings.append(element)


def repeat_header_and_fix_widths(table: WordTable, widths: tuple[float, ...], usable_mm: float) -> None:
    """The first row repeats on every page; rows do not split; columns keep the widths sized to their content."""
    table.autofit = False  # w:tblLayout fixed
    properties = table._tbl.tblPr
    margins = OxmlElement("w:tblCellMar")  # narrow cell margins: the columns' width goes to the text
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")  # twentieths of a point: 1 mm
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    look = properties.find(qn("w:tblLook"))  # the schema puts the margins before the look
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)
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
