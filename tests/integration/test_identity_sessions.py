"""Console accounts and sessions: the CLI, fresh ids at sign-in, and every way a session ends (issue 13)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from arshjul.cli import main
from config.settings import get_settings
from domain.clock import ManualClock
from domain.identity import UserAccount, UserSession
from domain.models import Event
from tasks.identity.accounts import disable_account, set_password
from tasks.runtime import Runtime
from tests.support.accounts import HR_EMAIL, PASSWORD, make_user, sign_in
from web.app import create_app

COOKIE = "arshjul_okt"


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    make_user(rt)
    with TestClient(create_app(rt), follow_redirects=False) as test_client:
        yield test_client


def signed_in(client: TestClient) -> bool:
    return client.get("/hr").status_code == 200


def test_each_sign_in_gets_a_fresh_random_id_and_only_its_hash_is_stored(rt: Runtime, client: TestClient) -> None:
    sign_in(client)
    first = client.cookies[COOKIE]
    sign_in(client)  # the same browser again, in the same second
    second = client.cookies[COOKIE]
    assert first != second and len(second) >= 40
    client.cookies.set(COOKIE, first)
    assert not signed_in(client)  # the id the browser had before signing in again was ended (no fixation)
    with rt.session() as session:
        stored = session.exec(select(UserSession.token_hash)).all()
    assert len(stored) == 1 and second not in stored[0]


def test_signing_out_ends_every_session_of_the_person(rt: Runtime, client: TestClient) -> None:
    other = TestClient(create_app(rt), follow_redirects=False)
    sign_in(other)
    csrf = sign_in(client)
    assert signed_in(other)
    assert client.post("/logg-ut", data={"csrf_token": csrf}).headers["location"] == "/logg-inn?ok=signed_out"
    assert not signed_in(client) and not signed_in(other)


@pytest.mark.parametrize("change", ["disable", "password"])
def test_disabling_or_a_new_password_ends_every_session_at_once(rt: Runtime, client: TestClient, change: str) -> None:
    sign_in(client)
    assert signed_in(client)
    with rt.session() as session:
        if change == "disable":
            disable_account(session, HR_EMAIL, now=rt.now())
        else:
            set_password(session, HR_EMAIL, "et helt nytt langt passord", now=rt.now())
    assert client.get("/hr").headers["location"] == "/logg-inn?neste=/hr"
    token = client.get("/logg-inn").text.split('name="csrf_token" value="')[1].split('"')[0]
    again = client.post("/logg-inn", data={"csrf_token": token, "epost": HR_EMAIL, "passord": PASSWORD})
    assert again.status_code == 401  # a disabled account, or the old password, signs no one in


def test_idle_timeout_and_absolute_lifetime_follow_the_settings(
    rt: Runtime, client: TestClient, clock: ManualClock
) -> None:
    rt.settings.auth.session_idle_minutes, rt.settings.auth.session_max_hours = 30, 2
    sign_in(client)
    clock.advance(timedelta(minutes=29))
    assert signed_in(client)
    clock.advance(timedelta(minutes=31))
    assert not signed_in(client)  # idle too long
    sign_in(client)
    for _ in range(4):  # kept busy for 1 h 56 min: still signed in
        clock.advance(timedelta(minutes=29))
        assert signed_in(client)
    clock.advance(timedelta(minutes=5))
    assert not signed_in(client)  # busy, but past the absolute lifetime of 2 h
    with rt.session() as session:
        assert session.exec(select(UserSession)).all() == []


def test_the_cookie_is_httponly_and_secure_when_the_base_url_is_https(rt: Runtime, client: TestClient) -> None:
    token = client.get("/logg-inn").text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {"csrf_token": token, "epost": HR_EMAIL, "passord": PASSWORD}
    plain = client.post("/logg-inn", data=form).headers["set-cookie"].lower()
    assert "httponly" in plain and "samesite=lax" in plain and "secure" not in plain
    rt.settings.base_url = "https://arshjul.testvik.no"
    secure = client.post("/logg-inn", data=form).headers["set-cookie"].lower()
    assert "; secure" in secure


@pytest.fixture
def cli(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.mark.usefixtures("cli")
def test_the_users_command_adds_lists_sets_passwords_and_disables(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["users", "add", "Kari.Hr@Testvik.no", "--name", "Kari Hr", "--role", "hr"]) == 0
    assert main(["users", "add", "sjef@testvik.no", "--name", "Sjef", "--role", "kommunalsjef"]) == 2
    assert "må ha en sektor" in capsys.readouterr().err
    assert main(["users", "add", "les@testvik.no", "--name", "Les", "--role", "leser", "--sector", "S1"]) == 2
    assert "Bare en kommunalsjef har en sektor" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("sommer2027\n"))
    assert main(["users", "password", "kari.hr@testvik.no"]) == 2
    assert "for kort" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("karihr-er-best-i-hele-verden\n"))
    assert main(["users", "password", "kari.hr@testvik.no"]) == 2
    assert "inneholder navnet ditt" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("fire blå hester på taket\n"))
    assert main(["users", "password", "kari.hr@testvik.no"]) == 0
    assert main(["users", "list"]) == 0
    listed = capsys.readouterr().out
    assert "kari.hr@testvik.no\tKari Hr\tHR\taktiv" in listed
    client = TestClient(create_app(rt), follow_redirects=False)
    sign_in(client, "kari.hr@testvik.no", "fire blå hester på taket")
    assert main(["users", "disable", "kari.hr@testvik.no"]) == 0
    assert not signed_in(client)
    assert main(["users", "disable", "ingen@testvik.no"]) == 2
    with rt.session() as session:
        account = session.exec(select(UserAccount)).one()
        assert account.disabled and account.password_hash and account.password_hash.startswith("$argon2id$")
        kinds = [e.kind for e in session.exec(select(Event).order_by(Event.id))]  # type: ignore[arg-type]
    assert kinds == ["user.added", "user.password_changed", "user.disabled"]
