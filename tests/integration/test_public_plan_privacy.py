"""The public plan names no tillitsvalgt by default (union membership is GDPR art. 9 data): comments show the union;
the municipality's setting can name them; HR's pages always do."""

from __future__ import annotations

import io
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from config.settings import PublicPlanSettings, Settings
from tasks.plan.decision import adopt
from tasks.runtime import Runtime
from tests.support.accounts import sign_in_as_hr
from tests.support.plan_year import YEAR, at, consultation, spring_input
from web.app import create_app

NAME, UNION = "Tora Tillitsvalgt", "Fagforbundet"
VEDTAK = {"body": "Kommunestyret", "held_on": "2027-12-09", "kind": "vedtak", "case_number": "45/27"}


@pytest.fixture
def adopted(rt: Runtime) -> Runtime:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)  # Tora (Fagforbundet) comments on version 1; version 2 carries the comments
        adopt(session, rt, year=YEAR, handlings=[VEDTAK], now=at(12, 9), actor="HR", number=2)
    return rt


@pytest.fixture
def client(adopted: Runtime) -> Iterator[TestClient]:
    with TestClient(create_app(adopted), follow_redirects=False) as test_client:
        yield test_client


def _texts(client: TestClient, tmp_path: Path) -> dict[str, str]:
    """The public page and every public download as text."""
    texts = {"page": client.get("/plan/2028").text, "html": client.get("/plan/2028/html").text}
    with zipfile.ZipFile(io.BytesIO(client.get("/plan/2028/docx").content)) as docx:
        texts["docx"] = docx.read("word/document.xml").decode()
    with zipfile.ZipFile(io.BytesIO(client.get("/plan/2028/xlsx").content)) as xlsx:
        texts["xlsx"] = " ".join(xlsx.read(n).decode() for n in xlsx.namelist() if n.endswith(".xml"))
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(client.get("/plan/2028/pdf").content)
    texts["pdf"] = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    return texts


def test_the_public_plan_shows_the_union_and_no_name_by_default(client: TestClient, tmp_path: Path) -> None:
    texts = _texts(client, tmp_path)
    for name, text in texts.items():
        assert "Tora" not in text, name
    for name in ("page", "html", "docx", "pdf"):
        assert f"{UNION}, om versjon 1: Enig" in " ".join(texts[name].split()), name  # the comment, by union


def test_the_setting_names_the_tillitsvalgte_in_public(client: TestClient, adopted: Runtime, tmp_path: Path) -> None:
    adopted.settings = adopted.settings.model_copy(update={"public_plan": PublicPlanSettings(name_tillitsvalgte=True)})
    texts = _texts(client, tmp_path)
    for name in ("page", "html", "docx", "pdf"):
        assert f"{NAME} ({UNION}), om versjon 1: Enig" in " ".join(texts[name].split()), name


def test_hr_pages_always_name_them(client: TestClient, adopted: Runtime) -> None:
    sign_in_as_hr(client, adopted)
    for path in ("/hr/plan/2027/versjon/2", "/hr/plan/2027/versjon/2/eksport/html"):
        assert f"{NAME} ({UNION})" in client.get(path).text, path


def test_the_setting_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().public_plan.name_tillitsvalgte is False
    monkeypatch.setenv("ARSHJUL_PUBLIC_PLAN__NAME_TILLITSVALGTE", "true")
    assert Settings().public_plan.name_tillitsvalgte is True
