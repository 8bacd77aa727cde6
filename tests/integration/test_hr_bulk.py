"""Bulk actions in the console (/hr/oppgaver): select, preview with skips, confirm once, in scope; bad input: 400."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import col, select

from domain.aarshjul.workdays import OSLO, to_local
from domain.bulk import BulkKind
from domain.clock import ManualClock
from domain.events import EventKind
from domain.identity import AccountRole, UserAccount
from domain.models import Assignment, AssignmentState, Event, OutboxMessage, Person
from notifications.catcher import MailCatcher
from tasks.cycle.bulk import BulkRequest, Outcome, confirm
from tasks.cycle.phases import ensure_cycle, open_phase
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.accounts import make_user, sign_in
from tests.support.plan_year import INPUTS, answer, at, build_two_sectors, phase
from web.app import create_app

HR_ACTOR = "Hanne Personal <hanne@testvik.no> (HR)"
SJEF_ACTOR = "Siri Kommunalsjef <siri.sjef@testvik.no> (kommunalsjef, på vegne av Helse og omsorg)"
FILTER = {"ar": "2027", "fase": "spring-input"}


@dataclass
class World:
    rt: Runtime
    hr: TestClient
    sjef: TestClient
    csrf: dict[str, str]
    task: dict[str, int]  # leader's e-mail -> their spring-input task


def _content(email: str) -> dict[str, Any]:
    return {"requirements": "Krav", "holdings": "Har", **INPUTS[email]}


@pytest.fixture
def world(rt: Runtime, clock: ManualClock, catcher: MailCatcher) -> Iterator[World]:
    """Spring input open in Helse og omsorg (V1–V3) and Oppvekst (V4); Enhet 1 has answered, the others not."""
    with rt.session() as session:
        build_two_sectors(session)
        ensure_hr(session, rt.settings)
        ensure_cycle(session, rt, 2027, at(1, 1))
        open_phase(session, rt, phase(session, "spring-input"), 2027, at(3, 1, 8))
        answer(session, rt, "leder1@testvik.no", "spring-input", _content("leder1@testvik.no"), at(3, 10))
        rows = session.exec(
            select(Person.email, Assignment.id).join(Person, col(Person.id) == col(Assignment.assignee_id))
        ).all()
    clock.set(datetime(2027, 3, 15, 10, 0, tzinfo=OSLO))
    make_user(rt, "hanne@testvik.no", AccountRole.HR, name="Hanne Personal")
    make_user(rt, "siri.sjef@testvik.no", AccountRole.KOMMUNALSJEF, "S1", name="Siri Kommunalsjef")
    app = create_app(rt)
    hr, sjef = TestClient(app, follow_redirects=False), TestClient(app, follow_redirects=False)
    csrf = {"hr": sign_in(hr, "hanne@testvik.no"), "sjef": sign_in(sjef, "siri.sjef@testvik.no")}
    yield World(rt, hr, sjef, csrf, {email: task_id for email, task_id in rows if task_id is not None})


def form(world: World, who: str, action: str, *leaders: str, **fields: str) -> dict[str, Any]:
    ids = [str(world.task[f"{leader}@testvik.no"]) for leader in leaders]
    return {"csrf_token": world.csrf[who], "handling": action, "oppgave": ids, **FILTER, **fields}


def confirm_form(page: str) -> dict[str, Any]:
    """The hidden fields of the preview's confirm form, as the browser would send them."""
    found = re.search(r'<form method="post" action="/hr/oppgaver/utfor">(.*?)</form>', page, re.S)
    assert found, "no confirm form on the preview"
    data: dict[str, Any] = {}
    for name, value in re.findall(r'name="([^"]+)" value="([^"]*)"', found.group(1)):
        value = html.unescape(value)
        if name in ("oppgave", "planlagt"):
            data.setdefault(name, []).append(value)
        else:
            data[name] = value
    return data


def counts(rt: Runtime) -> tuple[int, int]:
    with rt.session() as session:
        return len(session.exec(select(Event.id)).all()), len(session.exec(select(OutboxMessage.id)).all())


def events(rt: Runtime, kind: EventKind) -> list[Event]:
    with rt.session() as session:
        return list(session.exec(select(Event).where(Event.kind == kind).order_by(col(Event.id))).all())


def section(page: str, heading: str) -> str:
    """The text from one h2 to the next."""
    start = page.index(f"<h2>{heading}")
    end = page.find("<h2>", start + 4)
    return page[start : end if end > 0 else len(page)]


def test_the_list_names_every_checkbox_by_unit_and_person_and_offers_the_actions(world: World) -> None:
    page = world.hr.get("/hr/oppgaver?ar=2027&fase=spring-input").text
    task = world.task["leder2@testvik.no"]
    assert f'<label for="oppgave-{task}">Enhet 2<span class="visually-hidden"> (Leder 2)</span></label>' in page
    assert "<legend" in page and "Velg oppgaver" in page
    assert all(f'value="{kind}"' in page for kind in ("purring", "frist", "fritak", "stedfortreder"))
    searched = world.hr.get("/hr/oppgaver?ar=2027&fase=spring-input&sok=leder+4").text
    assert "Solsiden barnehage" in searched and "Enhet 2" not in searched
    by_deadline = world.hr.get("/hr/oppgaver?ar=2027&fase=spring-input&status=answered").text
    assert "Enhet 1" in by_deadline and "Enhet 2" not in by_deadline
    assert 'value="purring"' not in by_deadline  # only an answered task listed: no action is offered


def test_a_reminder_preview_shows_the_skips_then_the_confirmation_is_done_once(world: World) -> None:
    before = counts(world.rt)
    data = form(world, "hr", "purring", "leder1", "leder2", "leder4")
    page = world.hr.post("/hr/oppgaver/forhandsvisning", data=data)
    assert page.status_code == 200
    assert counts(world.rt) == before  # the preview changes nothing
    done, skipped = section(page.text, "Dette blir gjort"), section(page.text, "Hoppes over")
    assert "Dette blir gjort (2)" in done and "Enhet 2" in done and "Solsiden barnehage" in done
    assert "Påminnelse sendes til Leder 2 (leder2@testvik.no)." in done
    assert "Hoppes over (1)" in skipped and "Enhet 1" in skipped
    assert "Oppgaven er allerede besvart: ingen påminnelse sendes." in skipped
    data = confirm_form(page.text)
    result = world.hr.post("/hr/oppgaver/utfor", data=data)
    assert result.status_code == 200 and "2 oppgaver endret, 1 hoppet over." in result.text
    reminded = events(world.rt, EventKind.REMINDER_QUEUED)
    assert {e.assignment_id for e in reminded} == {world.task["leder2@testvik.no"], world.task["leder4@testvik.no"]}
    assert {e.actor for e in reminded} == {HR_ACTOR} and all(e.payload["manual"] for e in reminded)
    after = counts(world.rt)
    assert after[1] == before[1] + 2  # one reminder each in the outbox
    again = world.hr.post("/hr/oppgaver/utfor", data=data)  # the same form a second time (a double click)
    assert counts(world.rt) == after
    assert again.status_code == 200 and "Handlingen er gjort bare én gang" in again.text
    assert "2 oppgaver endret, 1 hoppet over." in again.text


def test_two_confirmations_of_one_preview_at_the_same_moment_are_done_once(world: World) -> None:
    tasks = (world.task["leder2@testvik.no"], world.task["leder3@testvik.no"])
    with world.rt.session() as session:
        account = session.exec(select(UserAccount.id).where(UserAccount.email == "hanne@testvik.no")).one()
    assert account is not None
    barrier = threading.Barrier(2, timeout=30)
    outcomes: list[Outcome] = []

    def submit() -> None:
        barrier.wait()
        outcomes.append(
            confirm(
                world.rt, BulkRequest(BulkKind.REMIND, tasks), key="k" * 32, planned=frozenset(tasks),
                account_id=account, actor=HR_ACTOR, now=world.rt.now(),
            )
        )  # fmt: skip

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcome.repeated for outcome in outcomes) == [False, True]
    assert sorted(e.assignment_id or 0 for e in events(world.rt, EventKind.REMINDER_QUEUED)) == sorted(tasks)


def test_a_new_deadline_past_the_phase_close_is_skipped_and_a_good_one_is_recorded_per_task(world: World) -> None:
    late = world.hr.post(
        "/hr/oppgaver/forhandsvisning", data=form(world, "hr", "frist", "leder2", "leder3", frist="2027-08-02")
    )
    assert late.status_code == 200 and "Dette blir gjort (0)" in late.text
    assert late.text.count("Fristen må være før fasen lukkes (30.06.2027).") == 2
    assert "/hr/oppgaver/utfor" not in late.text  # nothing to confirm
    sjef = world.sjef.post(
        "/hr/oppgaver/forhandsvisning", data=form(world, "sjef", "frist", "leder2", frist="2027-07-15")
    )
    assert "Som kommunalsjef kan du flytte fristen til senest 30.06.2027" in sjef.text
    page = world.sjef.post(
        "/hr/oppgaver/forhandsvisning", data=form(world, "sjef", "frist", "leder2", "leder3", frist="14.5.2027")
    )
    assert "Fristen flyttes fra 30.04.2027 til 14.05.2027 kl. 15.00" in page.text
    result = world.sjef.post("/hr/oppgaver/utfor", data=confirm_form(page.text))
    assert "2 oppgaver endret, 0 hoppet over." in result.text
    extended = events(world.rt, EventKind.ASSIGNMENT_DEADLINE_EXTENDED)
    assert [e.actor for e in extended] == [SJEF_ACTOR, SJEF_ACTOR]
    with world.rt.session() as session:
        for leader in ("leder2", "leder3"):
            task = session.get(Assignment, world.task[f"{leader}@testvik.no"])
            assert task is not None and to_local(task.due_at).date().isoformat() == "2027-05-14"


def test_hr_excuses_with_a_reason_and_hands_tasks_to_a_substitute(world: World) -> None:
    reason = "Enheten er slått sammen med Enhet 2"
    page = world.hr.post("/hr/oppgaver/forhandsvisning", data=form(world, "hr", "fritak", "leder3", begrunnelse=reason))
    assert f"Fritas med begrunnelsen «{reason}»." in page.text
    assert "1 oppgave endret" in world.hr.post("/hr/oppgaver/utfor", data=confirm_form(page.text)).text
    excused = events(world.rt, EventKind.ASSIGNMENT_EXCUSED)
    assert [(e.assignment_id, e.payload["reason"], e.actor) for e in excused] == [
        (world.task["leder3@testvik.no"], reason, HR_ACTOR)
    ]
    fields = {"navn": "Vera Vikar", "epost": "vera.vikar@testvik.no"}
    page = world.hr.post(
        "/hr/oppgaver/forhandsvisning", data=form(world, "hr", "stedfortreder", "leder2", "leder3", **fields)
    )
    assert "Gis fra Leder 2 (leder2@testvik.no) til Vera Vikar (vera.vikar@testvik.no)" in page.text
    assert "Oppgaven er fritatt: den gis ikke videre." in section(page.text, "Hoppes over")
    world.hr.post("/hr/oppgaver/utfor", data=confirm_form(page.text))
    delegated = events(world.rt, EventKind.ASSIGNMENT_DELEGATED)
    assert [(e.assignment_id, e.payload["substitute"]) for e in delegated] == [
        (world.task["leder2@testvik.no"], "vera.vikar@testvik.no")
    ]
    with world.rt.session() as session:
        mail = session.exec(select(OutboxMessage).where(OutboxMessage.to_address == "vera.vikar@testvik.no")).all()
    assert len(mail) == 1


def test_select_all_matching_the_filter_takes_the_filtered_tasks_only(world: World) -> None:
    data = form(world, "hr", "purring", alle="1", status="open", sok="enhet")
    page = world.hr.post("/hr/oppgaver/forhandsvisning", data=data)
    done = section(page.text, "Dette blir gjort")
    assert "Dette blir gjort (2)" in done and "Enhet 2" in done and "Enhet 3" in done
    assert "Solsiden" not in page.text and "Enhet 1" not in page.text


def test_a_kommunalsjef_cannot_reach_another_sector_by_editing_the_form(world: World) -> None:
    listing = world.sjef.get("/hr/oppgaver?ar=2027&fase=spring-input&sektor=S2").text
    assert "Enhet 2" in listing and "Solsiden barnehage" not in listing
    assert 'value="fritak"' not in listing and 'value="stedfortreder"' not in listing
    before = counts(world.rt)
    other = world.task["leder4@testvik.no"]
    page = world.sjef.post("/hr/oppgaver/forhandsvisning", data=form(world, "sjef", "purring", "leder2", "leder4"))
    assert page.status_code == 400 and f"Fant ikke oppgave nr. {other} blant oppgavene du kan endre" in page.text
    assert "Solsiden barnehage" not in page.text and "Leder 4" not in page.text
    own = world.sjef.post("/hr/oppgaver/forhandsvisning", data=form(world, "sjef", "purring", "leder2"))
    data = confirm_form(own.text)
    data["oppgave"].append(str(other))
    data["planlagt"].append(str(other))
    edited = world.sjef.post("/hr/oppgaver/utfor", data=data)
    assert edited.status_code == 400 and "Solsiden barnehage" not in edited.text
    data = form(world, "sjef", "purring", alle="1", sektor="S2")
    everything = world.sjef.post("/hr/oppgaver/forhandsvisning", data=data)
    assert "Solsiden" not in everything.text and "Enhet 2" in everything.text
    excuse = form(world, "sjef", "fritak", "leder2", begrunnelse="Lagt ned")
    assert world.sjef.post("/hr/oppgaver/forhandsvisning", data=excuse).status_code == 403
    assert counts(world.rt) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"oppgave": []}, "Velg minst én oppgave, eller velg alle som passer filteret."),
        ({"oppgave": ["999999"]}, "Fant ikke oppgave nr. 999999 blant oppgavene du kan endre."),
        ({"oppgave": ["abc", "99999999999"]}, "Fant ikke oppgave nr. abc, 99999999999"),
        ({"handling": "frist", "frist": "31.02.2027"}, "Skriv den nye fristen som en gyldig dato"),
        ({"handling": "frist", "frist": ""}, "Skriv den nye fristen som en gyldig dato"),
        ({"handling": "fritak", "begrunnelse": "  "}, "Skriv hvorfor oppgaven fritas"),
        ({"handling": "stedfortreder", "navn": "", "epost": "ikke-en-adresse"}, "Skriv en gyldig e-postadresse."),
        ({"handling": "slett"}, "Velg hva som skal gjøres med oppgavene."),
    ],
)
def test_bad_input_is_a_400_page_with_a_norwegian_message(world: World, fields: dict[str, Any], message: str) -> None:
    before = counts(world.rt)
    data = {**form(world, "hr", "purring", "leder2"), **fields}
    for path in ("/hr/oppgaver/forhandsvisning", "/hr/oppgaver/utfor"):
        if path.endswith("utfor"):
            data = {**data, "nokkel": "a" * 32, "planlagt": data["oppgave"]}
        page = world.hr.post(path, data=data)
        assert page.status_code == 400, (path, page.text[:300])
        assert "Det er noe som må rettes" in page.text and html.unescape(message) in html.unescape(page.text)
    assert counts(world.rt) == before


def test_a_confirmation_after_the_state_changed_does_nothing_and_shows_the_new_preview(world: World) -> None:
    page = world.hr.post("/hr/oppgaver/forhandsvisning", data=form(world, "hr", "purring", "leder2", "leder3"))
    with world.rt.session() as session:  # Leader 3 answers between the preview and the confirmation
        answer(session, world.rt, "leder3@testvik.no", "spring-input", _content("leder1@testvik.no"), world.rt.now())
    before = counts(world.rt)
    result = world.hr.post("/hr/oppgaver/utfor", data=confirm_form(page.text))
    assert result.status_code == 409 and "Noe er endret siden forhåndsvisningen" in result.text
    assert "Dette blir gjort (1)" in result.text
    assert counts(world.rt) == before  # not even Leader 2 was reminded: all or nothing
    with world.rt.session() as session:
        task = session.get(Assignment, world.task["leder2@testvik.no"])
        assert task is not None and task.state == AssignmentState.OPEN
    done = world.hr.post("/hr/oppgaver/utfor", data=confirm_form(result.text))
    assert "1 oppgave endret, 1 hoppet over." in done.text


def test_no_csrf_token_changes_nothing(world: World) -> None:
    data = {**form(world, "hr", "purring", "leder2"), "csrf_token": ""}
    assert world.hr.post("/hr/oppgaver/forhandsvisning", data=data).status_code == 400
