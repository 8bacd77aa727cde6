"""Asker's words (tjenestested, tjenesteområde) on every kind of page, email and document a person reads: no
«enhet» or «sektor» is left where a level or its leader is named."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from io import BytesIO
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import col, select

from domain.aarshjul.terms import Terms
from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from domain.models import OrgUnit, OutboxMessage, UnitLevel
from tasks.plan.documents.export import export_version
from tasks.plan.versions import version_of
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.municipality import spring_under_way
from tests.support.plan_year import YEAR, consultation, spring_input
from web.app import create_app

ASKER = Terms.model_validate({"unit": "tjenestested", "sector": "tjenesteområde"})
# The default words for a level or its leader, in any form and in compounds («enhetsleder», «sektorgjennomgang»).
DEFAULT_WORDS = re.compile(r"\b(enhet|eining|sektor|kommunalsjef)\w*", re.IGNORECASE)
LINK = re.compile(r"/svar/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")


def read(page: str) -> str:
    """What a person reads on a page: the text and the labels screen readers announce, not addresses or names."""
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', page))
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", text) + " " + labels)


def leftovers(text: str, own: Iterable[str] = ()) -> list[str]:
    """The default words left, once the municipality's own texts are taken out: names of units, what a phase asks
    in the årshjul file, a comment a tillitsvalgt wrote. Those are theirs to word."""
    for written in sorted(own, key=len, reverse=True):
        text = text.replace(written, " ")
    return DEFAULT_WORDS.findall(text)


def own_texts(rt: Runtime) -> list[str]:
    with rt.session() as session:
        names = list(session.exec(select(OrgUnit.name)))
    return [*names, *(phase.what.get("nb") or "" for phase in rt.aarshjul.phases), "Viktig for hele sektoren."]


@pytest.fixture
def asker(rt: Runtime, clock: ManualClock, tmp_path: Path) -> Iterator[TestClient]:
    rt.aarshjul = rt.aarshjul.model_copy(update={"terms": ASKER})  # before any email is written
    spring_under_way(rt, tmp_path / "org", units=12, sectors=2)
    clock.set(datetime(2027, 5, 20, 12, 0, tzinfo=OSLO))
    with TestClient(create_app(rt), follow_redirects=False) as client:
        yield client


def test_the_leaders_answer_page_and_the_emails_use_askers_words(asker: TestClient, rt: Runtime) -> None:
    with rt.session() as session:
        mail = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    reminder = next(m for m in mail if m.kind == "reminder")
    escalation = next(m for m in mail if m.kind == "escalation")
    own = own_texts(rt)
    for message in (reminder, escalation):
        assert leftovers(message.subject + message.body_text + read(message.body_html), own) == [], message.subject
    assert "på vegne av tjenestestedet" in reminder.body_text
    assert "tjenestested" in escalation.subject + escalation.body_text
    assert "tjenestestedslederne" in escalation.body_text or "Til HR" in escalation.subject
    token = LINK.search(reminder.body_text)
    assert token is not None
    page = asker.get(f"/svar/{token.group(1)}")
    assert page.status_code == 200
    assert leftovers(read(page.text), own) == []
    assert "<dt>Tjenestested</dt>" in page.text and "hva trenger tjenestestedet for å nå målene sine" in page.text


def test_the_hr_overview_and_its_unit_table_use_askers_words(asker: TestClient, rt: Runtime) -> None:
    sign_in_as_hr(asker, rt)
    own = own_texts(rt)
    overview = asker.get("/hr")
    assert overview.status_code == 200
    assert leftovers(read(overview.text), own) == []
    assert "Tjenesteområdene i kompetanseinnspill" in overview.text and "tjenestesteder over fristen" in overview.text
    with rt.session() as session:
        sector = session.exec(
            select(OrgUnit).where(OrgUnit.level == UnitLevel.SEKTOR).order_by(col(OrgUnit.id))
        ).first()
    assert sector is not None
    units = asker.get(f"/hr/sektor/{sector.id}?ar=2027&fase=spring-input")
    assert units.status_code == 200
    assert leftovers(read(units.text), own) == []
    assert '<th scope="col">Tjenestested</th>' in units.text
    tasks = asker.get("/hr/oppgaver?ar=2027&fase=spring-input")
    assert leftovers(read(tasks.text), own) == [] and "Alle tjenesteområder" in tasks.text


def test_the_plan_as_html_and_its_spreadsheet_use_askers_words(rt: Runtime) -> None:
    rt.aarshjul = rt.aarshjul.model_copy(update={"terms": ASKER})
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)
    with rt.session() as session:
        version = version_of(session, YEAR)
        page = export_version(session, version, "html", terms=rt.aarshjul.terms).decode("utf-8")  # the PDF's source
        default = export_version(session, version, "html").decode("utf-8")
        book = load_workbook(BytesIO(export_version(session, version, "xlsx", terms=rt.aarshjul.terms)))
    assert leftovers(read(page), own_texts(rt)) == []
    assert "Vedlegg 1: Tjenestestedene bak hvert tiltak" in page and "Per tjenesteområde" in page
    assert "Vedlegg 1: Enhetene bak hvert tiltak" in default  # the default words where the årshjul says nothing
    assert book.sheetnames == ["Tiltak", "Per tjenestested"]
    headers = [str(cell.value) for sheet in book for cell in sheet[1]]
    assert leftovers(" ".join(headers)) == []
    assert "Tjenesteområder" in headers and "Tjenestested" in headers and "Tjenesteområde" in headers
