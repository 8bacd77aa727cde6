"""Console accounts for tests: made through the service, signed in through the real /logg-inn form."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from domain.identity import AccountRole
from tasks.identity.accounts import add_account, set_password
from tasks.runtime import Runtime

PASSWORD = "riktig hest batteri stift"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
HR_EMAIL = "hanne.hr@testvik.no"


def make_user(
    rt: Runtime,
    email: str = HR_EMAIL,
    role: AccountRole = AccountRole.HR,
    sector: str | None = None,
    name: str = "Hanne Personal",
    password: str = PASSWORD,
) -> None:
    with rt.session() as session:
        add_account(session, email=email, name=name, role=role, sector_id=sector, now=rt.now())
        set_password(session, email, password, now=rt.now())


def csrf_of(text: str) -> str:
    match = CSRF.search(text)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: TestClient, email: str = HR_EMAIL, password: str = PASSWORD, neste: str = "/hr") -> str:
    """Sign in through the form; returns the session's CSRF token, read from the console's own page."""
    token = csrf_of(client.get("/logg-inn").text)
    response = client.post(
        "/logg-inn",
        data={"csrf_token": token, "epost": email, "passord": password, "neste": neste},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text[:500]
    return csrf_of(client.get(response.headers["location"], follow_redirects=False).text)


def sign_in_as_hr(client: TestClient, rt: Runtime) -> str:
    make_user(rt)
    return sign_in(client)
