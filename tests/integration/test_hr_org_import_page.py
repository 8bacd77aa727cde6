"""Organisation import in the HR console: upload, a preview that writes nothing, apply once, and every refusal."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import select

from arshjul.demo.municipality import write_demo_organisation
from domain.clock import ManualClock
from domain.identity import AccountRole
from domain.models import Event, OrgUnit
from tasks.org.staging import FOLDER, MAX_FILE_BYTES
from tasks.runtime import Runtime
from tests.support.accounts import make_user, sign_in, sign_in_as_hr
from tests.support.org import build_small_org, import_files, org_counts
from web.app import create_app

UNIT_HEADER = "unit_id,name,parent_id,level,leader_name,leader_email,employees\n"


@dataclass
class Console:
    rt: Runtime
    client: TestClient
    csrf: str
    demo: list[Path]


@pytest.fixture
def console(rt: Runtime, tmp_path: Path) -> Iterator[Console]:
    client = TestClient(create_app(rt), follow_redirects=False)
    csrf = sign_in_as_hr(client, rt)
    yield Console(rt, client, csrf, list(write_demo_organisation(tmp_path / "demo")))


def upload(console: Console, files: list[tuple[str, bytes]]) -> tuple[int, str]:
    parts = [("filer", (name, content, "application/octet-stream")) for name, content in files]
    response = console.client.post("/hr/organisasjon/forhandsvis", data={"csrf_token": console.csrf}, files=parts)
    return response.status_code, response.text


def token_of(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, "no preview token on the page"
    return match.group(1)


def staged(rt: Runtime) -> list[Path]:
    root = rt.settings.data_dir / FOLDER
    return sorted(root.iterdir()) if root.is_dir() else []


def demo_files(console: Console) -> list[tuple[str, bytes]]:
    return [(path.name, path.read_bytes()) for path in console.demo]


def test_upload_preview_apply_once(console: Console) -> None:
    assert "Importer organisasjonen" in console.client.get("/hr/organisasjon").text
    status, page = upload(console, demo_files(console))
    assert status == 200 and "Forhåndsvisning av import" in page and "Ingenting er lagret ennå" in page
    assert 'Nye enheter</a></th><td class="num">157' in page and "ny enhet 0000 Fjordvik kommune" in page
    assert org_counts(console.rt.engine)[:3] == (0, 0, 0)  # the preview wrote nothing
    form = {"csrf_token": console.csrf, "token": token_of(page)}
    applied = console.client.post("/hr/organisasjon/bruk", data=form)
    assert applied.status_code == 303
    assert applied.headers["location"] == "/hr/organisasjon?ok=importert&nye=342&endret=0&deaktivert=0"
    assert "Organisasjonen er oppdatert" in console.client.get(applied.headers["location"]).text
    after = org_counts(console.rt.engine)
    assert after[0] == 157 and staged(console.rt) == []
    with console.rt.session() as session:
        event = session.exec(select(Event).where(Event.kind == "org.imported")).one()
    assert event.actor.startswith("Hanne Personal <hanne.hr@testvik.no> (HR")
    again = console.client.post("/hr/organisasjon/bruk", data=form)  # confirming twice does nothing twice
    assert again.status_code == 400 and "Forhåndsvisningen finnes ikke lenger" in again.text
    assert org_counts(console.rt.engine) == after
    status, page = upload(console, demo_files(console))
    assert "Ingenting vil endre seg" in page and 'name="token"' not in page


def test_every_problem_is_listed_with_file_row_and_field_as_the_cli_says_it(console: Console) -> None:
    bad = (
        UNIT_HEADER
        + "1,Testvik kommune,,kommune,Kari Nordmann,kari@testvik.no,5\n"
        + "12,Lia skole,13,virksomhet,Anne Lie,anne@testvik.no,40\n"
        + "13,Lia barnehage,12,virksomhet,Ola Berg,ola(at)testvik.no,20\n"
    )
    status, page = upload(console, [("enheter.csv", bad.encode())])
    assert status == 400 and "Importen ble avvist – ingenting er lagret" in page
    assert "enheter.csv, rad 3, parent_id: enhetene danner en sirkel: 12 → 13 → 12" in page
    assert "enheter.csv, rad 4, leader_email: &#39;ola(at)testvik.no&#39; er ikke en gyldig e-postadresse" in page
    assert org_counts(console.rt.engine)[:3] == (0, 0, 0) and staged(console.rt) == []


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([], "Velg en fil å importere"),
        ([("", b"")], "Velg en fil å importere"),
        ([("plan.pdf", b"%PDF-1.4 ...")], "ukjent filtype &#39;.pdf&#39;; bruk CSV (.csv) eller Excel (.xlsx)"),
        ([("enheter.xls", b"\xd0\xcf\x11\xe0")], "det gamle Excel-formatet (.xls) støttes ikke"),
        ([("enheter.xlsx", b"PK\x03\x04 not a workbook")], "enheter.xlsx"),
        (
            [("enheter.csv", (UNIT_HEADER + "1,Kirkeh\x9bgda,,kommune,Kari,kari@testvik.no,5\n").encode("latin-1"))],
            "DOS nordisk (cp865)",
        ),
        ([("enheter.csv", b"x" * (MAX_FILE_BYTES + 1))], "Filen enheter.csv er for stor (5,0 MB); høyst 5 MB per fil"),
        ([(f"{n}.csv", n.encode()) for n in "abcde"], "Velg høyst 4 filer"),
    ],
    ids=["no-file", "empty-part", "wrong-type", "xls", "broken-xlsx", "cp865", "too-large", "five-files"],
)
def test_bad_uploads_get_a_400_page_with_a_norwegian_sentence(
    console: Console, files: list[tuple[str, bytes]], message: str
) -> None:
    status, page = upload(console, files)
    assert status == 400 and message in page, page[:2000]
    assert 'lang="nb"' in page and "Traceback" not in page
    assert org_counts(console.rt.engine)[:3] == (0, 0, 0) and staged(console.rt) == []


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(console: Console) -> None:
    status, page = upload(console, [("enheter.csv", b"x" * (24 * 1024 * 1024))])
    assert status == 413 and "Filen er for stor" in page and "høyst 5 MB per fil" in page


def test_a_stale_unknown_or_someone_elses_token_is_refused_and_nothing_is_written(
    console: Console, clock: ManualClock
) -> None:
    _, page = upload(console, demo_files(console))
    token = token_of(page)
    for made_up in ("", "../../etc", "A" * 32, token[:-1] + ("B" if token[-1] != "B" else "C")):
        refused = console.client.post("/hr/organisasjon/bruk", data={"csrf_token": console.csrf, "token": made_up})
        assert refused.status_code == 400 and "Forhåndsvisningen finnes ikke lenger" in refused.text
    make_user(console.rt, "hans@testvik.no", AccountRole.HR, name="Hans Annen")
    other = TestClient(create_app(console.rt), follow_redirects=False)
    theirs = other.post("/hr/organisasjon/bruk", data={"csrf_token": sign_in(other, "hans@testvik.no"), "token": token})
    assert theirs.status_code == 400 and "annen bruker" in theirs.text
    clock.advance(timedelta(hours=2, minutes=1))
    csrf = sign_in(console.client)  # the console session itself ends after an hour without use
    late = console.client.post("/hr/organisasjon/bruk", data={"csrf_token": csrf, "token": token})
    assert late.status_code == 400 and "eldre enn to timer" in late.text
    assert org_counts(console.rt.engine)[0] == 0


def test_applying_is_refused_when_the_organisation_changed_since_the_preview(console: Console) -> None:
    _, page = upload(console, demo_files(console))
    import_files(console.rt.engine, console.demo[:1], console.rt.now())  # someone imports meanwhile (CLI)
    before = org_counts(console.rt.engine)
    refused = console.client.post("/hr/organisasjon/bruk", data={"csrf_token": console.csrf, "token": token_of(page)})
    assert refused.status_code == 400 and "Organisasjonen er endret siden forhåndsvisningen" in refused.text
    assert org_counts(console.rt.engine) == before and staged(console.rt) == []
    with console.rt.session() as session:
        assert session.exec(select(Event).where(Event.kind == "org.imported")).one().actor == "import"
        assert session.get(OrgUnit, "0000") is not None


def test_without_csrf_nothing_is_staged(console: Console) -> None:
    parts = [("filer", (p.name, p.read_bytes(), "text/csv")) for p in console.demo]
    response = console.client.post("/hr/organisasjon/forhandsvis", files=parts)
    assert response.status_code == 400 and staged(console.rt) == []


def test_a_kommunalsjef_and_a_leser_are_refused(rt: Runtime, tmp_path: Path) -> None:
    with rt.session() as session:
        build_small_org(session)
    make_user(rt, "siri@testvik.no", AccountRole.KOMMUNALSJEF, "S1", name="Siri")
    make_user(rt, "dir@testvik.no", AccountRole.LESER, name="Dina")
    units, _ = write_demo_organisation(tmp_path / "demo")
    for email in ("siri@testvik.no", "dir@testvik.no"):
        client = TestClient(create_app(rt), follow_redirects=False)
        csrf = sign_in(client, email)
        assert 'href="/hr/organisasjon"' not in client.get("/hr").text
        assert client.get("/hr/organisasjon").status_code == 403
        files = [("filer", (units.name, units.read_bytes(), "text/csv"))]
        assert client.post("/hr/organisasjon/forhandsvis", data={"csrf_token": csrf}, files=files).status_code == 403
        assert client.post("/hr/organisasjon/bruk", data={"csrf_token": csrf, "token": "A" * 32}).status_code == 403
    assert staged(rt) == []


def test_a_large_first_import_is_counted_in_full_and_listed_up_to_500_lines_per_group(
    console: Console, tmp_path: Path
) -> None:
    units, reps = write_demo_organisation(tmp_path / "stor", units=600, sectors=8)
    status, page = upload(console, [(units.name, units.read_bytes()), (reps.name, reps.read_bytes())])
    assert status == 200 and 'Nye enheter</a></th><td class="num">609' in page
    assert "… og 109 til." in page and page.count("<li>ny enhet ") == 500
