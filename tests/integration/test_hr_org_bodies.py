"""The console's organisation page lists each body's members read-only (imported and typed in), and its import
preview shows the members a file «organer» adds, before anything is written."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from tasks.runtime import Runtime
from tests.integration.test_org_import_body_members import MEMBERS, UNITS
from tests.support.accounts import sign_in_as_hr
from tests.support.step_year import use_example
from web.app import create_app


def test_the_organisation_page_lists_the_members_and_the_preview_shows_new_ones(rt: Runtime, tmp_path: Path) -> None:
    use_example(rt, "baerum.yaml")
    client = TestClient(create_app(rt), follow_redirects=False)
    csrf = sign_in_as_hr(client, rt)
    page = client.get("/hr/organisasjon").text
    assert "Kari Kompetanse" in page and "Mona Medlem" not in page  # typed into the file only, so far
    assert "Uten medlemmer: MBM, AMU, Rådmannen." in page
    parts = [("filer", ("enheter.csv", UNITS.encode())), ("filer", ("organer.csv", MEMBERS.encode()))]
    preview = client.post("/hr/organisasjon/forhandsvis", data={"csrf_token": csrf}, files=parts)
    assert preview.status_code == 200, preview.text[:2000]
    assert "Nye medlemmer av organer (3)" in preview.text
    assert "nytt medlem av Kompetanseforum: Mona Medlem (leder)" in preview.text
    assert "Mona Medlem" not in client.get("/hr/organisasjon").text  # the preview wrote nothing
    token = re.search(r'name="token" value="([^"]+)"', preview.text)
    assert token is not None
    applied = client.post("/hr/organisasjon/bruk", data={"csrf_token": csrf, "token": token.group(1)})
    assert applied.status_code == 303
    page = client.get(applied.headers["location"]).text
    rows = re.findall(
        r"<tr><th scope=\"row\">([^<]+)</th><td[^>]*>([^<]+)</td><td>([^<]+)</td>\s*<td>([^<]+)</td>", page
    )
    assert rows == [
        ("Kari Kompetanse", "kari.kompetanse@example.no", "medlem", "årshjulfilen og importen"),
        ("Per Forum", "per.forum@example.no", "medlem", "årshjulfilen"),
        ("Mona Medlem", "mona@testvik.no", "leder", "importen"),
        ("Siri Sjef", "siri@testvik.no", "medlem", "importen"),
    ]
    assert '<h3 id="organ-2">AMU (1 medlem)</h3>' in page
    assert "Uten medlemmer: MBM, Rådmannen." in page
