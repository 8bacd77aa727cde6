"""A stored version as PDF (read back: text layer and structure tree), DOCX, HTML and XLSX: the plan as a
municipality prints it, from one source."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from docx import Document
from docx.oxml.ns import qn
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from domain.identity import AccountRole
from tasks.plan.documents.export import UnknownFormat, export_version, file_name
from tasks.plan.versions import adopt, version_of
from tasks.runtime import Runtime
from tests.support.accounts import make_user, sign_in
from tests.support.pdf_reading import structure, text_layer
from tests.support.plan_year import YEAR, at, consultation, spring_input
from web.app import create_app

CHAPTERS = (
    "Forankring og ambisjoner",
    "Overordnede mål",
    "Kompetansebegrepet",
    "Innsatsområder",
    "Retningslinjer for evaluering",
    "Analyse av kompetansebehovet",
    "Strategier",
    "Tiltaksplan 2028",
    "Kostnader og finansiering",
    "Drøfting med tillitsvalgte",
    "Vedtaks- og endringsprotokoll",
    "Vedlegg 1: Enhetene bak hvert tiltak",
    "Vedlegg 2: Kompetansebehov per enhet",
)
SORUM = ("Mål", "Tiltak", "Målgruppe", "Omfang/Læringsarena", "Tidsrom", "Ansvarlig", "Kostnad")
VEDTAK = {"body": "Kommunestyret", "held_on": "2027-12-09", "kind": "vedtak", "case_number": "2027/512"}
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed")


class Exported(dict[str, bytes]):
    """The adopted version's files, each made when a test first asks for it (a PDF takes seconds)."""

    def __init__(self, rt: Runtime) -> None:
        super().__init__()
        self.rt = rt

    def __missing__(self, fmt: str) -> bytes:
        with self.rt.session() as session:
            self[fmt] = export_version(session, version_of(session, YEAR), fmt)
        return self[fmt]


@pytest.fixture
def exported(rt: Runtime) -> Exported:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)
        adopt(session, rt, year=YEAR, handlings=[VEDTAK], now=at(12, 10), actor="HR")
    with rt.session() as session:
        assert file_name(session, version_of(session, YEAR), "pdf") == "kompetanseplan-2028-versjon-2.pdf"
    return Exported(rt)


@needs_pdftotext
def test_the_pdf_reads_back_with_cover_contents_chapters_measures_and_the_protocol(
    exported: Exported, tmp_path: Path
) -> None:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(exported["pdf"])
    cover, contents = text_layer(pdf, first=1, last=1), text_layer(pdf, first=2, last=2)
    assert cover.startswith("Testvik kommune Kompetanseplan 2028 for Testvik kommune Versjon 2 (vedtatt)")
    assert "Side" not in cover  # the cover carries no page number
    assert contents.startswith("Innhold") and all(title in contents for title in CHAPTERS)
    text = text_layer(pdf)
    for title in CHAPTERS:
        assert title in text, title
    main = text.split("Vedlegg 1: Enhetene bak hvert tiltak")[1]  # after the contents, before the appendices
    assert "Mål Tiltak Målgruppe Omfang/Læringsarena Tidsrom Ansvarlig Kostnad Finansiering Prioritet" in text
    assert "Demensomsorgens ABC Alle" in text and "80 000 kr" in text and "2 enheter" in text
    assert "Enhet 1, Enhet 2" not in main  # who asked is a count; the names are in the appendices
    assert "Kommunestyret 09.12.2027 Vedtak 2027/512 2" in text  # the protocol names the version it adopted
    assert "Tora Tillitsvalgt (Fagforbundet), om versjon 1: Enig" in text
    assert re.search(r"Side 3 av \d+", text) and "Sjekksum" not in text


@needs_pdftotext
def test_the_pdf_is_tagged_pdf_ua_with_headings_tables_language_and_title(exported: Exported, tmp_path: Path) -> None:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(exported["pdf"])
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, check=True, text=True).stdout
    assert re.search(r"^Tagged:\s+yes$", info, re.M) and re.search(r"^Page size:.*\(A4\)$", info, re.M)
    kinds, facts = structure(pdf)
    assert kinds["H1"] == 1 and kinds["H2"] >= len(CHAPTERS) and kinds["H3"] >= 3
    assert kinds["Table"] >= 8 and kinds["TH"] >= 40 and kinds["TD"] > kinds["TH"] and kinds["TR"] > kinds["Table"]
    assert kinds["L"] >= 3 and kinds["LI"] >= 3
    assert facts["lang"] == "nb" and facts["marked"] and facts["display_title"] and facts["ua_part"] == "1"
    assert facts["title"] == facts["xmp_title"] == "Kompetanseplan 2028 for Testvik kommune"


def test_the_docx_has_styles_a_contents_field_page_numbers_and_repeated_sized_table_headers(
    exported: Exported,
) -> None:
    word = Document(BytesIO(exported["docx"]))
    styled = [(p.style.name, p.text) for p in word.paragraphs if p.style is not None]
    assert ("Title", "Kompetanseplan 2028 for Testvik kommune") in styled
    assert word.core_properties.title == "Kompetanseplan 2028 for Testvik kommune"  # what readers announce
    assert all(("Heading 1", title) in styled for title in CHAPTERS), styled
    assert ("Heading 2", "Demens") in styled or ("Heading 2", "Andre tiltak") in styled
    body = word.element.body.xml
    assert 'TOC \\o "1-2" \\h \\z \\u' in body
    section = word.sections[0]
    assert section.page_width is not None and section.page_height is not None
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297  # A4 portrait
    assert section.different_first_page_header_footer
    assert " PAGE " in section.footer._element.xml and " NUMPAGES " in section.footer._element.xml
    settings = word.settings.element.xml
    assert "w:updateFields" in settings and "w:autoHyphenation" in settings
    for table in word.tables:
        header = table.rows[0]._tr
        assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
        assert table._tbl.tblPr.find(qn("w:tblLayout")).get(qn("w:type")) == "fixed"
    measures = [t for t in word.tables if tuple(c.text for c in t.rows[0].cells[:7]) == SORUM]
    rows = [[c.text for c in row.cells] for t in measures for row in t.rows[1:]]
    assert ["Bedre demens", "Demensomsorgens ABC", "Alle", "", "", "", "80\u00a0000\u00a0kr"] in [r[:7] for r in rows]
    assert len(rows) == 3 and {r[-1] for r in rows} == {"2 enheter", "1 enhet"}
    widths = {cell.width for cell in measures[0].rows[0].cells}
    assert len(widths) > 3  # sized to the content, not all alike
    protocol = next(t for t in word.tables if t.rows[0].cells[0].text == "Behandlet i")
    assert [c.text for c in protocol.rows[1].cells] == ["Kommunestyret", "09.12.2027", "Vedtak", "2027/512", "2", "–"]


def test_the_xlsx_prints_landscape_fit_to_width_with_titles_and_no_internal_key(exported: Exported) -> None:
    book = load_workbook(BytesIO(exported["xlsx"]))
    assert book.sheetnames == ["Tiltak", "Per enhet"]
    for sheet in book.worksheets:
        headers = next(sheet.iter_rows(values_only=True))
        assert "Nøkkel" not in headers
        assert sheet.print_title_rows == "$1:$1" and sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
    rows = list(book["Tiltak"].iter_rows(values_only=True))
    assert rows[0][:9] == ("Nr", "Område", "Mål", *SORUM[1:6], "Kostnad (kr)")
    assert [(r[3], r[8], r[12]) for r in rows[1:]] == [
        ("Demensomsorgens ABC", 80_000, "Enhet 1, Enhet 2"),
        ("Kurs i journalsystem", 20_000, "Enhet 1"),
        ("Språkløyper", 15_000, "Solsiden barnehage"),
    ]
    per_unit = list(book["Per enhet"].iter_rows(values_only=True))[1:]
    assert [(r[0], r[2], r[4]) for r in per_unit] == [
        ("Demensomsorgens ABC", "Enhet 1", 50_000),
        ("Demensomsorgens ABC", "Enhet 2", 30_000),
        ("Kurs i journalsystem", "Enhet 1", 20_000),
        ("Språkløyper", "Solsiden barnehage", 15_000),
    ]


def test_the_html_is_a_whole_bokmal_page_with_contents_and_the_text_escaped(exported: Exported) -> None:
    html = exported["html"].decode("utf-8")
    assert html.lstrip().startswith("<!doctype html>") and '<html lang="nb">' in html
    assert (
        '<nav class="contents" aria-labelledby="innhold">' in html and '<a href="#tiltak">Tiltaksplan 2028</a>' in html
    )
    assert '<h2 id="drofting-tittel">Drøfting med tillitsvalgte</h2>' in html
    assert "<td>Demensomsorgens ABC</td>" in html and "hyphens: auto" in html
    assert "Versjon 2 (vedtatt), bygger på versjon 1." in html


def test_the_same_version_always_exports_the_same_bytes(rt: Runtime, exported: Exported) -> None:
    with rt.session() as session:
        version = version_of(session, YEAR)
        again = {fmt: export_version(session, version, fmt) for fmt in ("html", "pdf", "docx", "xlsx")}
        assert again == {fmt: exported[fmt] for fmt in again}
        with pytest.raises(UnknownFormat, match="Ukjent format «odt»"):
            export_version(session, version, "odt")


def test_the_files_are_dated_by_their_version_not_by_the_wall_clock(rt: Runtime, exported: Exported) -> None:
    with rt.session() as session:
        created = version_of(session, YEAR).created_at.replace(tzinfo=None)
    for fmt in ("docx", "xlsx"):
        with zipfile.ZipFile(BytesIO(exported[fmt])) as archive:
            assert {item.date_time for item in archive.infolist()} == {created.timetuple()[:6]}
    properties = Document(BytesIO(exported["docx"])).core_properties
    assert properties.created is not None and properties.modified is not None
    assert properties.created.replace(tzinfo=None) == properties.modified.replace(tzinfo=None) == created
    workbook = load_workbook(BytesIO(exported["xlsx"])).properties
    assert workbook.created == workbook.modified == created
    with pikepdf.open(BytesIO(exported["pdf"])) as pdf:
        dates = {str(pdf.docinfo[key])[2:16] for key in ("/CreationDate", "/ModDate")}
    assert dates == {created.strftime("%Y%m%d%H%M%S")}


@needs_pdftotext
def test_a_kommunalsjef_exports_the_sectors_own_part_of_the_plan(rt: Runtime, tmp_path: Path) -> None:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)
    make_user(rt, "sjef@testvik.no", AccountRole.KOMMUNALSJEF, sector="S1")
    with TestClient(create_app(rt)) as client:
        sign_in(client, "sjef@testvik.no")
        response = client.get(f"/hr/plan/{YEAR}/versjon/2/sektor/S1/eksport/pdf")
        workbook = client.get(f"/hr/plan/{YEAR}/versjon/2/sektor/S1/eksport/xlsx")
    assert response.status_code == 200
    assert 'filename="kompetanseplan-2028-versjon-2-helse-og-omsorg.pdf"' in response.headers["content-disposition"]
    pdf = tmp_path / "sektor.pdf"
    pdf.write_bytes(response.content)
    text = text_layer(pdf)
    assert "Kompetanseplan 2028 for Testvik kommune – Helse og omsorg" in text
    assert "Demensomsorgens ABC" in text and "Kurs i journalsystem" in text
    assert "Språkløyper" not in text and "Solsiden barnehage" not in text  # Oppvekst's own
    assert "Forankring og ambisjoner" not in text  # the narrative is the whole plan's
    titles = [r[3] for r in load_workbook(BytesIO(workbook.content))["Tiltak"].iter_rows(min_row=2, values_only=True)]
    assert titles == ["Demensomsorgens ABC", "Kurs i journalsystem"]


def test_the_logo_setting_puts_the_municipalitys_logo_on_every_documents_cover(rt: Runtime, tmp_path: Path) -> None:
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("RGB", (120, 60), (31, 69, 102)).save(logo)
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)
        version = version_of(session, YEAR)
        files = {fmt: export_version(session, version, fmt, logo=logo) for fmt in ("html", "pdf", "docx")}
        missing = export_version(session, version, "html", logo=tmp_path / "finnes-ikke.png")
    assert '<img class="logo" src="data:image/png;base64,' in files["html"].decode("utf-8")
    assert 'alt="Logo for Testvik kommune"' in files["html"].decode("utf-8")
    with pikepdf.open(BytesIO(files["pdf"])) as pdf:
        figures = [e for e in _elements(pdf.Root.StructTreeRoot.K) if str(e.S) == "/Figure"]
        assert [str(f.Alt) for f in figures] == ["Logo for Testvik kommune"]
    assert len(Document(BytesIO(files["docx"])).inline_shapes) == 1
    assert "<img" not in missing.decode("utf-8")  # a file that is not there: the plan is still made, without it


def _elements(node: object) -> list[pikepdf.Dictionary]:
    if isinstance(node, pikepdf.Array):
        return [e for child in node for e in _elements(child)]
    if isinstance(node, pikepdf.Dictionary) and "/S" in node:
        return [node, *(_elements(node.K) if "/K" in node else [])]
    return []


@needs_pdftotext
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed (not in make system-deps)")
def test_libreoffice_opens_the_docx_and_the_xlsx(exported: Exported, tmp_path: Path) -> None:
    """Where LibreOffice is installed: it reads both files and prints them (contents filled, page numbers)."""
    for fmt in ("docx", "xlsx"):
        (tmp_path / f"plan.{fmt}").write_bytes(exported[fmt])
        out = tmp_path / fmt
        subprocess.run(
            ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profil'}", "--headless", "--convert-to", "pdf",
             "--outdir", str(out), str(tmp_path / f"plan.{fmt}")],
            capture_output=True, check=True, timeout=300,
        )  # fmt: skip
    word, sheet = text_layer(tmp_path / "docx" / "plan.pdf"), text_layer(tmp_path / "xlsx" / "plan.pdf")
    assert word.startswith("Testvik kommune Kompetanseplan 2028 for Testvik kommune")
    assert "Innhold Forankring og ambisjoner Overordnede mål" in word and "Demensomsorgens ABC" in word
    assert "Nr Område Mål Tiltak" in sheet and "Side 1 av" in sheet and "Språkløyper" in sheet
