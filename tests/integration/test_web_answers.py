"""The answer forms and the HR console over HTTP, against a real SQLite file migrated with Alembic."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event
from sqlmodel import Session, col, select

from arshjul.bootstrap import bootstrap
from config.settings import Settings, SmtpSettings
from domain.aarshjul.workdays import OSLO, to_local
from domain.clock import ManualClock
from domain.models import (
    Answer,
    AnswerStatus,
    Assignment,
    AssignmentState,
    Event,
    OrgUnit,
    OutboxMessage,
    Person,
    Phase,
    Role,
    RoleKind,
    UnitLevel,
)
from notifications.catcher import MailCatcher
from notifications.links import LinkClaims
from tasks.answers.link_requests import handle_link_requests
from tasks.answers.submission import open_by_link
from tasks.cycle.phases import ensure_cycle, open_phase, phases_of
from tasks.events.log import HANDLERS_KEY
from tasks.events.prefect import uninstall_prefect_emitter
from tasks.org.people import ensure_hr
from tasks.outbox.delivery import deliver_due
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate
from tests.support.accounts import HR_EMAIL, PASSWORD, make_user
from web.app import create_app
from web.security import csrf_token

START = datetime(2027, 3, 2, 10, 0, tzinfo=OSLO)
LINK = re.compile(r"/svar/([A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+)")
SCRIPT = "<script>alert('x')</script>"


@dataclass
class World:
    rt: Runtime
    clock: ManualClock
    client: TestClient
    leaders: dict[str, int]  # unit id -> person id

    def session(self) -> Session:
        """A session the test commits itself; events it records run the runtime's handlers, as in the app."""
        session = Session(self.rt.engine, expire_on_commit=False)
        session.info[HANDLERS_KEY] = self.rt.handlers
        return session


def build_org(session: Session) -> dict[str, int]:
    """A kommune, one sektor with its kommunalsjef, two virksomheter with their leaders."""
    session.add(OrgUnit(id="k", name="Eksempel kommune", level=UnitLevel.KOMMUNE))
    session.add(OrgUnit(id="oppvekst", name="Oppvekst", parent_id="k", level=UnitLevel.SEKTOR))
    session.add(OrgUnit(id="solsiden", name="Solsiden skole", parent_id="oppvekst", level=UnitLevel.VIRKSOMHET))
    session.add(OrgUnit(id="bakken", name="Bakken barnehage", parent_id="oppvekst", level=UnitLevel.VIRKSOMHET))
    people = {
        "oppvekst": Person(name="Siri Sektor", email="siri@kommune.example"),
        "solsiden": Person(name="Kari Nordmann", email="kari@kommune.example"),
        "bakken": Person(name="Ola Hansen", email="ola@kommune.example"),
        "tillitsvalgt": Person(name="Tone Tillitsvalgt", email="tone@kommune.example"),
    }
    for person in people.values():
        session.add(person)
    session.flush()
    session.add(Role(person_id=people["oppvekst"].id or 0, kind=RoleKind.SECTOR_LEADER, unit_id="oppvekst"))
    for unit in ("solsiden", "bakken"):
        session.add(Role(person_id=people[unit].id or 0, kind=RoleKind.UNIT_LEADER, unit_id=unit))
    session.add(Role(person_id=people["tillitsvalgt"].id or 0, kind=RoleKind.TILLITSVALGT, union="Fagforbundet"))
    session.flush()
    return {unit: person.id or 0 for unit, person in people.items()}


def make_world(
    tmp_path: Path,
    phase_key: str = "spring-input",
    base_url: str = "http://127.0.0.1:8000",
    *,
    prefect_events: bool = False,
) -> tuple[Runtime, ManualClock, dict[str, int]]:
    """A migrated database with the organisation and the 2027 cycle; the phase `phase_key` opened."""
    settings = Settings(data_dir=tmp_path, env="test", base_url=base_url, prefect_events=prefect_events)
    clock = ManualClock(START)
    rt = bootstrap(settings, clock=clock)  # the composition root, as in production
    migrate(rt.engine)
    install_runtime(rt)
    with rt.session() as session:
        leaders = build_org(session)
        ensure_hr(session, settings)
        ensure_cycle(session, rt, 2027, clock.now())
        for phase in phases_of(session, 2027):
            if phase.key == phase_key:
                open_phase(session, rt, phase, 2027, clock.now())
    return rt, clock, leaders


@contextmanager
def world_at(tmp_path: Path, phase_key: str = "spring-input", *, prefect_events: bool = False) -> Iterator[World]:
    """A world with the phase opened and the app behind a test client; torn down afterwards."""
    rt, clock, leaders = make_world(tmp_path, phase_key=phase_key, prefect_events=prefect_events)
    try:
        with TestClient(create_app(rt), follow_redirects=False) as client:
            yield World(rt, clock, client, leaders)
    finally:
        if prefect_events:
            uninstall_prefect_emitter()  # the emitter is process-wide; later tests must not emit
        install_runtime(None)
        rt.engine.dispose()


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as opened:
        yield opened


def link_for(world: World, email: str) -> str:
    """The token in the newest task email to this address."""
    with world.session() as session:
        message = session.exec(
            select(OutboxMessage).where(OutboxMessage.to_address == email).order_by(col(OutboxMessage.id).desc())
        ).first()
    assert message is not None
    match = LINK.search(message.body_text)
    assert match, message.body_text
    return match.group(1)


def assignment_of(world: World, person_id: int) -> Assignment:
    with world.session() as session:
        found = session.exec(select(Assignment).where(Assignment.owner_id == person_id)).first()
    assert found is not None
    return found


def input_fields(token: str, world: World, **extra: str) -> dict[str, str]:
    fields = {
        "csrf_token": csrf_token(world.rt, token),
        "base_revision": "0",
        "action": "save",
        "requirements": "Alle lærere skal kunne bruke digitale verktøy.",
        "holdings": "12 lærere, 3 med videreutdanning.",
        "needs-0-area": "Digital kompetanse",
        "needs-0-description": "Mangler kompetanse i nye læringsplattformer.",
        "needs-0-criticality": "høy",
        "needs-0-horizon": "kort",
        "needs-0-strategy": "utvikle",
        "measures-0-area": "Digital kompetanse",
        "measures-0-goal": "Alle lærere bruker plattformen.",
        "measures-0-title": "Kurs i læringsplattform",
        "measures-0-target_group": "Lærere",
        "measures-0-cost": "25 000",
        "measures-0-priority": "1",
        "measures-0-funding": "eget budsjett",
        "measures-0-substitutes": "on",
    }
    return {**fields, **extra}


def answers(world: World, assignment_id: int) -> list[Answer]:
    with world.session() as session:
        return list(
            session.exec(
                select(Answer).where(Answer.assignment_id == assignment_id).order_by(col(Answer.revision))
            ).all()
        )


def events(world: World, kind: str) -> list[Event]:
    with world.session() as session:
        return list(session.exec(select(Event).where(Event.kind == kind)).all())


def test_leader_opens_form_saves_a_draft_and_finds_it_again(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    page = world.client.get(f"/svar/{token}")
    assert page.status_code == 200
    assert "Kompetanseinnspill" in page.text and "Solsiden skole" in page.text and "Ikke påbegynt" in page.text
    saved = world.client.post(f"/svar/{token}", data=input_fields(token, world))
    assert saved.status_code == 303 and saved.headers["location"].endswith("?lagret=1")
    again = world.client.get(saved.headers["location"])
    assert "Utkastet er lagret" in again.text
    assert "Kurs i læringsplattform" in again.text and 'value="25000"' in again.text
    assert "Utkast lagret" in again.text and "versjon 1" in again.text
    (draft,) = answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0)
    assert draft.status == AnswerStatus.DRAFT and draft.content["measures"][0]["substitutes"] is True


def test_submit_answers_the_task_queues_a_receipt_and_records_the_event(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    sent = world.client.post(f"/svar/{token}", data=input_fields(token, world, action="submit"))
    assert sent.status_code == 303 and sent.headers["location"].endswith("?sendt=1")
    page = world.client.get(sent.headers["location"])
    assert "Svaret er sendt inn" in page.text and "Dette sendte du inn" in page.text and "Endre svaret" in page.text
    assignment = assignment_of(world, world.leaders["solsiden"])
    assert assignment.state == AssignmentState.ANSWERED
    with world.session() as session:
        receipts = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "receipt")).all()
    assert [r.to_address for r in receipts] == ["kari@kommune.example"]
    assert [e.assignment_id for e in events(world, "answer.submitted")] == [assignment.id]
    revise = world.client.get(f"/svar/{token}?endre=1")
    assert 'name="requirements"' in revise.text and "Send inn endringene" in revise.text


def test_a_double_submit_keeps_one_submitted_answer(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    fields = input_fields(token, world, action="submit")
    first = world.client.post(f"/svar/{token}", data=fields)
    second = world.client.post(f"/svar/{token}", data=fields)
    assert first.status_code == second.status_code == 303
    submitted = [
        a
        for a in answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0)
        if a.status == AnswerStatus.SUBMITTED
    ]
    assert len(submitted) == 1
    assert len(events(world, "answer.submitted")) == 1


@pytest.mark.parametrize("csrf", [None, "", "0" * 64])
def test_a_missing_or_wrong_csrf_token_is_refused(world: World, csrf: str | None) -> None:
    token = link_for(world, "kari@kommune.example")
    fields = input_fields(token, world)
    if csrf is None:
        del fields["csrf_token"]
    else:
        fields["csrf_token"] = csrf
    response = world.client.post(f"/svar/{token}", data=fields)
    assert response.status_code == 400
    assert "Skjemaet er utløpt eller ugyldig – last inn siden på nytt" in response.text
    assert answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0) == []


def _signed(world: World, assignment: Assignment, person_id: int, *, days: int = 60) -> str:
    claims = LinkClaims(assignment.id or 0, person_id, assignment.link_version, START + timedelta(days=days), "answer")
    return world.rt.links.sign(claims)


def test_forged_links_get_a_friendly_page_and_no_answer(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    body, mac = token.split(".")
    forged = body[:-2] + ("AA" if body[-2:] != "AA" else "BB") + "." + mac
    for bad in (forged, "not-a-link", "abc.def", token + "x"):
        for response in (
            world.client.get(f"/svar/{bad}"),
            world.client.post(f"/svar/{bad}", data=input_fields(bad, world)),
        ):
            assert response.status_code == 403, bad
            assert "Lenken er ugyldig" in response.text and 'action="/lenke/ny"' in response.text
    assert answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0) == []


def test_someone_elses_link_is_refused(world: World) -> None:
    karis = assignment_of(world, world.leaders["solsiden"])
    token = _signed(world, karis, world.leaders["bakken"])  # validly signed, but for Ola, not for Kari's task
    response = world.client.post(f"/svar/{token}", data=input_fields(token, world))
    assert response.status_code == 403 and "Lenken virker ikke lenger" in response.text
    assert answers(world, karis.id or 0) == []


def test_a_signed_link_to_a_task_that_does_not_exist_is_refused(world: World) -> None:
    gone = Assignment(id=999_999, phase_id=0, owner_id=0, assignee_id=0, form="input", link_version=1)
    token = _signed(world, gone, world.leaders["solsiden"])
    for response in (world.client.get(f"/svar/{token}"), world.client.post(f"/svar/{token}", data={})):
        assert response.status_code == 403 and "Lenken virker ikke lenger" in response.text


def test_opening_a_link_reads_the_task_its_people_and_its_answers_in_one_statement(world: World) -> None:
    """Every GET and POST behind a link starts here: one joined query, not a statement per object."""
    token = link_for(world, "kari@kommune.example")
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(world.rt.engine, "before_cursor_execute", count)
    try:
        with world.session() as session:
            ctx = open_by_link(session, world.rt, token, world.clock.now())
    finally:
        event.remove(world.rt.engine, "before_cursor_execute", count)
    assert len(statements) == 1, statements
    assert ctx.actor.id == ctx.owner.id == world.leaders["solsiden"]
    assert ctx.unit is not None and ctx.unit.name == "Solsiden skole"
    assert ctx.phase.key == "spring-input" and ctx.year == 2027 and ctx.latest is None and ctx.answers == []


def test_an_expired_link_gets_a_friendly_page(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    with world.session() as session:
        phase = session.exec(select(Phase).where(Phase.key == "spring-input")).one()
    world.clock.set(phase.closes_at + timedelta(days=world.rt.settings.link_grace_days, minutes=1))
    for response in (
        world.client.get(f"/svar/{token}"),
        world.client.post(f"/svar/{token}", data=input_fields(token, world)),
    ):
        assert response.status_code == 410 and "Lenken er utløpt" in response.text


def test_a_revoked_link_stops_working_and_a_new_link_can_be_asked_for(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    login(world)
    assignment = assignment_of(world, world.leaders["solsiden"])
    reissued = world.client.post(f"/hr/oppgave/{assignment.id}/ny-lenke", data={"csrf_token": hr_csrf(world)})
    assert reissued.status_code == 303
    old = world.client.get(f"/svar/{token}")
    assert old.status_code == 403 and "Lenken virker ikke lenger" in old.text
    new_token = link_for(world, "kari@kommune.example")
    assert new_token != token and world.client.get(f"/svar/{new_token}").status_code == 200
    assert len(events(world, "link.reissued")) == 1


def test_asking_for_a_new_link_says_the_same_whoever_asks(world: World) -> None:
    with world.session() as session:
        before = len(session.exec(select(OutboxMessage)).all())
    page = world.client.get("/svar/not-a-link")  # the page with the form sets the cookie its CSRF token is bound to
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert csrf
    known = world.client.post("/lenke/ny", data={"epost": " Kari@Kommune.example ", "csrf_token": csrf.group(1)})
    unknown = world.client.post("/lenke/ny", data={"epost": "nobody@example.org", "csrf_token": csrf.group(1)})
    again = world.client.post("/lenke/ny", data={"epost": "kari@kommune.example", "csrf_token": csrf.group(1)})
    sentence = "Hvis adressen er registrert hos oss, får du en ny lenke på e-post."
    assert all(r.status_code == 200 and sentence in r.text for r in (known, unknown, again))
    with world.session() as session:  # the dispatcher's step looks the addresses up and queues the e-mail
        assert handle_link_requests(session, world.rt, now=world.clock.now()) == 1
        session.commit()
    with world.session() as session:
        relinks = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.idempotency_key).startswith("relink:"))
        ).all()
        assert len(session.exec(select(OutboxMessage)).all()) == before + 1
    assert [m.to_address for m in relinks] == ["kari@kommune.example"]  # once: a second ask soon after is quiet
    assert LINK.search(relinks[0].body_text)


def test_a_number_field_with_text_is_a_field_error_and_keeps_what_was_typed(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    fields = input_fields(token, world, action="submit", **{"measures-0-cost": "mange penger"})
    response = world.client.post(f"/svar/{token}", data=fields)
    assert response.status_code == 422
    assert "Skriv et helt tall" in response.text and 'aria-describedby="measures-0-cost-error"' in response.text
    assert 'value="mange penger"' in response.text and "Kurs i læringsplattform" in response.text
    assert answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0) == []


def test_validation_errors_are_norwegian_sentences_next_to_their_fields(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    fields = input_fields(
        token,
        world,
        action="submit",
        requirements="",
        **{"needs-0-criticality": "", "needs-2-area": "Ledelse", "measures-0-title": "x" * 300},
    )
    response = world.client.post(f"/svar/{token}", data=fields)
    assert response.status_code == 422
    text = response.text
    assert 'id="requirements-error">Dette feltet må fylles ut.' in text
    assert 'id="needs-0-criticality-error">Velg et av alternativene.' in text
    assert 'id="needs-1-horizon-error">Velg et av alternativene.' in text  # the third posted row is the second shown
    assert 'id="measures-0-title-error">Teksten er for lang (høyst 200 tegn).' in text
    assert 'value="Ledelse"' in text


def test_rows_are_added_and_removed_without_saving(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    added = world.client.post(f"/svar/{token}", data=input_fields(token, world, add_row="needs"))
    assert added.status_code == 200 and 'name="needs-1-area"' in added.text and 'name="needs-2-area"' not in added.text
    removed = world.client.post(f"/svar/{token}", data=input_fields(token, world, remove_row="measures-0"))
    assert 'name="measures-0-title"' in removed.text and "Kurs i læringsplattform" not in removed.text
    assert answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0) == []


def test_two_saves_from_the_same_revision_conflict_and_show_both_versions(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    first = world.client.post(f"/svar/{token}", data=input_fields(token, world, holdings="Versjon fra mobilen"))
    assert first.status_code == 303
    second = world.client.post(f"/svar/{token}", data=input_fields(token, world, holdings="Versjon fra PC-en"))
    assert second.status_code == 409
    assert "Noen andre har lagret svaret mens du skrev" in second.text
    assert "Versjon fra mobilen" in second.text and "Versjon fra PC-en" in second.text
    assert 'name="base_revision" value="1"' in second.text
    third = world.client.post(f"/svar/{token}", data=input_fields(token, world, base_revision="1"))
    assert third.status_code == 303
    assert [a.revision for a in answers(world, assignment_of(world, world.leaders["solsiden"]).id or 0)] == [
        1,
        2,
    ]


def test_script_typed_into_a_field_is_shown_as_text(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    fields = input_fields(token, world, holdings=SCRIPT, **{"measures-0-cost": "x"})
    shown = world.client.post(f"/svar/{token}", data=fields)
    assert SCRIPT not in shown.text and "&lt;script&gt;" in shown.text
    world.client.post(f"/svar/{token}", data=input_fields(token, world, holdings=SCRIPT))
    page = world.client.get(f"/svar/{token}")
    assert SCRIPT not in page.text and "&lt;script&gt;" in page.text


def test_pages_carry_security_headers_and_never_a_traceback(world: World) -> None:
    response = world.client.get("/helse")
    assert response.json() == {"status": "ok"}
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY" and response.headers["referrer-policy"] == "no-referrer"
    missing = world.client.get("/finnes-ikke")
    assert missing.status_code == 404 and "Siden finnes ikke" in missing.text
    assert world.client.get("/innboks").status_code == 404  # no mail catcher given
    token = link_for(world, "kari@kommune.example")
    huge = world.client.post(f"/svar/{token}", data=input_fields(token, world, holdings="x" * 300_000))
    assert huge.status_code == 413 and "Skjemaet er for stort" in huge.text


def test_the_page_speaks_nynorsk_and_english_when_asked(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    assert "Lagra utkast" in world.client.get(f"/svar/{token}?lang=nn").text
    english = world.client.get(f"/svar/{token}?lang=en")
    assert "Save draft" in english.text and 'lang="en"' in english.text


def test_a_leader_hands_the_task_to_a_substitute(world: World) -> None:
    token = link_for(world, "kari@kommune.example")
    response = world.client.post(
        f"/svar/{token}/stedfortreder",
        data={
            "csrf_token": csrf_token(world.rt, token),
            "navn": "Vera Vikar",
            "epost": "vera@kommune.example",
        },
    )
    assert response.status_code == 200 and "Vera Vikar" in response.text and "virker fortsatt" in response.text
    own = world.client.get(f"/svar/{token}")  # the task is still Kari's: she can follow along and answer
    assert own.status_code == 200 and "Oppgaven er gitt til Vera Vikar som stedfortreder" in own.text
    vera_token = link_for(world, "vera@kommune.example")
    page = world.client.get(f"/svar/{vera_token}")
    assert page.status_code == 200 and "stedfortreder for Kari Nordmann" in page.text
    (event,) = events(world, "assignment.delegated")
    assert event.actor == "kari@kommune.example" and event.payload["on_behalf_of"] == "kari@kommune.example"
    onward = world.client.post(
        f"/svar/{vera_token}/stedfortreder",
        data={"csrf_token": csrf_token(world.rt, vera_token), "navn": "Per Vikar", "epost": "per@kommune.example"},
    )
    assert onward.status_code == 200 and "virker ikke lenger" in onward.text
    assert world.client.get(f"/svar/{vera_token}").status_code == 403  # a replaced substitute loses access
    assert world.client.get(f"/svar/{link_for(world, 'per@kommune.example')}").status_code == 200
    assert world.client.get(f"/svar/{token}").status_code == 200


HR_ROUTES = [
    ("get", "/hr"),
    ("get", "/hr/hendelser"),
    ("get", "/hr/oppgave/1"),
    ("post", "/logg-ut"),
    ("post", "/hr/oppgave/1/purring"),
    ("post", "/hr/oppgave/1/frist"),
    ("post", "/hr/oppgave/1/stedfortreder"),
    ("post", "/hr/oppgave/1/ny-lenke"),
]


@pytest.mark.parametrize(("method", "path"), HR_ROUTES)
def test_every_hr_page_sends_a_stranger_to_the_login(world: World, method: str, path: str) -> None:
    response = getattr(world.client, method)(path, **({"data": {"csrf_token": "x"}} if method == "post" else {}))
    assert response.status_code == 303 and response.headers["location"].startswith("/logg-inn")
    world.client.cookies.set("arshjul_okt", "forged-session-id")
    forged = getattr(world.client, method)(path)
    assert forged.status_code == 303 and forged.headers["location"].startswith("/logg-inn")


def login(world: World) -> None:
    make_user(world.rt)
    page = world.client.get("/logg-inn")
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert csrf
    form = {"csrf_token": csrf.group(1), "epost": HR_EMAIL}
    wrong = world.client.post("/logg-inn", data={**form, "passord": "feil"})
    assert wrong.status_code == 401 and "Feil e-postadresse eller passord" in wrong.text
    response = world.client.post("/logg-inn", data={**form, "passord": PASSWORD})
    assert response.status_code == 303 and response.headers["location"] == "/hr"
    assert (
        "httponly" in response.headers["set-cookie"].lower()
        and "samesite=lax" in response.headers["set-cookie"].lower()
    )


def hr_csrf(world: World) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', world.client.get("/hr").text)
    assert match
    return match.group(1)


def test_hr_sees_progress_extends_a_deadline_and_delegates(world: World) -> None:
    login(world)
    home = world.client.get("/hr")
    assert home.status_code == 200
    assert "Årshjulet 2027" in home.text
    oppvekst = re.search(r">Oppvekst</a></th>.*?</tr>", home.text, re.S)
    assert oppvekst and re.findall(r'class="num[^"]*">(\d+)<', oppvekst.group(0))[0::5] == ["0", "2"]
    csrf = hr_csrf(world)
    ola = assignment_of(world, world.leaders["bakken"])
    no_csrf = world.client.post(f"/hr/oppgave/{ola.id}/frist", data={"frist": "2027-05-20"})
    assert no_csrf.status_code == 400
    extended = world.client.post(f"/hr/oppgave/{ola.id}/frist", data={"csrf_token": csrf, "frist": "2027-05-20"})
    assert extended.status_code == 303
    after = assignment_of(world, world.leaders["bakken"])
    assert to_local(after.due_at).isoformat() == "2027-05-20T15:00:00+02:00"
    assert after.deadline_sequence == ola.deadline_sequence + 1 and after.notices_done == 0
    assert len(events(world, "assignment.deadline_extended")) == 1
    refused = world.client.post(f"/hr/oppgave/{ola.id}/frist", data={"csrf_token": csrf, "frist": "2026-01-01"})
    assert refused.status_code == 400 and "fram i tid" in refused.text
    delegated = world.client.post(
        f"/hr/oppgave/{ola.id}/stedfortreder",
        data={"csrf_token": csrf, "navn": "Per Vikar", "epost": "per@kommune.example"},
    )
    assert delegated.status_code == 303
    with world.session() as session:
        per = session.exec(select(Person).where(Person.email == "per@kommune.example")).one()
    assert assignment_of(world, world.leaders["bakken"]).assignee_id == per.id
    (event,) = events(world, "assignment.delegated")
    assert event.actor == f"Hanne Personal <{HR_EMAIL}> (HR)" and event.payload["on_behalf_of"] == "ola@kommune.example"
    reminded = world.client.post(f"/hr/oppgave/{ola.id}/purring", data={"csrf_token": csrf})
    assert reminded.status_code == 303
    detail = world.client.get(reminded.headers["location"])
    assert "Påminnelsen er lagt i utboksen" in detail.text and "Per Vikar" in detail.text
    log = world.client.get("/hr/hendelser")
    assert log.status_code == 200 and "assignment.delegated" in log.text
    assert log.text.index("reminder.queued") < log.text.index("assignment.created")  # newest first


def test_hr_logout_ends_the_session(world: World) -> None:
    login(world)
    copied = world.client.cookies["arshjul_okt"]
    response = world.client.post("/logg-ut", data={"csrf_token": hr_csrf(world)})
    assert response.status_code == 303
    assert world.client.get("/hr").status_code == 303
    world.client.cookies.set("arshjul_okt", copied)  # the old cookie replayed: the session is gone on the server
    assert world.client.get("/hr").headers["location"].startswith("/logg-inn")


def open_named_phase(world: World, key: str) -> None:
    with world.rt.session() as session:
        phase = next(p for p in phases_of(session, 2027) if p.key == key)
        open_phase(session, world.rt, phase, 2027, world.clock.now())


def post_form(world: World, token: str, fields: dict[str, str]) -> Any:
    base = {"csrf_token": csrf_token(world.rt, token), "base_revision": "0", "action": "submit"}
    return world.client.post(f"/svar/{token}", data={**base, **fields})


def test_the_year_from_input_through_consultation_to_adoption(world: World) -> None:
    kari = link_for(world, "kari@kommune.example")
    assert world.client.post(f"/svar/{kari}", data=input_fields(kari, world, action="submit")).status_code == 303
    open_named_phase(world, "september-draft")
    tone = link_for(world, "tone@kommune.example")
    page = world.client.get(f"/svar/{tone}")
    assert page.status_code == 200 and "Omfang/Læringsarena" in page.text and "Kurs i læringsplattform" in page.text
    assert 'name="comments-0-target"' in page.text and 'name="comments-1-target"' not in page.text
    target = re.search(r'name="comments-0-target" value="([^"]+)"', page.text)
    assert target
    missing = post_form(world, tone, {"comments-0-target": target.group(1), "comments-0-text": "Bra, men for dyrt."})
    assert missing.status_code == 422 and 'id="statement-error"' in missing.text
    assert 'id="comments-0-position-error"' in missing.text
    sent = post_form(
        world,
        tone,
        {
            "comments-0-target": target.group(1),
            "comments-0-position": "kommentar",
            "comments-0-text": "Bra, men for dyrt.",
            "statement": "Vi støtter planen.",
        },
    )
    assert sent.status_code == 303
    shown = world.client.get(sent.headers["location"])
    assert "Bra, men for dyrt." in shown.text and "Kommentar" in shown.text
    open_named_phase(world, "december-adoption")
    hr = link_for(world, world.rt.settings.hr_email)
    form = world.client.get(f"/svar/{hr}")
    assert 'list="bodies"' in form.text and "Kommunestyret" in form.text
    empty = post_form(world, hr, {})
    assert empty.status_code == 422 and "Fyll ut minst 1 rad." in empty.text
    bad_date = post_form(
        world,
        hr,
        {
            "handlings-0-body": "Kommunestyret",
            "handlings-0-held_on": "31.04.2027",
            "handlings-0-kind": "vedtak",
        },
    )
    assert bad_date.status_code == 422 and 'id="handlings-0-held_on-error"' in bad_date.text
    assert 'value="31.04.2027"' in bad_date.text
    adopted = post_form(
        world,
        hr,
        {
            "handlings-0-body": "Kommunestyret",
            "handlings-0-held_on": "16.12.2027",
            "handlings-0-kind": "vedtak",
            "handlings-0-case_number": "27/1234",
        },
    )
    assert adopted.status_code == 303
    assert len(events(world, "plan.adopted")) == 1


def test_the_january_evaluation_form_takes_one_row_per_measure(tmp_path: Path) -> None:
    rt, _clock, _leaders = make_world(tmp_path, phase_key="january-evaluation")
    world = World(rt, _clock, TestClient(create_app(rt), follow_redirects=False), _leaders)
    token = link_for(world, "ola@kommune.example")
    page = world.client.get(f"/svar/{token}?lang=en")
    assert page.status_code == 200 and 'name="items-0-title"' in page.text and "Carried out?" in page.text
    sent = post_form(
        world,
        token,
        {
            "items-0-title": "Veiledningskurs",
            "items-0-carried_out": "delvis",
            "items-0-why_not": "Én samling ble avlyst.",
            "items-0-participants": "14",
            "items-0-cost": "12 000 kr",
            "items-0-goal_attainment": "delvis nådd",
            "items-0-next_step": "fortsette",
            "lessons": "Bør legges til høsten.",
        },
    )
    assert sent.status_code == 303
    (answer,) = answers(world, assignment_of(world, world.leaders["bakken"]).id or 0)
    item = answer.content["items"][0]
    assert item["participants"] == 14 and not any(v for k, v in item.items() if k.startswith("reached_"))
    assert item["cost"] == 12_000
    install_runtime(None)
    rt.engine.dispose()


def test_the_development_inbox_shows_delivered_mail_with_clickable_links(tmp_path: Path) -> None:
    rt, clock, _leaders = make_world(tmp_path)
    with MailCatcher() as catcher:
        smtp = SmtpSettings(host=catcher.host, port=catcher.port, timeout_seconds=5)
        deliver_due(rt.engine, smtp, as_of=clock.now())
        client = TestClient(create_app(rt, catcher=catcher))
        listing = client.get("/innboks")
        assert listing.status_code == 200 and "Ny oppgave" in listing.text and 'href="/innboks/1"' in listing.text
        one = client.get("/innboks/1")
        assert one.status_code == 200 and re.search(r'<a href="http://127\.0\.0\.1:8000/svar/[^"]+">', one.text)
        assert 'sandbox=""' in one.text and "srcdoc=" in one.text and "<script" not in one.text
        assert client.get("/innboks/999").status_code == 404
    install_runtime(None)
    rt.engine.dispose()


def test_an_unexpected_error_is_a_friendly_page_not_a_traceback(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr("web.deps.open_by_link", broken)
    response = world.client.get(f"/svar/{link_for(world, 'kari@kommune.example')}")
    assert response.status_code == 500
    assert "Noe gikk galt" in response.text and "database on fire" not in response.text
    assert "Traceback" not in response.text
    assert world.client.get("/lenke/ny").status_code == 405  # a wrong method is a page too
    assert world.client.get("/hr/oppgave/abc").status_code == 303  # not logged in: login first


def test_after_the_deadline_a_submitted_answer_is_read_only_and_overdue_tasks_show_in_the_console(
    world: World,
) -> None:
    kari = link_for(world, "kari@kommune.example")
    assert world.client.post(f"/svar/{kari}", data=input_fields(kari, world, action="submit")).status_code == 303
    world.clock.set(assignment_of(world, world.leaders["solsiden"]).due_at + timedelta(days=1))
    page = world.client.get(f"/svar/{kari}?endre=1")
    assert "Fristen er ute" in page.text and 'name="requirements"' not in page.text
    assert "Endre svaret" not in page.text and "Dette sendte du inn" in page.text
    late = world.client.post(
        f"/svar/{kari}",
        data=input_fields(kari, world, action="submit", base_revision="1", holdings="Endret etter fristen"),
    )
    assert late.status_code == 409 and "Fristen er ute" in late.text
    ola = link_for(world, "ola@kommune.example")
    assert "Fristen er passert, men du kan fortsatt sende inn" in world.client.get(f"/svar/{ola}").text
    login(world)
    home = world.client.get("/hr")
    attention = home.text.split("Trenger oppmerksomhet")[1].split("</section>")[0]
    late = re.search(r'href="(/hr/sektor/[^"]+status=sen)">1 enhet over fristen i Oppvekst', attention)
    assert late
    listed = world.client.get(late.group(1).replace("&amp;", "&")).text
    assert "Bakken barnehage" in listed and "Solsiden skole" not in listed


def test_a_closed_phase_shows_the_answer_without_a_form(world: World) -> None:
    from tasks.cycle.phases import close_phase

    kari = link_for(world, "kari@kommune.example")
    world.client.post(f"/svar/{kari}", data=input_fields(kari, world))
    with world.rt.session() as session:
        phase = session.exec(select(Phase).where(Phase.key == "spring-input")).one()
        close_phase(session, world.rt, phase, 2027, world.clock.now(), reason="test")
    page = world.client.get(f"/svar/{kari}")
    assert page.status_code == 200 and "Denne fasen er avsluttet" in page.text
    assert 'name="requirements"' not in page.text and "Siste lagrede utkast" in page.text
    assert "Gi oppgaven til en stedfortreder" not in page.text


def test_form_fields_are_parsed_into_answer_content() -> None:
    from web.answer.form_specs import SPECS
    from web.answer.formdata import parse, values_from_form

    spec = SPECS["input"]
    form = {
        "requirements": "Krav",
        "measures-3-title": "Kurs",
        "measures-3-cost": "25 000",
        "measures-3-substitutes": "on",
        "measures-1-title": "",
        "needs-0-area": " ",
        "ignored-0-x": "y",
    }
    parsed = parse(spec, values_from_form(spec, form))
    assert parsed.content["needs"] == [] and parsed.content["holdings"] == ""
    (measure,) = parsed.content["measures"]
    assert measure == {"title": "Kurs", "cost": 25000, "substitutes": True}
    assert parsed.rows_kept["measures"] == [1]  # posted indices 1 and 3 become rows 0 and 1; row 0 was empty
    adoption = SPECS["adoption"]
    held = parse(adoption, values_from_form(adoption, {"handlings-0-held_on": "16.12.2027"}))
    assert held.content["handlings"][0]["held_on"] == "2027-12-16"


def test_every_page_text_exists_in_bokmal_nynorsk_and_english() -> None:
    from web.i18n import catalogue

    incomplete = [
        key
        for key, texts in catalogue().items()
        if set(texts) != {"nb", "nn", "en"} or not all(str(text).strip() for text in texts.values())
    ]
    assert incomplete == []


def test_every_text_a_template_names_is_in_the_catalogue() -> None:
    from web.i18n import catalogue
    from web.rendering import TEMPLATE_DIR

    pattern = re.compile(r"t\('([a-z0-9_.]+)'[,)]")
    named = {key for page in TEMPLATE_DIR.glob("*.html") for key in pattern.findall(page.read_text())}
    assert named and named - set(catalogue()) == set()


def test_only_an_adopted_plan_is_shown_publicly(tmp_path: Path) -> None:
    rt, _clock, _leaders = make_world(tmp_path, phase_key="spring-input")
    client = TestClient(create_app(rt))
    assert client.get("/plan/2028").status_code == 404


def test_the_hr_menu_reaches_reminders_and_the_plan_from_every_hr_page(world: World) -> None:
    login(world)
    for path in ("/hr", "/hr/purring", "/hr/plan", "/hr/hendelser"):
        page = world.client.get(path)
        assert page.status_code == 200, path
        assert 'href="/hr/purring"' in page.text and 'href="/hr/plan"' in page.text, path


def test_a_leader_whose_task_is_with_a_substitute_can_still_ask_for_a_working_link(world: World) -> None:
    from web.security import csrf_token

    kari = link_for(world, "kari@kommune.example")
    handed = world.client.post(
        f"/svar/{kari}/stedfortreder",
        data={"csrf_token": csrf_token(world.rt, kari), "navn": "Vera Vikar", "epost": "vera@kommune.example"},
    )
    assert handed.status_code == 200
    login(world)
    assignment = assignment_of(world, world.leaders["solsiden"])
    world.client.post(f"/hr/oppgave/{assignment.id}/ny-lenke", data={"csrf_token": hr_csrf(world)})
    revoked = world.client.get(f"/svar/{kari}")
    assert revoked.status_code == 403  # every old link is revoked
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', revoked.text)
    assert csrf
    world.client.post("/lenke/ny", data={"epost": "kari@kommune.example", "csrf_token": csrf.group(1)})
    with world.session() as session:
        handle_link_requests(session, world.rt, now=world.clock.now())
        session.commit()
    with world.session() as session:
        relink = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.idempotency_key).startswith("relink:"))
        ).one()
    match = LINK.search(relink.body_text)
    assert relink.to_address == "kari@kommune.example" and match
    assert world.client.get(match.group(0).split("127.0.0.1:8000")[-1]).status_code == 200


def test_a_single_reminder_sent_in_the_evening_waits_for_office_hours(world: World) -> None:
    from tasks.cycle.assignment_actions import send_reminder

    friday_evening = datetime(2027, 4, 16, 20, 0, tzinfo=OSLO)
    world.clock.set(friday_evening)
    assignment = assignment_of(world, world.leaders["solsiden"])
    with world.session() as session:
        send_reminder(session, world.rt, assignment.id or 0, actor="HR", now=world.rt.now())
        session.commit()
        queued = session.exec(
            select(OutboxMessage).where(col(OutboxMessage.idempotency_key).startswith("manual-reminder:"))
        ).one()
    assert to_local(queued.next_attempt_at).replace(tzinfo=None) == datetime(2027, 4, 19, 8, 0)
