"""Failed sign-ins counted in the database per account and per address, and "glemt passord" (issue 13)."""

from __future__ import annotations

import re
from datetime import timedelta
from ipaddress import ip_network

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import col, select

from domain.clock import ManualClock
from domain.models import Event, OutboxMessage
from tasks.runtime import Runtime
from tests.support.accounts import HR_EMAIL, PASSWORD, csrf_of, make_user, sign_in
from web.app import create_app


def app_client(rt: Runtime, peer: str = "198.51.100.7") -> TestClient:
    """A client whose direct peer address is `peer`; each one is a separate app, as separate web processes are."""
    return TestClient(create_app(rt), follow_redirects=False, client=(peer, 40000))


def attempt(client: TestClient, email: str, password: str, forwarded: str | None = None) -> Response:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    token = csrf_of(client.get("/logg-inn").text)
    return client.post("/logg-inn", data={"csrf_token": token, "epost": email, "passord": password}, headers=headers)


def test_rotating_x_forwarded_for_from_an_untrusted_client_does_not_escape_the_limit(rt: Runtime) -> None:
    make_user(rt)
    limit = rt.settings.auth.failures_per_address
    for n in range(limit):  # a new forged address and a new account name every time
        assert attempt(app_client(rt), f"gjett{n}@testvik.no", "feil", forwarded=f"203.0.113.{n}").status_code == 401
    refused = attempt(app_client(rt), HR_EMAIL, PASSWORD, forwarded="192.0.2.99")
    assert refused.status_code == 429 and "vente 15 min." in refused.text  # even the right password waits
    assert attempt(app_client(rt, peer="198.51.100.8"), HR_EMAIL, PASSWORD).status_code == 303  # another peer


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(rt: Runtime) -> None:
    make_user(rt)
    rt.settings.auth.trusted_proxies = [ip_network("10.0.0.0/8")]
    proxy = "10.0.0.2"
    for n in range(rt.settings.auth.failures_per_address):
        assert (
            attempt(app_client(rt, proxy), f"gjett{n}@testvik.no", "feil", "203.0.113.5, 10.0.0.9").status_code == 401
        )
    assert attempt(app_client(rt, proxy), HR_EMAIL, PASSWORD, "203.0.113.5").status_code == 429
    assert attempt(app_client(rt, proxy), HR_EMAIL, PASSWORD, "203.0.113.6").status_code == 303  # its neighbour
    # from a peer that is not a proxy the header is ignored: its own address is what counts
    assert attempt(app_client(rt, "198.51.100.20"), HR_EMAIL, PASSWORD, "203.0.113.5").status_code == 303


def test_a_locked_account_says_how_long_to_wait_and_tells_hr(rt: Runtime, clock: ManualClock) -> None:
    make_user(rt)
    for n in range(rt.settings.auth.failures_per_account):  # from ever new addresses: the account still counts
        assert attempt(app_client(rt, f"198.51.100.{n + 10}"), HR_EMAIL, "feil").status_code == 401
    locked = attempt(app_client(rt), HR_EMAIL, PASSWORD)
    assert locked.status_code == 429 and "Kontoen er midlertidig låst" in locked.text and "15 min." in locked.text
    clock.advance(timedelta(minutes=10))
    assert "Vent 5 min." in attempt(app_client(rt), HR_EMAIL, PASSWORD).text
    with rt.session() as session:
        events = session.exec(select(Event).where(Event.kind == "user.locked")).all()
    assert len(events) == 1 and events[0].payload["email"] == HR_EMAIL
    clock.advance(timedelta(minutes=5))
    assert attempt(app_client(rt), HR_EMAIL, PASSWORD).status_code == 303


def _reset_links(rt: Runtime) -> list[str]:
    with rt.session() as session:
        bodies = session.exec(
            select(OutboxMessage.body_text)
            .where(OutboxMessage.kind == "password_reset")
            .order_by(col(OutboxMessage.id))
        ).all()
    return [m.group(0) for body in bodies if (m := re.search(r"http\S+/nytt-passord\?kode=\S+", body))]


def _ask_reset(client: TestClient, email: str) -> Response:
    return client.post(
        "/glemt-passord", data={"csrf_token": csrf_of(client.get("/glemt-passord").text), "epost": email}
    )


def _set_new(client: TestClient, link: str, password: str, repeat: str | None = None) -> Response:
    path = link.split("9", 1)[1] if link.startswith("http://127.0.0.1:9") else link
    page = client.get(path)
    if page.status_code != 200:
        return page
    code = path.split("kode=", 1)[1]
    form = {"csrf_token": csrf_of(page.text), "kode": code, "passord": password, "gjenta": repeat or password}
    return client.post("/nytt-passord", data=form)


def test_a_forgotten_password_is_replaced_by_a_one_time_emailed_link(rt: Runtime, clock: ManualClock) -> None:
    make_user(rt)
    client, other = app_client(rt), app_client(rt)
    sign_in(other)
    unknown, known = _ask_reset(client, "ingen@testvik.no"), _ask_reset(client, HR_EMAIL.upper())
    assert unknown.text.count("Hvis adressen har en bruker") == known.text.count("Hvis adressen har en bruker") == 1
    [link] = _reset_links(rt)  # one e-mail, queued in the outbox, for the known address only
    assert _set_new(client, link, "a", "b").status_code == 400
    weak = _set_new(client, link, "hanne12345678")
    assert weak.status_code == 400 and "navnet ditt" in weak.text
    done = _set_new(client, link, "en ny lang setning om fjorden")
    assert done.headers["location"] == "/logg-inn?ok=password_changed"
    assert other.get("/hr").status_code == 303  # the old session ended with the new password
    assert "allerede brukt" in _set_new(client, link, "enda en ny setning om fjellet").text
    sign_in(client, password="en ny lang setning om fjorden")
    _ask_reset(client, HR_EMAIL)
    clock.advance(timedelta(minutes=rt.settings.auth.reset_link_minutes))
    expired = _set_new(client, _reset_links(rt)[-1], "enda en ny setning om fjellet")
    assert expired.status_code == 400 and "utløpt" in expired.text


def test_asking_for_reset_links_is_limited_without_locking_the_account(rt: Runtime) -> None:
    make_user(rt)
    limit = rt.settings.auth.failures_per_account
    for n in range(limit):  # from ever new addresses: the account's count still grows
        assert _ask_reset(app_client(rt, f"198.51.100.{n + 10}"), HR_EMAIL).status_code == 200
    flooded = _ask_reset(app_client(rt), HR_EMAIL)
    assert flooded.status_code == 429 and "vente 15 min." in flooded.text
    assert len(_reset_links(rt)) == limit  # no more mail than the limit
    with rt.session() as session:
        assert session.exec(select(Event).where(Event.kind == "user.locked")).all() == []
    assert attempt(app_client(rt), HR_EMAIL, PASSWORD).status_code == 303  # signing in is not locked by it
