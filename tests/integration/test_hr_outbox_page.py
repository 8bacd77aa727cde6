"""The outbox page of the HR console: counts, lists, plain reasons, and retry or cancel behind a confirmation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from domain.clock import ManualClock
from domain.identity import AccountRole
from domain.models import Event, OutboxStatus
from notifications.catcher import MailCatcher
from tasks.outbox.audit import HEADER, audit_rows
from tasks.outbox.delivery import deliver_due
from tasks.runtime import Runtime
from tests.support.accounts import make_user, sign_in, sign_in_as_hr
from tests.support.org import build_small_org
from tests.support.outbox_states import every_state, messages, queue
from web.app import create_app


@dataclass
class Console:
    rt: Runtime
    client: TestClient
    csrf: str
    keys: dict[str, str]  # state -> idempotency key
    ids: dict[str, int]  # state -> message id


@pytest.fixture
def console(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Console]:
    keys = every_state(rt, clock, catcher, monkeypatch)
    by_key = messages(rt)
    client = TestClient(create_app(rt), follow_redirects=False)
    csrf = sign_in_as_hr(client, rt)
    yield Console(rt, client, csrf, keys, {state: by_key[key].id or 0 for state, key in keys.items()})


def confirm_form(page: str) -> dict[str, str | list[str]]:
    """The hidden fields of a confirmation page, as the browser would post them."""
    fields = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', page)
    form: dict[str, str | list[str]] = {name: value for name, value in fields if name != "id"}
    form["id"] = [value for name, value in fields if name == "id"]
    return form


def test_the_page_counts_every_state_and_says_why_a_letter_is_dead_in_plain_norwegian(console: Console) -> None:
    page = console.client.get("/hr/utboks")
    assert page.status_code == 200
    text = page.text
    for label, count in (("I kø", 1), ("Sendt", 1), ("Avvist", 1), ("Usikker levering", 1), ("Sendes nå", 0)):
        assert re.search(rf">{label}</a>: (<span[^>]*>)?{count}<", text), label
    assert "mottakerens e-postserver sier at adressen ikke finnes" in text.lower()
    assert "550 simulated failure" in text
    assert "Usikker levering: overlevert til e-postserveren" in text
    assert "kan mottakeren få den to ganger" in text
    dead_only = console.client.get("/hr/utboks?tilstand=avvist").text
    assert "dag.avvist@testvik.no" in dead_only and "siv.sendt@testvik.no" not in dead_only
    found = console.client.get("/hr/utboks?sok=SIV").text
    assert "siv.sendt@testvik.no" in found and "dag.avvist@testvik.no" not in found
    assert "Ingen meldinger" in console.client.get("/hr/utboks?sok=%25_").text  # wildcards are plain characters


def test_the_outbox_is_paged_fifty_at_a_time(console: Console) -> None:
    queue(console.rt, [f"Person {n}" for n in range(60)], prefix="mange")
    first = console.client.get("/hr/utboks?tilstand=i-ko").text
    assert "61 meldinger" in first and "side 1 av 2" in first
    assert first.count('name="id"') == 50
    second = console.client.get("/hr/utboks?tilstand=i-ko&side=2").text
    assert second.count('name="id"') == 11 and "kari.venter@testvik.no" in second
    assert 'href="/hr/utboks?tilstand=i-ko&amp;sok=&amp;side=1"' in second


def test_retrying_a_dead_letter_goes_through_a_confirmation_and_confirming_twice_does_nothing_twice(
    console: Console, catcher: MailCatcher
) -> None:
    dead = console.ids["avvist"]
    page = console.client.get(f"/hr/utboks/bekreft?handling=retry&id={dead}")
    assert page.status_code == 200 and "Send 1 på nytt" in page.text
    assert messages(console.rt)[console.keys["avvist"]].status == OutboxStatus.DEAD  # looking changes nothing
    form = confirm_form(page.text)
    done = console.client.post("/hr/utboks/bekreft", data=form)
    assert done.status_code == 303 and done.headers["location"] == "/hr/utboks?ok=retry&antall=1"
    assert "Én melding legges i kø" in console.client.get(done.headers["location"]).text
    again = console.client.post("/hr/utboks/bekreft", data=form)
    assert again.status_code == 400 and "Ingenting er gjort" in again.text
    with console.rt.session() as session:
        retried = session.exec(select(Event).where(Event.kind == "email.retried")).all()
    assert len(retried) == 1 and retried[0].actor.startswith("Hanne Personal <hanne.hr@testvik.no> (HR")
    assert deliver_due(console.rt.engine, console.rt.settings.smtp, as_of=console.rt.now()).sent == 2
    assert messages(console.rt)[console.keys["avvist"]].status == OutboxStatus.SENT
    with console.rt.session() as session:
        rows = [dict(zip(HEADER, row, strict=True)) for row in audit_rows(session, console.rt, 2027)]
    assert any(r["hendelse"] == "email.retried" and r["utført av"].startswith("Hanne Personal") for r in rows)


def test_an_uncertain_letter_is_retried_only_when_the_duplicate_is_acknowledged(console: Console) -> None:
    unsure = console.ids["usikker"]
    page = console.client.get(f"/hr/utboks/bekreft?handling=retry&id={unsure}").text
    assert "Mottakeren kan få e-posten to ganger" in page and 'name="duplikat"' in page
    form = confirm_form(page)
    refused = console.client.post("/hr/utboks/bekreft", data=form)
    assert refused.status_code == 400 and "Kryss av for at du forstår" in refused.text
    assert messages(console.rt)[console.keys["usikker"]].status == OutboxStatus.DEAD
    done = console.client.post("/hr/utboks/bekreft", data={**form, "duplikat": "ja"})
    assert done.status_code == 303
    with console.rt.session() as session:
        event = session.exec(select(Event).where(Event.kind == "email.retried")).one()
    assert event.payload["uncertain"] == "confirmed"


def test_cancelling_selected_messages_cancels_all_or_none(console: Console) -> None:
    queued, dead, sent = console.ids["i-ko"], console.ids["avvist"], console.ids["sendt"]
    page = console.client.get(f"/hr/utboks/bekreft?handling=cancel&id={queued}&id={dead}&id={sent}").text
    assert f"Melding {sent} til siv.sendt@testvik.no kan ikke avbrytes nå." in page and "Avbryt 2" in page
    done = console.client.post("/hr/utboks/bekreft", data=confirm_form(page))
    assert done.headers["location"] == "/hr/utboks?ok=cancel&antall=2"
    states = {state: messages(console.rt)[key].status for state, key in console.keys.items()}
    assert states["i-ko"] == states["avvist"] == OutboxStatus.CANCELLED and states["sendt"] == OutboxStatus.SENT
    with console.rt.session() as session:
        cancelled = session.exec(select(Event).where(Event.kind == "email.cancelled")).all()
    assert len(cancelled) == 2 and all(e.actor.startswith("Hanne Personal") for e in cancelled)


@pytest.mark.parametrize(
    ("method", "path", "data"),
    [
        ("GET", "/hr/utboks/bekreft?handling=retry", None),
        ("GET", "/hr/utboks/bekreft?handling=slett&id=1", None),
        ("GET", "/hr/utboks/bekreft?handling=retry&id=%C2%B2", None),
        ("GET", "/hr/utboks/bekreft?handling=retry&id=99999999999", None),
        ("GET", "/hr/utboks?side=0", None),
        ("POST", "/hr/utboks/bekreft", {"handling": "retry", "id": ["1"], "sett": "x"}),
        ("POST", "/hr/utboks/bekreft", {"handling": "retry", "id": ["1"], "sett": "feil", "csrf_token": "CSRF"}),
        ("POST", "/hr/utboks/bekreft", {"handling": "retry", "csrf_token": "CSRF"}),
    ],
)
def test_bad_input_gets_a_400_page_in_norwegian(
    console: Console, method: str, path: str, data: dict[str, str | list[str]] | None
) -> None:
    if data is not None and data.get("csrf_token") == "CSRF":
        data = {**data, "csrf_token": console.csrf}
    response = console.client.request(method, path, data=data)
    assert response.status_code == 400, response.text[:300]
    assert 'lang="nb"' in response.text and "Traceback" not in response.text
    assert {m.status for m in messages(console.rt).values()} == {
        OutboxStatus.DEAD, OutboxStatus.SENT, OutboxStatus.PENDING
    }  # fmt: skip


def test_a_kommunalsjef_and_a_leser_are_refused(rt: Runtime) -> None:
    with rt.session() as session:
        build_small_org(session)
    make_user(rt, "siri@testvik.no", AccountRole.KOMMUNALSJEF, "S1", name="Siri")
    make_user(rt, "dir@testvik.no", AccountRole.LESER, name="Dina")
    for email in ("siri@testvik.no", "dir@testvik.no"):
        client = TestClient(create_app(rt), follow_redirects=False)
        csrf = sign_in(client, email)
        assert 'href="/hr/utboks"' not in client.get("/hr").text
        assert client.get("/hr/utboks").status_code == 403
        assert client.get("/hr/utboks/bekreft?handling=retry&id=1").status_code == 403
        posted = client.post("/hr/utboks/bekreft", data={"handling": "retry", "id": "1", "csrf_token": csrf})
        assert posted.status_code == 403


def test_an_old_confirmation_does_nothing_even_when_the_letter_has_died_again(
    console: Console, catcher: MailCatcher
) -> None:
    form = confirm_form(console.client.get(f"/hr/utboks/bekreft?handling=retry&id={console.ids['avvist']}").text)
    assert console.client.post("/hr/utboks/bekreft", data=form).status_code == 303
    catcher.fail_next(550)
    assert deliver_due(console.rt.engine, console.rt.settings.smtp, as_of=console.rt.now()).dead == 1
    assert messages(console.rt)[console.keys["avvist"]].status == OutboxStatus.DEAD  # dead again, as before
    stale = console.client.post("/hr/utboks/bekreft", data=form)  # the back button, and confirm again
    assert stale.status_code == 400 and "Utboksen har endret seg" in stale.text
    with console.rt.session() as session:
        assert len(session.exec(select(Event).where(Event.kind == "email.retried")).all()) == 1
