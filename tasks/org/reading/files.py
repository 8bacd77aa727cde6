"""Reading the organisation import files (CSV or XLSX) into raw tables; no validation of values here."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from tasks.org.reading.encoding import decode_import
from tasks.org.reading.headers import (
    KIND_LABEL,
    column_map,
    guess_kind,
    kind_of_sheet,
    missing_columns,
    unknown_headers,
)
from tasks.org.reading.sheets import csv_records, xlsx_problem
from tasks.org.types import ImportProblem, RawRow, RawTable, TableKind

Rows = Iterable[tuple[int, list[str]]]


def read_tables(paths: Sequence[Path]) -> tuple[list[RawTable], list[ImportProblem]]:
    """Every table found in the files, and what kept us from reading the rest."""
    tables: list[RawTable] = []
    problems: list[ImportProblem] = []
    for path in paths:
        found, trouble = read_file(path)
        tables += found
        problems += trouble
    return tables, problems + _check_kinds(tables, problems, [path.name for path in paths])


def read_file(path: Path) -> tuple[list[RawTable], list[ImportProblem]]:
    suffix = path.suffix.lower()
    if not path.is_file():
        return [], [ImportProblem(path.name, None, None, "finner ikke filen")]
    if suffix in (".csv", ".txt"):
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix == ".xls":
        message = "det gamle Excel-formatet (.xls) støttes ikke; lagre filen som .xlsx eller CSV"
    else:
        message = f"ukjent filtype '{suffix or path.name}'; bruk CSV (.csv) eller Excel (.xlsx)"
    return [], [ImportProblem(path.name, None, None, message)]


def sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count) if any(c in header for c in ";,\t") else ","


def _read_csv(path: Path) -> tuple[list[RawTable], list[ImportProblem]]:
    try:
        decoded = decode_import(path.read_bytes())
    except OSError as error:
        return [], [ImportProblem(path.name, None, None, f"kunne ikke lese filen ({error.strerror})")]
    if decoded.text is None:
        return [], [ImportProblem(path.name, None, None, decoded.refusal)]
    records, trouble = csv_records(decoded.text, sniff_delimiter(decoded.text), path.name)
    if trouble is not None:
        return [], [trouble]
    by_name = kind_of_sheet(path.stem)
    named: TableKind | None = by_name if by_name in ("ansatte", "organer") else None  # known by the file's name
    return _table(path.name, enumerate(records, start=1), named, False)


def _read_xlsx(path: Path) -> tuple[list[RawTable], list[ImportProblem]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for damaged files
        return [], [xlsx_problem(path.name, None, error)]
    tables: list[RawTable] = []
    problems: list[ImportProblem] = []
    try:
        for sheet in workbook.worksheets:
            try:
                found, trouble = _sheet_table(path.name, sheet)
            except Exception as error:  # sheets are parsed lazily: damaged XML shows up only here
                return [], [xlsx_problem(path.name, sheet.title, error)]
            tables += found
            problems += trouble
    finally:
        workbook.close()
    return tables, problems


def _sheet_table(name: str, sheet: Any) -> tuple[list[RawTable], list[ImportProblem]]:
    sheet.reset_dimensions()  # read-only sheets may carry a wrong size
    rows = sheet.iter_rows(min_row=1, values_only=True)
    cells = ((number, [cell_text(v) for v in row]) for number, row in enumerate(rows, start=1))
    return _table(f"{name}:{sheet.title}", cells, kind_of_sheet(sheet.title), True)


def cell_text(value: object) -> str:
    """A cell as the user sees it: whole numbers without '.0', dates as ISO, empty as ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _table(
    source: str, rows: Rows, named: TableKind | None, is_sheet: bool
) -> tuple[list[RawTable], list[ImportProblem]]:
    """The first non-empty row is the header. An empty sheet, or one we cannot place, is skipped quietly."""
    iterator = (row for row in rows if any(cell.strip() for cell in row[1]))
    header = next(iterator, None)
    if header is None:
        return [], [] if is_sheet else [ImportProblem(source, None, None, "filen er tom")]
    kind = named or guess_kind(header[1])
    if kind is None:
        return [], [] if is_sheet else [unknown_headers(header[1], source)]
    columns = column_map(kind, header[1])
    problems = missing_columns(kind, list(columns.values()), source)
    body = [_raw_row(number, record, columns) for number, record in iterator]
    return [RawTable(kind, source, body, tuple(columns.values()))], problems


def _raw_row(number: int, record: list[str], columns: dict[int, str]) -> RawRow:
    values = {name: (record[i].strip() if i < len(record) else "") for i, name in columns.items()}
    return RawRow(number, values)


def _check_kinds(tables: list[RawTable], problems: list[ImportProblem], names: list[str]) -> list[ImportProblem]:
    """Exactly one table of enheter; at most one of each of the others."""
    found: list[ImportProblem] = []
    for kind in ("units", "tillitsvalgte", "ansatte", "organer"):
        sources = [t.source for t in tables if t.kind == kind]
        if len(sources) > 1:
            message = f"flere tabeller med {KIND_LABEL[kind]}: {', '.join(sources)}; oppgi bare én"
            found.append(ImportProblem(sources[1], None, None, message))
    if not any(t.kind == "units" for t in tables) and not problems:
        files = ", ".join(names)
        message = f"fant ingen tabell med enheter i {files} (kolonnene unit_id, name, parent_id, level, …)"
        found.append(ImportProblem("import", None, None, message))
    return found
