"""Reading organisation import files: aliases, encodings, delimiters, XLSX sheets, and unreadable files."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tasks.org.reading.files import read_tables
from tasks.org.types import ImportProblem

UNITS_NB = "Enhet_ID;Navn;Overordnet;Nivå;Leder;E-post;Antall ansatte\n"


def test_norwegian_header_aliases_map_to_canonical_columns(tmp_path: Path) -> None:
    units = tmp_path / "enheter.csv"
    units.write_text(UNITS_NB + "1;Testvik kommune;;Kommune;Kari Nordmann;kari@testvik.no;12\n", "utf-8")
    reps = tmp_path / "tv.csv"
    reps.write_text(" Navn ,EPOST,Forbund,Omfang\nOla Tillit,ola@testvik.no,Delta,1\n", encoding="utf-8")
    tables, problems = read_tables([units, reps])
    assert problems == []
    by_kind = {table.kind: table for table in tables}
    assert by_kind["units"].rows[0].values == {
        "unit_id": "1",
        "name": "Testvik kommune",
        "parent_id": "",
        "level": "Kommune",
        "leader_name": "Kari Nordmann",
        "leader_email": "kari@testvik.no",
        "employees": "12",
    }
    assert by_kind["tillitsvalgte"].rows[0].values == {
        "name": "Ola Tillit",
        "email": "ola@testvik.no",
        "union": "Delta",
        "unit_id": "1",
    }


def test_semicolon_cp1252_csv_with_norwegian_letters(tmp_path: Path) -> None:
    first = "1;Bjørkås kommune;;kommune;Åse Sæther;ase@x.no;3\n"
    text = UNITS_NB + first + "\n" + "2;Øvre Løkka skole;1;virksomhet;Pål Ørn;p@x.no;40\n"
    path = tmp_path / "enheter.csv"
    path.write_bytes(text.encode("cp1252"))
    (table,), problems = read_tables([path])
    assert problems == []
    assert table.kind == "units" and table.source == "enheter.csv"
    assert [row.number for row in table.rows] == [2, 4]  # the blank line keeps its number
    assert table.rows[0].values["name"] == "Bjørkås kommune"
    assert table.rows[1].values["leader_name"] == "Pål Ørn"


def test_utf8_bom_comma_csv(tmp_path: Path) -> None:
    path = tmp_path / "enheter.csv"
    header = "unit_id,name,parent_id,level,leader_name,leader_email\n"
    path.write_bytes((header + "1,Ærøy kommune,,kommune,,\n").encode("utf-8-sig"))
    (table,), problems = read_tables([path])
    assert problems == [] and table.columns[0] == "unit_id"
    assert table.rows[0].values["name"] == "Ærøy kommune"


def test_xlsx_with_two_sheets_named_or_recognised_by_headers(tmp_path: Path) -> None:
    workbook = Workbook()
    units = workbook.active
    assert units is not None
    units.title = "Ark1"
    units.append(["ID", "Navn", "Overordnet", "Nivå", "Leder", "E-post", "Ansatte"])
    units.append([1, "Testvik kommune", None, "kommune", "Kari Nordmann", "kari@testvik.no", 12.0])
    units.append([1203, "Solbakken barnehage", 1, "virksomhet", "Per Hansen", "per@testvik.no", 18])
    reps = workbook.create_sheet("tillitsvalgte")
    reps.append(["Navn", "E-post", "Forbund", "Enhet"])
    reps.append(["Ola Tillit", "ola@testvik.no", "Fagforbundet", 1])
    workbook.create_sheet("Instruksjoner")  # empty: skipped
    path = tmp_path / "organisasjon.xlsx"
    workbook.save(path)
    tables, problems = read_tables([path])
    assert problems == []
    by_kind = {table.kind: table for table in tables}
    assert by_kind["units"].source == "organisasjon.xlsx:Ark1"
    assert [row.number for row in by_kind["units"].rows] == [2, 3]
    assert by_kind["units"].rows[1].values["unit_id"] == "1203"
    assert by_kind["units"].rows[0].values["employees"] == "12"
    assert by_kind["units"].rows[1].values["parent_id"] == "1"
    assert by_kind["tillitsvalgte"].source == "organisasjon.xlsx:tillitsvalgte"
    assert by_kind["tillitsvalgte"].rows[0].values["unit_id"] == "1"


def test_unknown_file_type_and_missing_file_are_problems(tmp_path: Path) -> None:
    pdf = tmp_path / "org.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    xls = tmp_path / "gammel.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0")
    tables, problems = read_tables([pdf, xls, tmp_path / "borte.csv"])
    assert tables == []
    messages = [str(problem) for problem in problems]
    assert messages[0] == "org.pdf: ukjent filtype '.pdf'; bruk CSV (.csv) eller Excel (.xlsx)"
    assert "(.xls) støttes ikke" in messages[1]
    assert messages[2] == "borte.csv: finner ikke filen"


def test_damaged_xlsx_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "skadet.xlsx"
    path.write_bytes(b"not a zip file at all")
    _, problems = read_tables([path])
    assert problems and "kunne ikke åpne Excel-filen" in problems[0].message


def test_unknown_headers_and_missing_column(tmp_path: Path) -> None:
    odd = tmp_path / "liste.csv"
    odd.write_text("fornavn;etternavn;telefon\nKari;Nordmann;123\n", encoding="utf-8")
    partial = tmp_path / "enheter.csv"
    partial.write_text("unit_id,name,parent_id,level,leader_name\n1,K,,kommune,\n", encoding="utf-8")
    tables, problems = read_tables([odd, partial])
    assert [table.source for table in tables] == ["enheter.csv"]
    assert problems[0].source == "liste.csv" and "kjenner ikke igjen kolonnene" in problems[0].message
    assert problems[1] == ImportProblem(
        "enheter.csv",
        1,
        "leader_email",
        "kolonnen mangler i overskriftsraden (godtatte navn: leader_email, e-post, epost, leder_e-post, "
        "leder_epost, email)",
    )


def test_problem_reads_as_a_sentence() -> None:
    message = "'ola(at)x.no' er ikke en gyldig e-postadresse"
    problem = ImportProblem("enheter.csv", 14, "leader_email", message)
    assert str(problem) == "enheter.csv, rad 14, leader_email: 'ola(at)x.no' er ikke en gyldig e-postadresse"
    assert str(ImportProblem("a.csv", None, None, "filen er tom")) == "a.csv: filen er tom"
