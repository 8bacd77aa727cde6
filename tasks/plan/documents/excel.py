"""The plan's measures as a spreadsheet: one row per measure, and one row per unit that asked for it; printed
landscape, fit to the page's width, with the header row on every page."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.cells import xlsx_row
from domain.plan.blocks import kroner
from domain.plan.content import PlanContent, PlannedMeasure, UnitRequest
from domain.plan.document import VersionMeta
from domain.plan.input_section import funding_text
from domain.plan.wording import headings
from tasks.plan.documents.stamps import restamped, version_stamp

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
    "Innsatsområde",
    "Deltakere",
    "Finansiering med beløp",
)
UNIT_HEADERS = (
    "Tiltak",
    "Område",
    "Enhet",
    "Sektor",
    "Kostnad (kr)",
    "Prioritet",
    "Finansiering",
    # each unit's own request, as it wrote it (appended, so the columns above keep their places)
    "Mål",
    "Målgruppe",
    "Omfang/Læringsarena",
    "Tidsrom",
    "Ansvarlig",
    "Deltakere",
    "Kostnadstype",
    "Samlinger",
    "Finansiering med beløp",
)
MONEY = '#,##0" kr"'


def measures_workbook(content: PlanContent, meta: VersionMeta | None = None, terms: Terms = DEFAULT_TERMS) -> bytes:
    """'Tiltak' in Sørum's columns plus priority, funding and units; 'Per enhet' for next January's evaluation; the
    levels named in the municipality's words."""
    w = terms["nb"]
    book = Workbook()
    measures = content.measures
    sheet = book.active
    assert sheet is not None
    sheet.title = "Tiltak"
    _fill(
        sheet,
        headings(MEASURE_HEADERS, w),
        [_measure_row(n, m) for n, m in enumerate(measures, start=1)],
        money_column=9,
    )
    per_unit = [_unit_row(m, r) for m in measures for r in m.requests]
    # A sheet name holds at most 31 characters.
    _fill(book.create_sheet(f"Per {w.unit.singular}"[:31]), headings(UNIT_HEADERS, w), per_unit, money_column=5)
    book.properties.title = content.title
    book.properties.creator = "Årshjul"
    book.properties.language = "nb-NO"
    stamp = version_stamp(meta)
    book.properties.created = book.properties.modified = stamp  # the version's own time, never the wall clock
    buffer = BytesIO()
    # Workbook.save stamps "modified" with the wall clock; the writer underneath keeps the version's time.
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return restamped(buffer.getvalue(), stamp)


def _measure_row(number: int, m: PlannedMeasure) -> list[Any]:
    return [
        number,
        m.area,
        m.goal,
        m.title,
        m.target_group,
        m.arena,
        m.period,
        m.responsible,
        m.cost,
        m.funding,
        m.priority,
        m.substitutes_text,
        m.asked_by,
        ", ".join(m.sectors),
        m.focus_area,
        m.participants,
        funding_text(m),
    ]


def _unit_row(m: PlannedMeasure, r: UnitRequest) -> list[Any]:
    shares = ", ".join(f"{source} {kroner(amount)}" for source, amount in r.funding_shares.items())
    return [
        *(m.title, m.area, r.unit_name, r.sector, r.cost, r.priority, r.funding),
        *(r.goal, r.target_group, r.arena, r.period, r.responsible, r.participants, r.cost_type, r.sessions, shares),
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
    _print_set_up(sheet)


def _print_set_up(sheet: Worksheet) -> None:
    """Printed: A4 landscape, every column on one page wide, the header row on top of every page."""
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.oddFooter.center.text = "Side &P av &N"
