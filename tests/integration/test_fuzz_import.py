"""Fuzzing the organisation import: generated CSV, random bytes and mutated XLSX into the real importer.

Each test runs ARSHJUL_FUZZ_EXAMPLES examples (default 100; the three together take well under a minute) on a
migrated SQLite file. Without the variable the examples are derandomised, so CI sees the same ones every run; a
long release run (`ARSHJUL_FUZZ_EXAMPLES=3000`) draws fresh ones. Properties: the importer never raises, every
problem names its file and row or is a file-level sentence in bokmål (no Python text, no raw control character),
a refused import writes nothing, and an accepted one stores no control character and no address a mail server
would refuse.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
import unicodedata
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlmodel import Session, select

from domain.models import OrgUnit, Person
from tasks.org.reading.headers import REP_ALIASES, UNIT_ALIASES
from tasks.org.reading.values import checked_email
from tasks.runtime import Runtime
from tests.support.org import import_files, org_counts

EXAMPLES = int(os.environ.get("ARSHJUL_FUZZ_EXAMPLES", "100"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize="ARSHJUL_FUZZ_EXAMPLES" not in os.environ,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
PYTHON_LEAK = re.compile(r"Traceback|Error\b|Exception|<class|object has no attribute|codec can't|Errno")
UNIT_HEADERS = [name for name, aliases in UNIT_ALIASES.items() for name in (name, *aliases)]
REP_HEADERS = [name for name, aliases in REP_ALIASES.items() for name in (name, *aliases)]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "iso8859_1", "iso8859_15", "cp865", "mac_roman", "shift_jis", "koi8_r"]

nasty_text = st.text(
    alphabet=st.sampled_from("aeøåÆØÅéü \t\r\n\x00\x0b\x85\u2028‹›<>,;\"'@.-–’ЖЯ山€\ufeff¿") | st.characters(),
    max_size=30,
)
huge_number = st.integers(min_value=-(2**80), max_value=2**80).map(str) | st.integers(19, 400).map(lambda n: "9" * n)
CONTROLS = ["\r", "\n", "\x00", "\x0b", "\t", "\x1b", "\x85", "\u2028"]
WEIRD_ADDRESSES = ["‹kari@x.no>", "Kari <kari@x.no>", "kari@x.no, per@x.no", "kari@x.no;per@x.no", "kåre@x.no"]
email = st.from_regex(r"[a-z]{1,8}(\.[a-z]{1,8})?@[a-z]{1,8}\.(no|kommune\.no)", fullmatch=True)


@st.composite
def with_control(draw: st.DrawFn) -> str:
    """A plausible name with one control or separator character somewhere inside it."""
    name = draw(st.sampled_from(["Kari Nordmann", "Åse Sæther", "Bjørn Ødegård"]))
    position = draw(st.integers(0, len(name)))
    return name[:position] + draw(st.sampled_from(CONTROLS) | st.characters(categories=["Cc"])) + name[position:]


# One noisy cell: the column it goes in, and what to put there
NOISE = {
    1: st.one_of(nasty_text, with_control()),  # unit name
    2: st.one_of(nasty_text, st.sampled_from(["1", "10", "100", "999"])),  # parent
    3: st.one_of(nasty_text, st.sampled_from(["sektor", "avdeling", "Virksomhet", "team"])),  # level
    4: st.one_of(nasty_text, with_control()),  # leader name
    5: st.one_of(nasty_text, email, st.sampled_from(WEIRD_ADDRESSES)),  # leader e-mail
    6: st.one_of(huge_number, nasty_text),  # employees
}


@st.composite
def unit_rows(draw: st.DrawFn) -> list[list[str]]:
    """A small valid organisation (kommune, sektor, virksomheter), then a cell or two replaced by noise."""
    rows = [["1", "Fjordvik kommune", "", "kommune", "Åse Sæther", "ase@fjordvik.no", "3"]]
    rows.append(["10", "Helse og omsorg", "1", "sektor", "Bjørn Ødegård", "bjorn@fjordvik.no", "5"])
    for n in range(draw(st.integers(0, 4))):
        rows.append([str(100 + n), f"Grønnåsen {n}", "10", "virksomhet", f"Leder {n}", f"l{n}@fjordvik.no", str(n)])
    for _ in range(draw(st.integers(0, 2))):
        row, column = draw(st.integers(0, len(rows) - 1)), draw(st.sampled_from(sorted(NOISE)))
        rows[row][column] = draw(NOISE[column])
    return rows


@st.composite
def csv_files(draw: st.DrawFn) -> dict[str, bytes]:
    """An enheter file and perhaps a tillitsvalgte file: real or odd headers, noisy cells, some encoding."""
    header = ["unit_id", "name", "parent_id", "level", "leader_name", "leader_email", "employees"]
    if draw(st.integers(0, 3)) == 0:
        header = draw(st.lists(st.sampled_from(UNIT_HEADERS) | nasty_text, min_size=1, max_size=9))
    delimiter = draw(st.sampled_from([";", ",", "\t"]))
    rows = [header, *draw(unit_rows())]
    files = {"enheter.csv": _encode(draw, rows, delimiter)}
    if draw(st.integers(0, 2)) == 0:
        reps = [["navn", "e-post", "forbund", "enhet"], ["Ola Tillit", "ola@fjordvik.no", "Fagforbundet", "1"]]
        if draw(st.booleans()):
            reps[0] = draw(st.lists(st.sampled_from(REP_HEADERS), min_size=3, max_size=5))
        reps += draw(st.lists(st.lists(nasty_text | email | st.just("1"), min_size=4, max_size=4), max_size=2))
        files["tillitsvalgte.csv"] = _encode(draw, reps, delimiter)
    return files


def _encode(draw: st.DrawFn, rows: list[list[str]], delimiter: str) -> bytes:
    def cell(value: str) -> str:
        return f'"{value.replace(chr(34), chr(34) * 2)}"' if re.search(r"[\";,\t\r\n]", value) else value

    text = "\n".join(delimiter.join(cell(value) for value in row) for row in rows) + "\n"
    return text.encode(draw(st.just("utf-8") | st.sampled_from(ENCODINGS)), errors="replace")


def _valid_xlsx() -> bytes:
    workbook = Workbook()
    units = workbook.active
    assert units is not None
    units.title = "enheter"
    units.append(["unit_id", "name", "parent_id", "level", "leader_name", "leader_email", "employees"])
    units.append([1, "Fjordvik kommune", None, "kommune", "Åse Sæther", "ase@fjordvik.no", 3])
    units.append([10, "Helse og omsorg", 1, "sektor", "Bjørn Ødegård", "bjorn@fjordvik.no", 5.0])
    units.append([100, "Grønnåsen sykehjem", 10, "virksomhet", "Kari Løvås", "kari@fjordvik.no", 12])
    reps = workbook.create_sheet("tillitsvalgte")
    reps.append(["navn", "e-post", "forbund", "enhet"])
    reps.append(["Ola Tillit", "ola@fjordvik.no", "Fagforbundet", 1])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _valid_xlsx()
with zipfile.ZipFile(io.BytesIO(VALID_XLSX)) as _book:
    XLSX_MEMBERS = {name: _book.read(name) for name in _book.namelist()}


@st.composite
def mutated_bytes(draw: st.DrawFn, data: bytes) -> bytes:
    """The bytes with a few flips, cuts and insertions."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, max(len(out) - 1, 0)))
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "delete"]))
        if kind == "flip" and out:
            out[position] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del out[position:]
        elif kind == "insert":
            out[position:position] = draw(st.binary(min_size=1, max_size=8) | st.sampled_from([b"<", b"&", b'"', b">"]))
        elif out:
            del out[position : position + draw(st.integers(1, 16))]
    return bytes(out)


@st.composite
def mutated_xlsx(draw: st.DrawFn) -> bytes:
    """Either the zip itself damaged, or one XML part damaged inside an intact zip (reaches the XML parsers)."""
    if draw(st.booleans()):
        return draw(mutated_bytes(VALID_XLSX))
    sheets = sorted(name for name in XLSX_MEMBERS if name.startswith("xl/worksheets/"))
    target = draw(st.sampled_from(sheets) | st.sampled_from(sorted(XLSX_MEMBERS)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        for name, content in XLSX_MEMBERS.items():
            book.writestr(name, draw(mutated_bytes(content)) if name == target else content)
    return buffer.getvalue()


def _check(rt: Runtime, files: dict[str, bytes]) -> None:
    """Import the files; whatever they hold, the importer's answer obeys the properties in the module docstring."""
    before = org_counts(rt.engine)
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / name for name in files]
        for path, content in zip(paths, files.values(), strict=True):
            path.write_bytes(content)
        report = import_files(rt.engine, paths, rt.now())
    for problem in report.problems:
        # a file (or file:sheet) and a row, or a sentence about a file; "import" only when it names the files
        named = problem.source.split(":")[0] in files or any(name in problem.message for name in files)
        assert named and (problem.row is None or problem.row >= 1), problem
        assert problem.message.strip() and not PYTHON_LEAK.search(problem.message), problem
        assert not RAW_CONTROL.search(str(problem)), problem  # quoted cells show ␊, never a raw line break
    event("refused" if report.problems else "accepted")  # shown by --hypothesis-show-statistics
    for problem in report.problems[:1]:
        event(f"first problem: {'row' if problem.row else 'file'} {problem.field or ''} {problem.message[:25]}")
    if report.problems:
        assert org_counts(rt.engine) == before
    else:
        _assert_clean(rt)


def _assert_clean(rt: Runtime) -> None:
    with Session(rt.engine) as session:
        texts = [unit.name for unit in session.exec(select(OrgUnit)).all()]
        people = session.exec(select(Person)).all()
    texts += [person.name for person in people]
    assert not [text for text in texts if any(unicodedata.category(char) == "Cc" for char in text)]
    for person in people:
        assert checked_email(person.email) == person.email


@FUZZ
@given(files=csv_files())
def test_fuzzed_csv_files(rt: Runtime, files: dict[str, bytes]) -> None:
    _check(rt, files)


@FUZZ
@given(content=st.binary(max_size=400) | mutated_bytes(b"unit_id;name;parent_id;level;leader_name;leader_email\n"))
def test_random_bytes_as_csv(rt: Runtime, content: bytes) -> None:
    _check(rt, {"enheter.csv": content})


@FUZZ
@given(content=mutated_xlsx())
def test_mutated_xlsx_files(rt: Runtime, content: bytes) -> None:
    _check(rt, {"organisasjon.xlsx": content})
