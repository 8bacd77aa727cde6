"""Hypothesis strategies for the organisation upload: the multipart parts a browser, or anyone, could send."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from tasks.org.staging import MAX_FILE_BYTES
from web.hr.org_import.routes import UPLOAD

UPLOADS = UPLOAD
HEADER = ["unit_id", "name", "parent_id", "level", "leader_name", "leader_email", "employees"]
FORMULAS = st.sampled_from(
    ["=1+1", '=HYPERLINK("http://evil.example","klikk")', "+47 22 00 00 00", "-2+3", "@SUM(A1:A9)",
     "=cmd|' /C calc'!A0", "\t=1", "\r=1", "＝1"]
)  # fmt: skip
NAMES = st.sampled_from(
    ["enheter.csv", "tillitsvalgte.csv", "organisasjon.xlsx", "ENHETER.CSV", "../../../etc/passwd", "..", "",
     "æøå enheter.csv", "enheter.csv.exe", "a" * 300 + ".csv", "con.csv", "enheter", ".csv", "mappe/enheter.csv"]
)  # fmt: skip
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32", "cp1252", "cp865", "shift_jis"])


@st.composite
def formula_csv(draw: st.DrawFn) -> bytes:
    """A valid small organisation with cells that a spreadsheet would run as formulas."""
    rows = [
        ["1", "Fjordvik kommune", "", "kommune", "Åse Sæther", "ase@fjordvik.no", "3"],
        ["10", "Helse og omsorg", "1", "sektor", "Bjørn Ødegård", "bjorn@fjordvik.no", "5"],
        ["100", "Grønnåsen", "10", "virksomhet", "Kari Løvås", "kari@fjordvik.no", "12"],
    ]
    for _ in range(draw(st.integers(1, 3))):
        rows[draw(st.integers(0, 2))][draw(st.sampled_from([1, 4, 5, 6]))] = draw(FORMULAS)
    text = "\n".join(";".join(f'"{cell}"' for cell in row) for row in [HEADER, *rows]) + "\n"
    return text.encode(draw(ENCODINGS), errors="replace")


def upload_parts(csv_files: Any, valid_xlsx: bytes, damaged_xlsx: Any) -> Any:
    """The `filer` parts of an upload: mostly a file the importer may take, else anything a client could send.

    Mostly-valid: the enheter file (and perhaps tillitsvalgte) as CSV with a noisy cell or two, a valid small
    organisation with formula-looking cells, or a valid workbook. Anything: zero to three parts of damaged XLSX,
    random bytes, other encodings, empty files, a file over the size limit, under odd names and content types.
    """
    csv = csv_files.map(lambda files: [(name, content, "text/csv") for name, content in files.items()])
    formulas = formula_csv().map(lambda content: [("enheter.csv", content, "text/csv")])
    workbook = st.just([("organisasjon.xlsx", valid_xlsx, XLSX)])
    content = st.one_of(
        damaged_xlsx,
        st.binary(max_size=2_000),
        st.just(b""),
        st.text(max_size=200).flatmap(lambda text: ENCODINGS.map(lambda code: text.encode(code, errors="replace"))),
        st.sampled_from([b"x" * (MAX_FILE_BYTES + 1), b"\xff\xfe" + b"\x00" * 1000]),
    )
    kinds = st.sampled_from(["text/csv", "application/octet-stream", XLSX, ""])
    anything = st.lists(st.tuples(NAMES, content, kinds), max_size=3)
    chosen = st.sampled_from([csv, csv, formulas, workbook, anything, anything]).flatmap(lambda parts: parts)
    return chosen.map(lambda parts: [("filer", part) for part in parts])
