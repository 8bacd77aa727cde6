"""A signed-in unit leader sees their own unit's tasks and history, and nothing of anyone else's (issue 13)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from arshjul.bootstrap import bootstrap
from config.settings import DbSettings, Settings
from domain.clock import ManualClock
from domain.events import EventKind
from domain.identity import AccountRole
from domain.models import Event, Person, Role, RoleKind
from notifications.catcher import MailCatcher
from tasks.identity.accounts import AccountError, add_account, find_account
from tasks.runtime import Runtime
from tasks.store.db import migrate
from tests.support.accounts import make_user, sign_in
from tests.support.org import build_small_org
from tests.support.plan_year import spring_input, task_of
from tests.support.postgres import running_postgres
from web.app import create_app


@pytest.fixture
def leader(rt: Runtime, catcher: MailCatcher) -> tuple[TestClient, str]:
    with rt.session() as session:
        spring_input(session, rt)
    make_user(rt, "leder1@testvik.no", AccountRole.LEDER, name="Leder 1")
    client = TestClient(create_app(rt, catcher=catcher), follow_redirects=False)
    return client, sign_in(client, "leder1@testvik.no")


def test_the_leader_sees_their_units_tasks_with_the_answer_and_its_history(
    rt: Runtime, leader: tuple[TestClient, str]
) -> None:
    client, _ = leader
    page = client.get("/mine-oppgaver").text
    assert "Mine oppgaver" in page and "Årshjulet 2027" in page and "Kompetanseinnspill" in page
    assert "Enhet 1" in page and "Enhet 2" not in page and "Sendt inn" in page
    own = task_of(rt, "leder1@testvik.no")
    assert f'href="/mine-oppgaver/{own}"' in page
    task = client.get(f"/mine-oppgaver/{own}")
    assert task.status_code == 200
    assert "Demensomsorgens ABC" in task.text  # the answer itself, with the form's labels
    assert "Alle versjoner" in task.text and "Hva som har skjedd" in task.text
    assert "/hr/oppgave/" not in task.text  # links stay on the leader's own pages


def test_another_units_task_is_not_found_to_the_leader(rt: Runtime, leader: tuple[TestClient, str]) -> None:
    client, _ = leader
    other = task_of(rt, "leder2@testvik.no")  # same sector, another unit
    assert client.get(f"/mine-oppgaver/{other}").status_code == 404
    assert client.get("/mine-oppgaver/999999").status_code == 404
    assert client.get(f"/hr/oppgave/{other}").status_code == 403
    assert client.get("/hr/hendelser").status_code == 403


def test_a_new_leader_sees_the_units_history_and_the_old_one_keeps_what_was_theirs(
    rt: Runtime, leader: tuple[TestClient, str], catcher: MailCatcher
) -> None:
    client, _ = leader
    first = task_of(rt, "leder1@testvik.no")
    with rt.session() as session:  # leder3 takes over unit V1
        role = session.exec(select(Role).where(Role.unit_id == "V1", Role.kind == RoleKind.UNIT_LEADER)).one()
        newcomer = session.exec(select(Person).where(Person.email == "leder3@testvik.no")).one()
        assert newcomer.id is not None
        role.person_id = newcomer.id
        session.add(role)
    make_user(rt, "leder3@testvik.no", AccountRole.LEDER, name="Leder 3")
    successor = TestClient(create_app(rt, catcher=catcher), follow_redirects=False)
    sign_in(successor, "leder3@testvik.no")
    assert f'href="/mine-oppgaver/{first}"' in successor.get("/mine-oppgaver").text
    assert successor.get(f"/mine-oppgaver/{first}").status_code == 200
    assert client.get(f"/mine-oppgaver/{first}").status_code == 200  # they answered it themselves


def test_asking_for_new_links_is_recorded_for_the_signed_in_address(
    rt: Runtime, leader: tuple[TestClient, str]
) -> None:
    client, csrf = leader
    assert client.post("/mine-oppgaver/ny-lenke", data={"csrf_token": "feil"}).status_code == 400
    done = client.post("/mine-oppgaver/ny-lenke", data={"csrf_token": csrf})
    assert done.status_code == 303 and done.headers["location"] == "/mine-oppgaver?ok=link"
    with rt.session() as session:
        asked = session.exec(select(Event).where(Event.kind == EventKind.LINK_ASKED)).all()
    assert [event.payload["email"] for event in asked] == ["leder1@testvik.no"]
    assert "Nye lenker blir sendt" in client.get("/mine-oppgaver?ok=link").text


def test_only_a_unit_leader_can_be_given_the_leader_role(rt: Runtime) -> None:
    with rt.session() as session:
        spring_input(session, rt)
    with rt.session() as session, pytest.raises(AccountError, match=re.escape("er ikke leder for noen enhet")):
        add_account(
            session, email="hanne@testvik.no", name="Hanne", role=AccountRole.LEDER, sector_id=None, now=rt.now()
        )


def test_the_leader_role_is_stored_and_read_on_postgresql(settings: Settings, clock: ManualClock) -> None:
    """Migration 0007 taught PostgreSQL's enum type the new role; a leader account is written and read back."""
    with running_postgres() as url:
        runtime = bootstrap(settings.model_copy(update={"db": DbSettings(url=url)}), clock=clock)
        try:
            migrate(runtime.engine)
            with runtime.session() as session:
                build_small_org(session)
            make_user(runtime, "leder1@testvik.no", AccountRole.LEDER, name="Leder 1")
            with runtime.session() as session:
                account = find_account(session, "leder1@testvik.no")
                assert account is not None and account.role == AccountRole.LEDER
        finally:
            runtime.engine.dispose()
