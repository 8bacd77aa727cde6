"""Sector and unit-kind names in the årshjul file checked against the organisation (issue 12): `check-config`
names a misspelt one with line, field and suggestion, the import warns when a new organisation leaves a name
matching nothing, and the HR overview shows it in a box while it does."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from arshjul.bootstrap import bootstrap
from arshjul.cli import main
from config.aarshjul import load_aarshjul
from config.settings import Settings, get_settings
from domain.clock import ManualClock
from domain.identity import AccountRole
from tasks.runtime import Runtime
from tasks.store.db import migrate
from tests.support.accounts import make_user, sign_in, sign_in_as_hr
from tests.support.org import import_files
from web.app import create_app

AT = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
BAERUM = Path(__file__).resolve().parents[2] / "config" / "examples" / "baerum.yaml"
ORG = (
    "unit_id,name,parent_id,level,leader_name,leader_email,enhetstype\n"
    "K,Testvik kommune,,kommune,Dina Direktør,dina@testvik.no,\n"
    "S1,Helse og omsorg,K,sektor,Siri Sjef,siri@testvik.no,\n"
    "S2,Oppvekst og utdanning,K,sektor,Otto Sjef,otto@testvik.no,\n"
    "V1,Bakken skole,S2,virksomhet,Leder En,leder1@testvik.no,skole\n"
    "V2,Solsiden sykehjem,S1,virksomhet,Leder To,leder2@testvik.no,sykehjem\n"
)
MISSPELT = "sectors: [Oppvekts og utdanning]"


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def misspelt(folder: Path) -> tuple[Path, int]:
    """Bærum's file with one audience's sector misspelt, and the line it is on."""
    text = BAERUM.read_text(encoding="utf-8").replace("sectors: [Oppvekst og utdanning]", MISSPELT)
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if MISSPELT in row)
    path = write(folder, "aarshjul.yaml", text)
    shutil.copytree(BAERUM.parent / "skjema", folder / "skjema")  # the form its education signal attaches
    return path, line


def line_of_text(path: Path, text: str) -> int:
    return next(n for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in row)


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[pytest.MonkeyPatch]:
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    get_settings.cache_clear()
    yield monkeypatch
    get_settings.cache_clear()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    get_settings.cache_clear()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_config_names_a_misspelt_sector_with_line_field_and_suggestion(
    rt: Runtime, tmp_path: Path, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert import_files(rt.engine, [write(tmp_path / "org", "enheter.csv", ORG)], AT).problems == []
    cli_env.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))  # the rt fixture's migrated SQLite
    path, line = misspelt(tmp_path / "file")
    code, out, err = run(capsys, "check-config", str(path), "--year", "2027")
    assert code == 2 and "alt i orden" not in out
    assert (
        f"  - linje {line}, phases[2 sector-input].steps[1 school-plans-mbm].audience[0].sectors[0]: sektoren "
        "«Oppvekts og utdanning» finnes ikke i organisasjonen. Mente du «Oppvekst og utdanning»?"
    ) in err.splitlines()
    assert err.count("finnes ikke i organisasjonen") == 1  # the other three names (a sector, a kind) match
    code, out, err = run(capsys, "check-config", str(BAERUM), "--year", "2027")
    assert code == 0 and err == ""
    assert "4 sektor- og enhetstypenavn i filen stemmer med organisasjonen." in out


def test_check_config_without_an_organisation_says_the_names_were_not_checked(
    tmp_path: Path, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.setenv("ARSHJUL_DATA_DIR", str(tmp_path / "data"))  # no database at all
    path, _ = misspelt(tmp_path / "file")
    code, out, _ = run(capsys, "check-config", str(path), "--year", "2027")
    not_checked = "4 sektor- og enhetstypenavn i filen er ikke kontrollert: databasen har ingen importert organisasjon."
    assert code == 0 and out.splitlines()[-1] == not_checked
    assert not (tmp_path / "data" / "arshjul.db").exists()  # checking created no database
    migrate(bootstrap(Settings(env="test", data_dir=tmp_path / "data")).engine)  # migrated, but nothing imported
    code, out, _ = run(capsys, "check-config", str(path), "--year", "2027")
    assert code == 0 and out.splitlines()[-1] == not_checked


def test_the_import_warns_when_the_new_organisation_leaves_a_name_matching_nothing(
    rt: Runtime, tmp_path: Path, cli_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    cli_env.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))
    cli_env.setenv("ARSHJUL_AARSHJUL_FILE", str(BAERUM))
    first = write(tmp_path / "org", "enheter.csv", ORG)
    code, out, _ = run(capsys, "import-org", str(first))
    assert code == 0 and "Advarsel" not in out  # every name in Bærum's file matches this organisation
    renamed = write(tmp_path / "org2", "enheter.csv", ORG.replace("Oppvekst og utdanning", "Oppvekst"))
    code, out, _ = run(capsys, "import-org", "--dry-run", str(renamed))
    due_line, audience_line = (
        line_of_text(BAERUM, "Oppvekst og utdanning: siste"),
        line_of_text(BAERUM, "sectors: [Oppv"),
    )
    assert code == 0 and "Advarsel: 2 navn i årshjul-filen treffer ingen sektor eller enhetstype etter importen:" in out
    assert (
        f"  - linje {due_line}, phases[2 sector-input].steps[0 site-input].due_by_sector.Oppvekst og utdanning: "
        "sektoren «Oppvekst og utdanning» finnes ikke i organisasjonen. Bruk en av: Helse og omsorg, Oppvekst."
    ) in out.splitlines()
    assert f"  - linje {audience_line}, phases[2 sector-input].steps[1 school-plans-mbm]" in out
    code, out, _ = run(capsys, "import-org", str(renamed))  # applied: the same warning after the counts
    assert code == 0 and out.splitlines()[-3].startswith("Advarsel: 2 navn")
    no_kinds = ORG.replace(",enhetstype\n", "\n").replace(",skole\n", "\n").replace(",sykehjem\n", "\n")
    code, out, _ = run(capsys, "import-org", "--dry-run", str(write(tmp_path / "org3", "enheter.csv", no_kinds)))
    assert "enhetstypen" not in out  # a file without the kind column keeps the stored kinds: skole still matches


@pytest.fixture
def baerum_rt(settings: Settings, clock: ManualClock, tmp_path: Path) -> Iterator[Runtime]:
    """A runtime on Bærum's file with one sector misspelt, and the organisation imported."""
    path, _ = misspelt(tmp_path / "file")
    runtime = bootstrap(settings.model_copy(update={"aarshjul_file": path}), clock=clock)
    migrate(runtime.engine)
    assert import_files(runtime.engine, [write(tmp_path / "org", "enheter.csv", ORG)], AT).problems == []
    yield runtime
    runtime.engine.dispose()


def test_the_overview_shows_hr_a_warning_box_while_a_name_matches_nothing(baerum_rt: Runtime) -> None:
    app = create_app(baerum_rt)
    hr = TestClient(app, follow_redirects=False)
    sign_in_as_hr(hr, baerum_rt)
    page = hr.get("/hr")
    assert page.status_code == 200
    box = re.search(
        r'<div class="banner error" role="region" aria-labelledby="navn-uten-treff">.*?</div>', page.text, re.S
    )
    assert box is not None
    assert "1 navn i årshjul-filen treffer ingen sektor eller enhetstype</h2>" in box.group(0)
    assert (
        "sektoren «Oppvekts og utdanning» finnes ikke i organisasjonen. Mente du «Oppvekst og utdanning»?"
        in box.group(0)
    )
    make_user(baerum_rt, "otto@testvik.no", AccountRole.KOMMUNALSJEF, "S2", name="Otto Sjef")
    sjef = TestClient(app, follow_redirects=False)
    sign_in(sjef, "otto@testvik.no")
    assert "navn-uten-treff" not in sjef.get("/hr").text  # HR fixes the file; the others only see the year
    baerum_rt.aarshjul = load_aarshjul(BAERUM)  # the name spelt right: the box is gone
    assert "navn-uten-treff" not in hr.get("/hr").text


def test_the_import_preview_in_the_console_shows_the_names_a_renamed_sector_leaves(
    baerum_rt: Runtime, tmp_path: Path
) -> None:
    baerum_rt.aarshjul = load_aarshjul(BAERUM)
    client = TestClient(create_app(baerum_rt), follow_redirects=False)
    csrf = sign_in_as_hr(client, baerum_rt)
    renamed = ORG.replace("Oppvekst og utdanning", "Oppvekst").encode()
    response = client.post(
        "/hr/organisasjon/forhandsvis",
        data={"csrf_token": csrf},
        files=[("filer", ("enheter.csv", renamed, "text/csv"))],
    )
    assert response.status_code == 200
    assert "2 navn i årshjul-filen vil treffe ingen sektor eller enhetstype etter importen</h2>" in response.text
    assert "sektoren «Oppvekst og utdanning» finnes ikke i organisasjonen" in response.text
    assert "endret navn på S2: Oppvekst og utdanning → Oppvekst" in response.text  # the preview itself as before
