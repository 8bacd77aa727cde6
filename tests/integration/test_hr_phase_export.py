"""A phase's tasks and answers as CSV and XLSX: progress, answers per field with the form's labels, overdue lists."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.plan_year import INPUTS, answer, spring_input
from web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture
def client(rt: Runtime, clock: ManualClock) -> Iterator[TestClient]:
    with rt.session() as session:
        spring_input(session, rt)  # leder1, leder2, leder4 answer; leder3 does not
    with rt.session() as session:
        formula = {"requirements": '=HYPERLINK("http://x")', "holdings": "+47 999", **INPUTS["leder1@testvik.no"]}
        answer(session, rt, "leder1@testvik.no", "spring-input", formula, datetime(2027, 3, 20, tzinfo=OSLO))
    clock.set(datetime(2027, 5, 10, 12, tzinfo=OSLO))
    with TestClient(create_app(rt), follow_redirects=False) as test_client:
        sign_in_as_hr(test_client, rt)
        yield test_client


def test_csv_has_every_task_and_the_newest_answer_per_field(client: TestClient) -> None:
    response = client.get("/hr/fase/2027/spring-input/eksport.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert 'filename="spring-input-2027.csv"' in response.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert header[:7] == ["Sektor", "Enhet", "Ansvarlig", "E-post", "Status", "Frist", "Besvart"]
    assert header[7].startswith("Kompetansekrav") and "Tiltak" in header
    by_person = {row[3]: dict(zip(header, row, strict=True)) for row in body}
    assert by_person["leder3@testvik.no"]["Status"] == "Over fristen"
    assert by_person["leder1@testvik.no"]["Status"] == "Besvart"
    measures = by_person["leder1@testvik.no"]["Tiltak"]
    assert "Demensomsorgens ABC" in measures and "Kurs i journalsystem" in measures
    late = client.get("/hr/fase/2027/spring-input/eksport.csv?status=sen").content.decode("utf-8-sig")
    assert "leder3@testvik.no" in late and "leder1@testvik.no" not in late


def test_xlsx_cells_are_text_never_formulas(client: TestClient) -> None:
    response = client.get("/hr/fase/2027/spring-input/eksport.xlsx?sektor=S1")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    types = {cell.data_type for row in sheet.iter_rows() for cell in row if cell.value is not None}
    assert types == {"s"}
    leder1 = next(row for row in values if row[3] == "leder1@testvik.no")
    assert leder1[7] == '\'=HYPERLINK("http://x")' and leder1[8] == "'+47 999"
    assert {row[0] for row in values[1:]} == {"Helse og omsorg"}  # only the sector asked for


def test_unknown_exports_are_not_found(client: TestClient) -> None:
    assert client.get("/hr/fase/2027/spring-input/eksport.pdf").status_code == 404
    assert client.get("/hr/fase/2027/finnes-ikke/eksport.csv").status_code == 404
    assert client.get("/hr/fase/2027/spring-input/eksport.csv?status=tull").status_code == 404
