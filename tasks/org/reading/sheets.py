"""Turning what the CSV and XLSX parsers raise into bokmål sentences naming the file, sheet or row."""

from __future__ import annotations

import csv
import io
import logging
import zipfile
import zlib

from openpyxl.utils.exceptions import InvalidFileException

from tasks.org.types import ImportProblem

log = logging.getLogger(__name__)
RESAVE_XLSX = "Åpne filen i Excel og lagre den på nytt som Excel-arbeidsbok (.xlsx), eller som CSV UTF-8"


def csv_records(text: str, delimiter: str, source: str) -> tuple[list[list[str]], ImportProblem | None]:
    """Every record of the CSV text, or the row where the csv module gave up, as a bokmål problem."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for record in reader:
            records.append(record)
    except csv.Error as error:
        log.info("CSV %s unreadable after record %d: %s", source, len(records), error)
        limit = csv.field_size_limit()
        reason = f"en celle er for lang (over {limit:,} tegn)".replace(",", " ")  # 131 072, as in bokmål
        if "field larger" not in str(error):
            reason = "raden kan ikke leses som CSV (sjekk anførselstegnene)"
        message = f"{reason}; ingenting fra filen er lest inn"
        return [], ImportProblem(source, len(records) + 1, None, message)
    return records, None


def xlsx_problem(name: str, sheet: str | None, error: Exception) -> ImportProblem:
    """A file-level sentence for an Excel file (or one sheet of it) that openpyxl could not read."""
    log.info("XLSX %s (sheet %s) unreadable: %s", name, sheet, type(error).__name__)
    where = f"kunne ikke lese arket «{sheet}» i Excel-filen" if sheet else "kunne ikke åpne Excel-filen"
    return ImportProblem(name, None, None, f"{where}: {_reason(error)}. {RESAVE_XLSX}.")


def _reason(error: Exception) -> str:
    if isinstance(error, zipfile.BadZipFile | InvalidFileException):
        return "filen er ikke en gyldig Excel-arbeidsbok (er den skadet, passordbeskyttet eller av en annen type?)"
    if isinstance(error, KeyError):
        return "filen mangler deler som en Excel-arbeidsbok skal ha"
    if isinstance(error, SyntaxError):  # ElementTree's ParseError and lxml's XMLSyntaxError both derive from it
        return "innholdet (XML) i filen er ødelagt"
    if isinstance(error, zlib.error | EOFError):
        return "filen er avkortet eller skadet"
    return "filen er skadet eller har et innhold vi ikke kjenner igjen"
