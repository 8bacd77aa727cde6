"""The plan a municipality already has, as an XLSX file with Sørum's columns: what `arshjul plan import` reads."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HEADER = [
    "Mål",
    "Tiltak",
    "Målgruppe",
    "Omfang/Læringsarena",
    "Tidsrom",
    "Ansvarlig",
    "Kostnad",
    "Enheter",
    "Kompetanseområde",
]
CURRENT_PLAN: list[list[object]] = [
    [
        "Trygg demensomsorg",
        "Demensomsorgens ABC",
        "Helsefagarbeidere",
        "Studiegruppe, 2 t/uke",
        "2027",
        "Virksomhetsleder",
        60_000,
        "V1, V2",
        "Demens",
    ],
    [
        "Riktig legemiddelhåndtering",
        "Legemiddelhåndtering e-læring",
        "Alle med delegering",
        "E-læring",
        "Vår 2027",
        "Fagsykepleier",
        "12 000 kr",
        "V2",
        "Legemidler",
    ],
]


def write_plan(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tiltak"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
