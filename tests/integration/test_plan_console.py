"""The HR console's plan pages over HTTP: versions, priorities, compile, compare, download, handlings, adoption."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from domain.models import OutboxMessage
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.plan_year import consultation, spring_input
from web.app import create_app

CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')
PLAN_ROUTES = [
    ("get", "/hr/plan"),
    ("get", "/hr/plan/2027/versjon/1"),
    ("get", "/hr/plan/2027/sammenlign?fra=1&til=2"),
    ("get", "/hr/plan/2027/versjon/1/eksport/pdf"),
    ("get", "/hr/plan/2027/prioritering/S1"),
    ("post", "/hr/plan/2027/sammenstill"),
    ("post", "/hr/plan/2027/prioritering/S1"),
    ("post", "/hr/plan/2027/versjon/2/behandling"),
]


@pytest.fixture
def client(rt: Runtime) -> Iterator[TestClient]:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)
    with TestClient(create_app(rt), follow_redirects=False) as test_client:
        yield test_client


def _login(client: TestClient, rt: Runtime) -> str:
    sign_in_as_hr(client, rt)
    token = CSRF.search(client.get("/hr/plan?ar=2027").text)
    assert token
    return token.group(1)


@pytest.mark.parametrize(("method", "path"), PLAN_ROUTES)
def test_every_plan_page_sends_a_stranger_to_the_login(client: TestClient, method: str, path: str) -> None:
    response = getattr(client, method)(path)
    assert response.status_code == 303 and response.headers["location"].startswith("/logg-inn")


def test_hr_records_priorities_compiles_compares_and_downloads(client: TestClient, rt: Runtime) -> None:
    csrf = _login(client, rt)
    listing = client.get("/hr/plan?ar=2027")
    assert "Versjon 1" in listing.text and "Høringsutkast" in listing.text and "Endelig utkast" in listing.text
    form = client.get("/hr/plan/2027/prioritering/S1")
    assert form.status_code == 200 and "Siri Kommunalsjef" in form.text and "Kurs i journalsystem" in form.text
    keys = dict(re.findall(r'name="nokkel-(\d+)" value="([^"]+)"', form.text))
    journal = next(i for i, k in keys.items() if k.startswith("digital"))
    fields = {"csrf_token": csrf, **{f"nokkel-{i}": k for i, k in keys.items()}, f"prioritet-{journal}": "0"}
    assert client.post("/hr/plan/2027/prioritering/S1", data={**fields, "csrf_token": "feil"}).status_code == 400
    saved = client.post("/hr/plan/2027/prioritering/S1", data=fields)
    assert saved.status_code == 303 and saved.headers["location"] == "/hr/plan?ar=2027&ok=prioritised"
    assert client.post("/hr/plan/2027/sammenstill", data={}).status_code == 400
    compiled = client.post("/hr/plan/2027/sammenstill", data={"csrf_token": csrf})
    assert compiled.status_code == 303
    page = client.get(compiled.headers["location"])
    assert "En ny versjon er sammenstilt." in page.text and "Versjon 3" in page.text and ">Utkast<" in page.text
    compared = client.get("/hr/plan/2027/sammenlign?fra=2&til=3")
    assert compared.status_code == 200 and "Fjernede tiltak" in compared.text
    assert "Kurs i journalsystem (Digital kompetanse)" in compared.text and "--- versjon 2" in compared.text
    missing = client.get("/hr/plan/2027/sammenlign?fra=2&til=9")
    assert missing.status_code == 400 and "Kompetanseplan 2028 (laget i 2027) har ingen versjon 9." in missing.text
    pdf = client.get("/hr/plan/2027/versjon/3/eksport/pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    assert 'filename="kompetanseplan-2028-versjon-3.pdf"' in pdf.headers["content-disposition"]
    assert client.get("/hr/plan/2027/versjon/3/eksport/exe").status_code == 404
    assert client.get("/hr/plan/2027/versjon/9").status_code == 404


def test_hr_records_a_handling_then_adopts_and_the_plan_becomes_public(client: TestClient, rt: Runtime) -> None:
    csrf = _login(client, rt)
    assert client.get("/plan/2028").status_code == 404
    handling = {"csrf_token": csrf, "organ": "AMU", "dato": "20.11.2027", "type": "drøfting", "saksnummer": "12/27"}
    bad = client.post("/hr/plan/2027/versjon/2/behandling", data={**handling, "dato": "31.04.2027"})
    assert bad.status_code == 400 and "Behandlingen mangler eller har ugyldig dato." in bad.text
    recorded = client.post("/hr/plan/2027/versjon/2/behandling", data=handling)
    assert recorded.headers["location"] == "/hr/plan/2027/versjon/2?ok=handled"
    page = client.get(recorded.headers["location"])
    assert "Behandlingen er registrert." in page.text and "<td>AMU</td>" in page.text and "12/27" in page.text
    vedtak = {**handling, "organ": "Kommunestyret", "dato": "2027-12-09", "type": "vedtak", "vedta": "ja"}
    adopted = client.post("/hr/plan/2027/versjon/2/behandling", data=vedtak)
    assert adopted.headers["location"] == "/hr/plan/2027/versjon/2?ok=adopted"
    assert "Versjonen er vedtatt og låst" in client.get(adopted.headers["location"]).text
    with rt.session() as session:
        mails = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "plan_adopted")).all()
    assert len(mails) == 4
    public = client.get("/plan/2028")
    assert public.status_code == 200 and "Demensomsorgens ABC" in public.text and "Kommunestyret" in public.text
    docx = client.get("/plan/2028/docx")
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    older = client.post("/hr/plan/2027/versjon/1/behandling", data=vedtak)
    assert older.status_code == 400 and "den nyere versjon 2 av Kompetanseplan 2028 er vedtatt" in older.text


def test_hr_answers_a_comment_on_the_final_draft_and_only_an_adopting_vedtak_locks_it(
    client: TestClient, rt: Runtime
) -> None:
    csrf = _login(client, rt)
    page = client.get("/hr/plan/2027/versjon/2")
    assert (
        "<title>Versjon 2 – Kompetanseplan 2028" in page.text
        and "Kompetanseplan 2028, laget i årshjulet 2027" in page.text
    )
    assert "Om tiltaket Demensomsorgens ABC</strong>: Tora Tillitsvalgt (Fagforbundet): Enig – Viktig" in page.text
    answer = {"csrf_token": csrf, "svar": "partly", "begrunnelse": "Mer til fagbrev neste år"}
    saved = client.post("/hr/plan/2027/versjon/2/merknad/0.1", data=answer)
    assert saved.status_code == 303 and saved.headers["location"] == "/hr/plan/2027/versjon/2?ok=answered"
    assert "HR: Delvis tatt til følge – Mer til fagbrev neste år" in client.get(saved.headers["location"]).text
    html = client.get("/hr/plan/2027/versjon/2/eksport/html").content.decode("utf-8")
    kostnader = html.split("Kostnader og finansiering")[-1]
    assert "Uenig – For lite til fagbrev. HR: Delvis tatt til følge – Mer til fagbrev neste år" in kostnader
    missing = client.post("/hr/plan/2027/versjon/2/merknad/7.7", data=answer)
    assert missing.status_code == 400 and "Versjon 2 har ingen merknad «7.7»" in missing.text
    lederforum = {"csrf_token": csrf, "organ": "Lederforum", "dato": "2027-11-13", "type": "vedtak", "vedta": "ja"}
    refused = client.post("/hr/plan/2027/versjon/2/behandling", data=lederforum)
    assert refused.status_code == 400 and "Planen er ikke vedtatt: bare et vedtak i Formannskapet" in refused.text
    vedtak = {**lederforum, "organ": "Kommunestyret", "dato": "2027-12-09"}
    assert client.post("/hr/plan/2027/versjon/2/behandling", data=vedtak).headers["location"].endswith("ok=adopted")
    locked = client.get("/hr/plan/2027/versjon/2")
    assert "Lagre svaret" not in locked.text and "HR: Delvis tatt til følge" in locked.text
    late = client.post("/hr/plan/2027/versjon/2/merknad/0.1", data=answer)
    assert late.status_code == 400 and "svarene på merknadene kan ikke endres lenger" in late.text
