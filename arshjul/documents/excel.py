"""The plan's measures as a spreadsheet: one row per measure, and one row per unit that asked for it."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import UTC, datetime
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from domain.cells import xlsx_row
from domain.plan_document import VersionMeta

MEASURE_HEADERS = (
    "Nr",
    "Område",
    "Mål",
    "Tiltak",
    "Målgruppe",
    "Omfang/Læringsarena",
    "Tidsrom",
    "Ansvarlig",
    "Kostnad (kr)",
    "Finansiering",
    "Prioritet",
    "Vikar",
    "Meldt inn av",
    "Sektorer",
    "Nøkkel",
)
UNIT_HEADERS = ("Tiltak", "Område", "Enhet", "Sektor", "Kostnad (kr)", "Prioritet", "Finansiering", "Nøkkel")
MONEY = '#,##0" kr"'


def measures_workbook(content: dict[str, Any], meta: VersionMeta | None = None) -> bytes:
    """'Tiltak' in Sørum's columns plus priority, funding and units; 'Per enhet' for next January's evaluation."""
    book = Workbook()
    measures = content.get("measures", [])
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tiltak"
    _fill(sheet, MEASURE_HEADERS, [_measure_row(n, m) for n, m in enumerate(measures, start=1)], money_column=9)
    per_unit = [_unit_row(m, r) for m in measures for r in m.get("requests", [])]
    _fill(book.create_sheet("Per enhet"), UNIT_HEADERS, per_unit, money_column=5)
    book.properties.title = str(content.get("title", "Kompetanseplan"))
    book.properties.creator = "Årshjul"
    book.properties.language = "nb-NO"
    stamp = meta.created_at.astimezone(UTC).replace(tzinfo=None) if meta is not None else datetime(1980, 1, 1)
    book.properties.created = book.properties.modified = stamp  # the version's own time, never the wall clock
    buffer = BytesIO()
    book.save(buffer)
    return _restamped(buffer.getvalue(), stamp)


def _restamped(data: bytes, stamp: datetime) -> bytes:
    """openpyxl dates every zip entry with the wall clock; give them the version's time so bytes repeat."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=stamp.timetuple()[:6])
            info.compress_type, info.external_attr = item.compress_type, item.external_attr
            target.writestr(info, source.read(item.filename))
    return out.getvalue()


def _measure_row(number: int, m: dict[str, Any]) -> list[Any]:
    return [
        number,
        m["area"],
        m.get("goal", ""),
        m["title"],
        m.get("target_group", ""),
        m.get("arena", ""),
        m.get("period", ""),
        m.get("responsible", ""),
        int(m.get("cost", 0)),
        m.get("funding", ""),
        m.get("priority", ""),
        "Ja" if m.get("substitutes") else "Nei",
        ", ".join(m.get("unit_names", [])),
        ", ".join(m.get("sectors", [])),
        m["key"],
    ]


def _unit_row(m: dict[str, Any], request: dict[str, Any]) -> list[Any]:
    return [
        m["title"],
        m["area"],
        request["unit_name"],
        request["sector"],
        int(request["cost"]),
        request["priority"],
        request.get("funding", ""),
        m["key"],
    ]


def _fill(sheet: Worksheet, headers: Sequence[str], rows: list[list[Any]], *, money_column: int) -> None:
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E8EEF3")
    for row in rows:
        sheet.append(xlsx_row(sheet, row))  # leader text stays text, never a formula
    for (cell,) in sheet.iter_rows(min_row=2, min_col=money_column, max_col=money_column):
        cell.number_format = MONEY
    for index, header in enumerate(headers, start=1):
        longest = max([len(header), *(len(str(r[index - 1])) for r in rows)])
        sheet.column_dimensions[get_column_letter(index)].width = min(max(longest + 2, 8), 60)
    for line in sheet.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
