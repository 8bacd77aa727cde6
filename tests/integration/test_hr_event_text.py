"""The event log reads as Norwegian sentences with names, in Oslo time: no keys, ids or UTC offsets."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from domain.aarshjul.workdays import OSLO
from domain.clock import ManualClock
from domain.models import Assignment, Person
from tasks.notices.ladder import queue_due_notices
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.plan_year import spring_input
from web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


@pytest.fixture
def client(rt: Runtime, clock: ManualClock) -> Iterator[TestClient]:
    with rt.session() as session:
        spring_input(session, rt)  # leder3 does not answer
    day = datetime(2027, 4, 1, 9, tzinfo=OSLO)
    while day <= datetime(2027, 5, 12, 9, tzinfo=OSLO):
        with rt.session() as session:
            queue_due_notices(session, rt, 2027, day)
        day += timedelta(days=1)
    clock.set(datetime(2027, 5, 12, 12, tzinfo=OSLO))
    with TestClient(create_app(rt), follow_redirects=False) as test_client:
        sign_in_as_hr(test_client, rt)
        yield test_client


def test_the_task_history_is_plain_norwegian(client: TestClient, rt: Runtime) -> None:
    with rt.session() as session:
        task = session.exec(
            select(Assignment)
            .join(Person, Person.id == Assignment.assignee_id)  # type: ignore[arg-type]
            .where(Person.email == "leder3@testvik.no")
        ).first()
        assert task is not None
    page = client.get(f"/hr/oppgave/{task.id}").text
    history = page.split('class="events"')[1]
    assert "Påminnelse nr. 1 sendt til Leder 3 (Enhet 3)" in history
    assert "Varsel om passert frist (Enhet 3), sendt til Leder 3" in history
    assert "Eskalert til kommunalsjefen (Enhet 3), sendt til Siri Kommunalsjef" in history
    assert "scheduled_for" not in history and "+00:00" not in history and "offset=" not in history


def test_the_event_log_page_uses_the_same_sentences(client: TestClient) -> None:
    page = client.get("/hr/hendelser").text
    assert "Påminnelse nr." in page and "Svar sendt inn (versjon 1)" in page and "notice=" not in page


def test_the_log_filters_by_kind_and_phase_and_exports_csv(client: TestClient) -> None:
    reminders = client.get("/hr/hendelser?type=reminder&fase=spring-input").text
    table = reminders.split('class="events"')[1]
    assert "Påminnelse nr. 1" in table and "Svar sendt inn" not in table
    assert "Ingen hendelser" in client.get("/hr/hendelser?type=reminder&fase=december-adoption").text
    export = client.get("/hr/hendelser/eksport.csv?type=answer")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = export.content.decode("utf-8-sig").splitlines()
    assert rows[0] == "Tidspunkt;Hendelse;Utført av;Fase;Oppgave;Type"
    assert len(rows) == 4 and all(";answer.submitted" in row for row in rows[1:])  # three units answered
    assert client.get("/hr/hendelser/eksport.csv?type=tull").status_code == 404
