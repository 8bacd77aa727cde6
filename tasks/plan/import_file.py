"""Reading a plan's measures from CSV or XLSX (Sørum's columns, Norwegian headers) into raw rows; the template."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from tasks.org.reading.encoding import decode_import
from tasks.org.reading.files import cell_text, sniff_delimiter
from tasks.org.reading.headers import normalise
from tasks.org.reading.sheets import xlsx_problem
from tasks.org.types import ImportProblem, RawRow

# canonical column -> the header as the template writes it, then other accepted spellings (normalised)
COLUMNS: dict[str, tuple[str, ...]] = {
    "goal": ("Mål", "mal", "målsetting"),
    "title": ("Tiltak", "tiltak_navn"),
    "target_group": ("Målgruppe", "malgruppe"),
    "arena": ("Omfang/Læringsarena", "omfang", "læringsarena", "omfang_/_læringsarena", "omfang/laeringsarena"),
    "period": ("Tidsrom", "tidspunkt", "periode"),
    "responsible": ("Ansvarlig",),
    "cost": ("Kostnad", "kostnad_(kr)", "kostnad_kr", "beløp"),
    "units": ("Enheter", "enhet", "enhet_id", "enhets-id", "enhets-ider", "enhet_ider"),
    "area": ("Kompetanseområde", "område", "omrade", "innsatsområde"),
}
REQUIRED = ("goal", "title", "cost", "units")
LABELS = {name: spellings[0] for name, spellings in COLUMNS.items()}
TEMPLATE_HELP = (
    ("Mål", "Hva tiltaket skal oppnå (påkrevd)."),
    ("Tiltak", "Tiltakets navn (påkrevd)."),
    ("Målgruppe", "Hvem tiltaket er for."),
    ("Omfang/Læringsarena", "Omfang og hvor læringen skjer, f.eks. «2 dager, kurs» eller «hospitering»."),
    ("Tidsrom", "Når tiltaket gjennomføres, f.eks. «Vår 2027»."),
    ("Ansvarlig", "Hvem som har ansvaret."),
    ("Kostnad", "Planlagt kostnad i hele kroner for tiltaket samlet (påkrevd, 0 om det ikke koster noe)."),
    ("Enheter", "ID-ene til enhetene som eier tiltaket, fra organisasjonsimporten, skilt med komma (påkrevd)."),
    ("Kompetanseområde", "Området tiltaket hører til, f.eks. «Demens» (valgfritt)."),
)


def read_rows(path: Path) -> tuple[list[RawRow], list[ImportProblem]]:
    """The data rows of the first sheet (or the sheet «Tiltak») or the CSV file, keyed by canonical column."""
    suffix = path.suffix.lower()
    if not path.is_file():
        return [], [ImportProblem(path.name, None, None, "finner ikke filen")]
    if suffix in (".csv", ".txt"):
        records, problem = _csv_records(path)
    elif suffix in (".xlsx", ".xlsm"):
        records, problem = _xlsx_records(path)
    else:
        problem = f"ukjent filtype '{suffix or path.name}'; bruk CSV (.csv) eller Excel (.xlsx)"
        records = []
    if problem:
        return [], [ImportProblem(path.name, None, None, problem)]
    return _rows(path.name, records)


def write_template(path: Path) -> None:
    """An empty workbook with the header row the import reads, and a sheet explaining each column."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook always has one sheet
    sheet.title = "Tiltak"
    sheet.append([label for label, _ in TEMPLATE_HELP])
    for column, (label, _) in zip("ABCDEFGHI", TEMPLATE_HELP, strict=True):
        sheet.column_dimensions[column].width = max(14, len(label) + 4)
    guide = book.create_sheet("Veiledning")
    guide.append(["Kolonne", "Hva den skal inneholde"])
    for row in TEMPLATE_HELP:
        guide.append(list(row))
    guide.column_dimensions["A"].width, guide.column_dimensions["B"].width = 22, 100
    book.save(path)


def _csv_records(path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    try:
        decoded = decode_import(path.read_bytes())
    except OSError as error:
        return [], f"kunne ikke lese filen ({error.strerror})"
    if decoded.text is None:
        return [], decoded.refusal
    text = decoded.text
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text)))
    except csv.Error as error:
        return [], f"filen er ikke gyldig CSV ({error})"
    return list(enumerate(records, start=1)), ""


def _xlsx_records(path: Path) -> tuple[list[tuple[int, list[str]]], str]:
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for damaged files
        return [], xlsx_problem(path.name, None, error).message
    try:
        sheet = next((s for s in book.worksheets if normalise(s.title) == "tiltak"), book.worksheets[0])
        sheet.reset_dimensions()
        try:
            rows = sheet.iter_rows(min_row=1, values_only=True)
            return [(n, [cell_text(v) for v in row]) for n, row in enumerate(rows, start=1)], ""
        except Exception as error:  # malformed sheet XML shows only while its rows are read
            return [], xlsx_problem(path.name, sheet.title, error).message
    finally:
        book.close()


def _rows(source: str, records: list[tuple[int, list[str]]]) -> tuple[list[RawRow], list[ImportProblem]]:
    filled = [(n, r) for n, r in records if any(cell.strip() for cell in r)]
    if not filled:
        return [], [ImportProblem(source, None, None, "filen er tom")]
    (header_row, header), body = filled[0], filled[1:]
    lookup = {normalise(s): name for name, spellings in COLUMNS.items() for s in spellings}
    columns: dict[int, str] = {}
    for position, text in enumerate(header):
        name = lookup.get(normalise(text))
        if name is not None and name not in columns.values():
            columns[position] = name
    problems = [
        ImportProblem(source, header_row, LABELS[name], "kolonnen mangler i overskriftsraden")
        for name in REQUIRED
        if name not in columns.values()
    ]
    rows = [RawRow(n, {c: (r[i].strip() if i < len(r) else "") for i, c in columns.items()}) for n, r in body]
    return rows, problems
