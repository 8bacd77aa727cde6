"""A stored version as PDF (read back with pdftotext), DOCX, HTML and XLSX: the plan's parts and its measures."""

from __future__ import annotations

import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tasks.plan.documents.export import UnknownFormat, export_version, file_name
from tasks.plan.versions import adopt, version_of
from tasks.runtime import Runtime
from tests.support.plan_year import YEAR, at, consultation, spring_input

HEADINGS = (
    "Forankring og ambisjoner",
    "Overordnede mål",
    "Innsatsområder",
    "Analyse av kompetansebehovet",
    "Strategier",
    "Tiltak",
    "Kostnader og finansiering",
    "Evaluering av fjorårets tiltak",
    "Retningslinjer for evaluering",
    "Drøfting med tillitsvalgte",
    "Behandlinger",
)
SORUM = ("Mål", "Tiltak", "Målgruppe", "Omfang/Læringsarena", "Tidsrom", "Ansvarlig", "Kostnad")
VEDTAK = {"body": "Kommunestyret", "held_on": "2027-12-09", "kind": "vedtak", "case_number": "2027/512"}


@pytest.fixture
def exported(rt: Runtime) -> dict[str, bytes]:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)
        adopt(session, rt, year=YEAR, handlings=[VEDTAK], now=at(12, 10), actor="HR")
    with rt.session() as session:
        version = version_of(session, YEAR)
        assert file_name(session, version, "pdf") == "kompetanseplan-2028-versjon-2.pdf"
        return {fmt: export_version(session, version, fmt) for fmt in ("html", "pdf", "docx", "xlsx")}


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_pdf_reads_back_with_every_heading_a_measure_and_the_handling(
    exported: dict[str, bytes], tmp_path: Path
) -> None:
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(exported["pdf"])
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "Kompetanseplan 2028 for Testvik kommune" in text
    for heading in HEADINGS:
        assert heading in text, heading
    assert "Demensomsorgens ABC" in text and "80 000 kr" in text and "Enhet 1, Enhet 2" in text
    assert "Kommunestyret" in text and "2027/512" in text and "09.12.2027" in text
    assert "Omfang/Læringsarena" in text and "Språkløyper" in text
    assert "Tora Tillitsvalgt (Fagforbundet), om versjon 1: Enig" in text


def test_the_docx_has_the_headings_as_word_headings_and_the_measures_in_sorums_columns(
    exported: dict[str, bytes],
) -> None:
    word = Document(BytesIO(exported["docx"]))
    headings = [p.text for p in word.paragraphs if p.style is not None and p.style.name.startswith("Heading")]
    assert all(h in headings for h in HEADINGS), headings
    assert word.core_properties.title == "Kompetanseplan 2028 for Testvik kommune"
    measure_tables = [t for t in word.tables if tuple(c.text for c in t.rows[0].cells[:7]) == SORUM]
    rows = [[c.text for c in row.cells] for t in measure_tables for row in t.rows[1:]]
    assert ["Bedre demens", "Demensomsorgens ABC", "Alle", "", "", "", "80 000 kr"] in [r[:7] for r in rows]
    assert len(rows) == 3
    handling = next(t for t in word.tables if t.rows[0].cells[0].text == "Organ")
    assert [c.text for c in handling.rows[1].cells] == ["Kommunestyret", "09.12.2027", "vedtak", "2027/512", ""]


def test_the_xlsx_has_one_row_per_measure_and_one_per_unit_that_asked(exported: dict[str, bytes]) -> None:
    book = load_workbook(BytesIO(exported["xlsx"]))
    assert book.sheetnames == ["Tiltak", "Per enhet"]
    rows = list(book["Tiltak"].iter_rows(values_only=True))
    assert rows[0][:9] == (
        "Nr",
        "Område",
        "Mål",
        "Tiltak",
        "Målgruppe",
        "Omfang/Læringsarena",
        "Tidsrom",
        "Ansvarlig",
        "Kostnad (kr)",
    )
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


def test_the_html_is_a_whole_bokmal_page_with_the_text_escaped(exported: dict[str, bytes]) -> None:
    html = exported["html"].decode("utf-8")
    assert html.lstrip().startswith("<!doctype html>") and '<html lang="nb">' in html
    assert "<h2>Drøfting med tillitsvalgte</h2>" in html and "<td>Demensomsorgens ABC</td>" in html
    assert "Versjon 2 (vedtatt), bygger på versjon 1." in html


def test_the_same_version_always_exports_the_same_bytes(rt: Runtime, exported: dict[str, bytes]) -> None:
    with rt.session() as session:
        version = version_of(session, YEAR)
        assert {fmt: export_version(session, version, fmt) for fmt in exported} == exported
        with pytest.raises(UnknownFormat, match="Ukjent format «odt»"):
            export_version(session, version, "odt")


def test_the_workbook_is_dated_by_its_version_not_by_the_wall_clock(rt: Runtime, exported: dict[str, bytes]) -> None:
    import zipfile
    from io import BytesIO

    with rt.session() as session:
        created = version_of(session, YEAR).created_at
    with zipfile.ZipFile(BytesIO(exported["xlsx"])) as archive:
        stamps = {item.date_time for item in archive.infolist()}
    assert stamps == {created.timetuple()[:6]}


def test_the_word_file_the_workbook_and_the_pdf_are_dated_by_their_version_not_by_the_wall_clock(
    rt: Runtime, exported: dict[str, bytes]
) -> None:
    import re
    import zipfile

    with rt.session() as session:
        created = version_of(session, YEAR).created_at.replace(tzinfo=None)
    with zipfile.ZipFile(BytesIO(exported["docx"])) as archive:
        assert {item.date_time for item in archive.infolist()} == {created.timetuple()[:6]}
    properties = Document(BytesIO(exported["docx"])).core_properties
    assert properties.created is not None and properties.modified is not None
    assert properties.created.replace(tzinfo=None) == properties.modified.replace(tzinfo=None) == created
    workbook = load_workbook(BytesIO(exported["xlsx"])).properties
    assert workbook.created == workbook.modified == created
    dates = set(re.findall(rb"/(?:CreationDate|ModDate) \(D:(\d{14})", exported["pdf"]))
    assert dates == {created.strftime("%Y%m%d%H%M%S").encode()}
