"""Single sign-on against a real OpenID Connect provider on 127.0.0.1: code flow, PKCE, the ID token's signature."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from oidc_provider_mock import User
from pydantic import SecretStr
from sqlmodel import select

from config.settings import OidcSettings
from domain.identity import AccountRole, UserAccount
from tasks.runtime import Runtime
from tests.support.accounts import make_user
from tests.support.oidc import RunningProvider, oidc_provider, s256
from tests.support.org import build_small_org
from web.app import create_app

USERS = [
    User(sub="siri", claims={"email": "Siri.Sjef@testvik.no", "name": "Siri Kommunalsjef", "roles": ["sjef-helse"]}),
    User(sub="dina", claims={"email": "dir@testvik.no", "name": "Dina Direktør", "roles": ["alle-ansatte"]}),
    User(sub="ukjent", claims={"email": "ukjent@testvik.no", "name": "Ukjent", "roles": ["alle-ansatte"]}),
    User(sub="leder2", claims={"email": "leder2@testvik.no", "name": "Leder To", "roles": ["alle-ansatte"]}),
]


@pytest.fixture
def provider(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningProvider]:
    monkeypatch.setenv("AUTHLIB_INSECURE_TRANSPORT", "1")  # the test provider speaks plain http on 127.0.0.1
    with rt.session() as session:
        build_small_org(session)
    with oidc_provider(USERS) as running:
        rt.settings.oidc = OidcSettings(
            issuer=running.url, client_id="arshjul", client_secret=SecretStr("hemmelig-klient"),
            role_map={"sjef-helse": "kommunalsjef:S1", "hr-gruppen": "hr"},
        )  # fmt: skip
        yield running


def sign_on(client: TestClient, subject: str) -> httpx.Response:
    """Out to the provider (who is asked to sign `subject` in), and back to the app."""
    start = client.get("/logg-inn/sso?neste=/hr")
    assert start.status_code == 303
    asked = parse_qs(urlsplit(start.headers["location"]).query)
    assert asked["code_challenge_method"] == ["S256"] and len(asked["code_challenge"][0]) == 43
    assert asked["nonce"] and asked["state"] and asked["client_id"] == ["arshjul"]
    consent = httpx.post(start.headers["location"], data={"sub": subject}, follow_redirects=False)
    back = consent.headers["location"]
    assert back.startswith("http://127.0.0.1:9/logg-inn/sso/svar?")
    return client.get(back.removeprefix("http://127.0.0.1:9"))


def test_a_kommunalsjef_signs_in_through_the_provider_with_pkce_and_the_mapped_role(
    rt: Runtime, provider: RunningProvider
) -> None:
    client = TestClient(create_app(rt), follow_redirects=False)
    assert "Logg inn med kommunens konto" in client.get("/logg-inn").text
    done = sign_on(client, "siri")
    assert done.status_code == 303 and done.headers["location"] == "/hr"
    assert provider.pkce.verified == 1 and provider.pkce.refused == 0  # the verifier matched the S256 challenge
    assert "Logget inn som Siri Kommunalsjef" in client.get("/hr").text
    assert client.get("/hr/sektor").headers["location"] == "/hr/plan/2027/prioritering/S1"
    with rt.session() as session:
        account = session.exec(select(UserAccount)).one()
    assert (account.email, account.role, account.sector_id, account.password_hash) == (
        "siri.sjef@testvik.no", AccountRole.KOMMUNALSJEF, "S1", None
    )  # fmt: skip


def test_without_a_mapped_role_the_local_account_decides(rt: Runtime, provider: RunningProvider) -> None:
    make_user(rt, "dir@testvik.no", AccountRole.LESER, name="Dina Direktør")
    client = TestClient(create_app(rt), follow_redirects=False)
    assert sign_on(client, "dina").headers["location"] == "/hr"
    assert 'href="/hr/plan"' in client.get("/hr").text and client.get("/hr/hendelser").status_code == 403
    stranger = TestClient(create_app(rt), follow_redirects=False)
    refused = sign_on(stranger, "ukjent")
    assert refused.status_code == 403 and "Be HR om tilgang" in refused.text
    assert stranger.get("/hr").status_code == 303


def test_an_id_token_with_a_broken_signature_signs_no_one_in(rt: Runtime, provider: RunningProvider) -> None:
    provider.pkce.corrupt_signature = True
    client = TestClient(create_app(rt), follow_redirects=False)
    refused = sign_on(client, "siri")
    assert refused.status_code == 400 and "kunne ikke bekreftes" in refused.text
    assert client.get("/hr").status_code == 303
    with rt.session() as session:
        assert session.exec(select(UserAccount)).all() == []


def test_the_provider_refuses_a_code_without_the_right_verifier(provider: RunningProvider) -> None:
    """The PKCE check in front of the provider is real: a stolen code without its verifier gets no token."""
    authorize = f"{provider.url}/oauth2/authorize?response_type=code&client_id=arshjul&scope=openid&nonce=n"
    redirect = "http://127.0.0.1:9/logg-inn/sso/svar"
    url = f"{authorize}&redirect_uri={redirect}&state=s&code_challenge={s256('rett')}&code_challenge_method=S256"
    code = parse_qs(urlsplit(httpx.post(url, data={"sub": "siri"}).headers["location"]).query)["code"][0]
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect, "client_id": "arshjul",
            "client_secret": "x", "code_verifier": "feil"}  # fmt: skip
    refused = httpx.post(f"{provider.url}/oauth2/token", data=form)
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant" and provider.pkce.refused == 1


def test_a_unit_leader_without_a_role_signs_in_to_their_own_tasks(rt: Runtime, provider: RunningProvider) -> None:
    client = TestClient(create_app(rt), follow_redirects=False)
    done = sign_on(client, "leder2")  # no mapped role, no account: the organisation says they lead unit V2
    assert done.status_code == 303 and done.headers["location"] == "/mine-oppgaver"
    assert "Logget inn som Leder To" in client.get("/mine-oppgaver").text
    assert client.get("/hr").headers["location"] == "/mine-oppgaver"
    assert client.get("/hr/plan").status_code == 403 and client.get("/hr/sektor/S1").status_code == 403
    with rt.session() as session:
        account = session.exec(select(UserAccount).where(UserAccount.email == "leder2@testvik.no")).one()
    assert (account.role, account.sector_id, account.password_hash) == (AccountRole.LEDER, None, None)
