"""Values that used to pass the import and fail later: control characters, addresses, huge numbers, damaged XLSX."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from arshjul.cli import main
from config.settings import get_settings
from tasks.runtime import Runtime
from tests.support.org import import_files, org_counts

HEADER = ["unit_id", "name", "parent_id", "level", "leader_name", "leader_email", "employees"]
ROOT = ["1", "Testvik kommune", "", "kommune", "Kari Nordmann", "kari@testvik.no", "5"]


def _csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";").writerows([header, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def _virksomhet(number: int, **cells: str) -> list[str]:
    row = dict(
        zip(HEADER, [str(number), f"Enhet {number}", "1", "virksomhet", f"Leder {number}", "", "10"], strict=True)
    )
    row["leader_email"] = f"leder{number}@testvik.no"
    row.update(cells)
    return [row[column] for column in HEADER]


def _seeded(rt: Runtime, tmp_path: Path) -> tuple[int, int, int, int]:
    """A valid organisation first, so that 'nothing written' is measured against rows that exist."""
    assert import_files(rt.engine, [_csv(tmp_path / "ok.csv", HEADER, [ROOT])], rt.now()).problems == []
    return org_counts(rt.engine)


def test_control_characters_in_any_text_field_are_row_problems(rt: Runtime, tmp_path: Path) -> None:
    before = _seeded(rt, tmp_path)
    bad = {
        "\r": "leader_name", "\n": "leader_name", "\x00": "leader_name", "\v": "leader_name", "\t": "leader_name",
        "\x85": "name", "\u2028": "name", "\x1b": "unit_id",
    }  # fmt: skip
    rows = [ROOT] + [
        _virksomhet(10 + n, **{column: f"Kari{char}Nordmann" if column != "unit_id" else f"{10 + n}{char}"})
        for n, (char, column) in enumerate(bad.items())
    ]
    units = _csv(tmp_path / "enheter.csv", HEADER, rows)
    reps = _csv(
        tmp_path / "tv.csv", ["navn", "e-post", "forbund", "enhet"], [["Ola\rTillit", "o@t.no", "Del\x00ta", "1"]]
    )
    report = import_files(rt.engine, [units, reps], rt.now())
    found = {(p.source, p.row, p.field) for p in report.problems}
    expected = {("enheter.csv", 3 + n, column) for n, column in enumerate(bad.values())}
    assert found == expected | {("tv.csv", 2, "name"), ("tv.csv", 2, "union")}
    text = "\n".join(map(str, report.problems))
    assert "enheter.csv, rad 3, leader_name: inneholder et usynlig tegn som ikke er tillatt (vognretur (CR)" in text
    assert "rad 4, leader_name: inneholder et usynlig tegn som ikke er tillatt (linjeskift, tegn nr. 5)" in text
    assert "rad 5, leader_name: inneholder et usynlig tegn som ikke er tillatt (NUL-tegn" in text
    assert "rad 10, unit_id: inneholder et usynlig tegn som ikke er tillatt (kontrolltegn U+001B" in text
    assert org_counts(rt.engine) == before


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("‹kari@testvik.no>", "uten navn, mellomrom, anførselstegn eller <>"),
        ("Kari Nordmann <kari@testvik.no>", "uten navn, mellomrom, anførselstegn eller <>"),
        ("kari@testvik.no, per@testvik.no", "uten navn, mellomrom"),
        ("kari@testvik.no,per@testvik.no", "bare én adresse per celle, uten komma eller semikolon"),
        ("kari@testvik.no;per@testvik.no", "bare én adresse per celle"),
        ("kåre@testvik.no", "æ, ø, å og andre tegn utenfor a–z er ikke tillatt foran @"),
        ("kari@testvik", "domenet etter @ mangler punktum"),
        ("kari..nordmann@testvik.no", "adressen har ikke formen navn@domene.no"),
        ('"kari"@testvik.no', "uten navn, mellomrom, anførselstegn eller <>"),
    ],
)
def test_addresses_a_mail_server_would_refuse_are_row_problems(
    rt: Runtime, tmp_path: Path, address: str, reason: str
) -> None:
    before = _seeded(rt, tmp_path)
    units = _csv(tmp_path / "enheter.csv", HEADER, [ROOT, _virksomhet(11, leader_email=address)])
    [problem] = import_files(rt.engine, [units], rt.now()).problems
    assert str(problem).startswith(f"enheter.csv, rad 3, leader_email: '{address}' er ikke en gyldig e-postadresse (")
    assert reason in problem.message
    assert org_counts(rt.engine) == before


def test_addresses_are_lower_cased_and_an_idn_domain_is_kept(rt: Runtime, tmp_path: Path) -> None:
    row = _virksomhet(11, leader_email="Kari.Berg@Bærum.Kommune.no")
    units = _csv(tmp_path / "enheter.csv", HEADER, [ROOT, row])
    report = import_files(rt.engine, [units], rt.now())
    assert report.problems == []
    assert "ny person Leder 11 <kari.berg@bærum.kommune.no>" in report.created


@pytest.mark.parametrize("employees", ["18446744073709551616", "9" * 20, "1" + "0" * 5000, "100001"])
def test_employee_counts_out_of_range_are_row_problems(rt: Runtime, tmp_path: Path, employees: str) -> None:
    before = _seeded(rt, tmp_path)
    units = _csv(tmp_path / "enheter.csv", HEADER, [ROOT, _virksomhet(11, employees=employees)])
    [problem] = import_files(rt.engine, [units], rt.now()).problems
    assert (problem.source, problem.row, problem.field) == ("enheter.csv", 3, "employees")
    assert "er ikke et mulig antall ansatte for én enhet (høyst 100 000)" in problem.message
    assert len(problem.message) < 120
    assert org_counts(rt.engine) == before


def _workbook(path: Path, employees: object = 10) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "enheter"
    sheet.append(HEADER)
    sheet.append([1, "Testvik kommune", None, "kommune", "Kari Nordmann", "kari@testvik.no", employees])
    workbook.save(path)
    return path


def test_a_huge_number_in_an_xlsx_cell_is_a_row_problem(rt: Runtime, tmp_path: Path) -> None:
    before = _seeded(rt, tmp_path)
    [problem] = import_files(rt.engine, [_workbook(tmp_path / "org.xlsx", 10**20)], rt.now()).problems
    assert (problem.source, problem.row, problem.field) == ("org.xlsx:enheter", 2, "employees")
    assert org_counts(rt.engine) == before


def _rewrite_member(source: Path, target: Path, member: str, content: bytes) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for item in old.infolist():
            new.writestr(item, content if item.filename == member else old.read(item.filename))
    return target


def test_damaged_xlsx_files_are_file_level_sentences(rt: Runtime, tmp_path: Path) -> None:
    before = _seeded(rt, tmp_path)
    valid = _workbook(tmp_path / "valid.xlsx")
    with zipfile.ZipFile(valid) as book:  # cut inside the second row: the header reads, then the XML ends
        sheet_xml = book.read("xl/worksheets/sheet1.xml")
    cut = sheet_xml[: sheet_xml.index(b'<row r="2">') + 40]
    broken_sheet = _rewrite_member(valid, tmp_path / "ark.xlsx", "xl/worksheets/sheet1.xml", cut)
    broken_book = _rewrite_member(valid, tmp_path / "bok.xlsx", "xl/workbook.xml", b"<workbook")
    truncated = tmp_path / "avkortet.xlsx"
    truncated.write_bytes(valid.read_bytes()[: valid.stat().st_size // 2])
    text = tmp_path / "tekst.xlsx"
    text.write_text("unit_id;name\n1;Testvik\n", encoding="utf-8")
    expected = {
        broken_sheet: "ark.xlsx: kunne ikke lese arket «enheter» i Excel-filen: innholdet (XML) i filen er ødelagt.",
        broken_book: "bok.xlsx: kunne ikke åpne Excel-filen: innholdet (XML) i filen er ødelagt.",
        truncated: "avkortet.xlsx: kunne ikke åpne Excel-filen: filen er ikke en gyldig Excel-arbeidsbok",
        text: "tekst.xlsx: kunne ikke åpne Excel-filen: filen er ikke en gyldig Excel-arbeidsbok",
    }
    for path, start in expected.items():
        [problem] = import_files(rt.engine, [path], rt.now()).problems
        assert str(problem).startswith(start), str(problem)
        assert "Åpne filen i Excel og lagre den på nytt" in problem.message
        assert problem.row is None and problem.field is None
    assert org_counts(rt.engine) == before


def test_messages_show_control_characters_as_pictures_not_raw(rt: Runtime, tmp_path: Path) -> None:
    header = [*HEADER[:6], "ansatte\x1b[2J"]  # an unknown header is quoted back in the message
    units = _csv(tmp_path / "enheter.csv", header, [ROOT, _virksomhet(11, parent_id="9\r\n9")])
    odd = _csv(tmp_path / "liste.csv", ["fornavn\r\nBcc", "telefon"], [["Kari", "123"]])
    text = "\n".join(map(str, import_files(rt.engine, [units, odd], rt.now()).problems))
    assert "enheter.csv, rad 3, parent_id: overordnet enhet '9␍␊9' finnes ikke" in text
    assert "liste.csv, rad 1: kjenner ikke igjen kolonnene (fornavn␍␊Bcc" in text
    assert not re.search("[\x00-\x1f\x7f-\x9f]", text.replace("\n", ""))


def test_the_command_lists_the_problems_instead_of_an_unexpected_error(
    rt: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))
    get_settings.cache_clear()
    before = _seeded(rt, tmp_path)
    units = _csv(tmp_path / "enheter.csv", HEADER, [ROOT, _virksomhet(11, employees="9" * 20)])
    damaged = tmp_path / "skadet.xlsx"
    damaged.write_bytes(_workbook(tmp_path / "valid.xlsx").read_bytes()[:900])
    try:
        code = main(["import-org", str(units), str(damaged)])
    finally:
        get_settings.cache_clear()
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("Importen ble avvist – ingenting er lagret. 2 feil:\n")
    assert "  - enheter.csv, rad 3, employees: '99999999999999999999' er ikke et mulig antall ansatte" in err
    assert "  - skadet.xlsx: kunne ikke åpne Excel-filen: filen er ikke en gyldig Excel-arbeidsbok" in err
    assert "Uventet feil" not in err
    assert org_counts(rt.engine) == before
