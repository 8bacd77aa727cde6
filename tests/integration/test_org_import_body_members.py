"""The optional table «organer»: a body's members imported, replaced as in the file, previewed line for line, every
bad row named with row and column, an unknown body with a suggestion; a notice to the body reaches them by e-mail."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine
from sqlmodel import Session, func, select

from arshjul.cli import main
from config.settings import get_settings
from domain.aarshjul.workdays import OSLO
from domain.models import BodyMembership, Person
from notifications.catcher import MailCatcher
from tasks.cycle.step_actions import run_due_steps
from tasks.org.diff import diff_organisation, fingerprint
from tasks.org.importer import ImportReport, import_organisation, read_organisation
from tasks.org.people import ensure_hr
from tasks.org.roster import roster
from tasks.outbox.delivery import deliver_due
from tasks.runtime import Runtime
from tasks.store.db import make_engine, migrate
from tests.support.org import org_counts
from tests.support.step_year import EXAMPLES, use_example

AT = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)
UNITS = (
    "unit_id,name,parent_id,level,leader_name,leader_email\n"
    "K,Testvik kommune,,kommune,Dina Direktør,dina@testvik.no\n"
    "S1,Helse og omsorg,K,sektor,Siri Sjef,siri@testvik.no\n"
    "V1,Bo og omsorg,S1,virksomhet,Leder En,leder1@testvik.no\n"
)
MEMBERS = (
    "organ;navn;e-post;rolle\n"
    "Kompetanseforum;Mona Medlem;mona@testvik.no;Leder\n"
    "kompetanseforum;Kari K. Kompetanse;Kari.Kompetanse@example.no;\n"
    "Arbeidsmiljøutvalget;Siri Sjef;siri@testvik.no;medlem\n"
)


def files(tmp_path: Path, members: str) -> list[Path]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    units, seats = tmp_path / "enheter.csv", tmp_path / "organer.csv"
    units.write_text(UNITS, encoding="utf-8")
    seats.write_text(members, encoding="utf-8")
    return [units, seats]


def run(rt: Runtime, paths: list[Path]) -> ImportReport:
    with rt.session() as session:
        return import_organisation(session, paths, at=AT, bodies=rt.aarshjul.plan_bodies)


def seats(engine: Engine) -> list[tuple[str, str, str]]:
    with Session(engine) as session:
        rows = session.exec(select(BodyMembership.body, Person.email, BodyMembership.role).join(Person)).all()
    return sorted(rows)


def test_members_are_imported_replaced_as_in_the_file_and_previewed_as_imported(rt: Runtime, tmp_path: Path) -> None:
    use_example(rt, "baerum.yaml")  # Kompetanseforum, MBM, AMU (alias Arbeidsmiljøutvalget), Rådmannen
    report = run(rt, files(tmp_path, MEMBERS))
    assert report.problems == []
    assert "nytt medlem av Kompetanseforum: Mona Medlem (leder)" in report.created
    assert "ny person Mona Medlem <mona@testvik.no>" in report.created
    assert seats(rt.engine) == [
        ("AMU", "siri@testvik.no", "medlem"),
        ("Kompetanseforum", "kari.kompetanse@example.no", "medlem"),
        ("Kompetanseforum", "mona@testvik.no", "leder"),
    ]
    changed = MEMBERS.replace("Kompetanseforum;Mona Medlem;mona@testvik.no;Leder\n", "").replace(";medlem", ";leder")
    paths = files(tmp_path, changed)
    data, problems = read_organisation(paths, rt.aarshjul.plan_bodies)
    assert data is not None, problems
    with rt.session() as session:
        before, preview = fingerprint(session), diff_organisation(session, data)
    assert preview.members_changed == [
        "fjernet Mona Medlem fra Kompetanseforum (leder)",
        "endret rolle for Siri Sjef i AMU: medlem → leder",
    ]
    report = run(rt, paths)
    assert sorted(preview.lines()) == sorted(report.created + report.updated + report.deactivated)
    assert seats(rt.engine) == [
        ("AMU", "siri@testvik.no", "leder"),
        ("Kompetanseforum", "kari.kompetanse@example.no", "medlem"),
    ]
    with rt.session() as session:
        assert fingerprint(session) != before  # a preview made before the change is refused as stale
    assert run(rt, paths[:1]).problems == [] and len(seats(rt.engine)) == 2  # no table «organer»: seats are kept


def test_a_notice_to_a_body_reaches_imported_and_typed_in_members_through_the_outbox(
    rt: Runtime, tmp_path: Path, catcher: MailCatcher
) -> None:
    use_example(rt, "baerum.yaml")  # Kompetanseforum has Kari Kompetanse and Per Forum typed into the file
    assert run(rt, files(tmp_path, MEMBERS)).problems == []
    with rt.session() as session:
        ensure_hr(session, rt.settings)
        forum = roster(session, rt.aarshjul.plan_bodies[0])
        sent = run_due_steps(session, rt, datetime(2027, 3, 2, 10, tzinfo=OSLO))
    assert [(m.name, m.email, m.role, m.typed, m.imported) for m in forum] == [
        ("Kari Kompetanse", "kari.kompetanse@example.no", "medlem", True, True),  # typed in wins on the name
        ("Per Forum", "per.forum@example.no", "medlem", True, False),
        ("Mona Medlem", "mona@testvik.no", "leder", False, True),
    ]
    assert sent == 3  # the forum notice of 1 March, once per e-mail address
    deliver_due(rt.engine, rt.settings.smtp, as_of=datetime(2027, 3, 2, 10, tzinfo=OSLO))
    received = sorted(m["To"].addresses[0].addr_spec for m in catcher.messages())
    assert received == ["kari.kompetanse@example.no", "mona@testvik.no", "per.forum@example.no"]
    mona = next(m for m in catcher.messages() if m["To"].addresses[0].addr_spec == "mona@testvik.no")
    assert "Kompetanseforum om evalueringen 15. mars" in str(mona["Subject"])


def test_bad_rows_are_named_with_row_and_column_an_unknown_body_gets_a_suggestion_and_nothing_is_written(
    rt: Runtime, tmp_path: Path
) -> None:
    use_example(rt, "baerum.yaml")
    bad = (
        "organ;navn;e-post;rolle\n"
        "Kompetanseforumet;Mona Medlem;mona@testvik.no;leder\n"
        "amuu;Siri Sjef;siri@testvik.no;\n"
        "Bystyret;Ola Politiker;ola@testvik.no;\n"
        "MBM;;tom@testvik.no;\n"
        "MBM;Tom Tall;ikke-en-adresse;\n"
        "Medbestemmelsesmøte;Kari Kompetanse;kari@testvik.no;\n"
        "MBM;Kari Kompetanse;kari@testvik.no;sekretær\n"
        f"MBM;Lars Lang;lars@testvik.no;{'x' * 65}\n"
        "AMU;Siri Annen;siri@testvik.no;\n"
    )
    before = org_counts(rt.engine)
    report = run(rt, files(tmp_path, bad))
    assert [str(p) for p in report.problems] == [
        "organer.csv, rad 2, body: «Kompetanseforumet» er ikke et organ i årshjulet (plan_bodies). "
        "Mente du «Kompetanseforum»?",
        "organer.csv, rad 3, body: «amuu» er ikke et organ i årshjulet (plan_bodies). Mente du «AMU»?",
        "organer.csv, rad 4, body: «Bystyret» er ikke et organ i årshjulet (plan_bodies). "
        "Bruk en av: Kompetanseforum, MBM, AMU, Rådmannen.",
        "organer.csv, rad 5, name: mangler verdi",
        "organer.csv, rad 6, email: 'ikke-en-adresse' er ikke en gyldig e-postadresse (en adresse har nøyaktig én @)",
        "organer.csv, rad 8, email: kari@testvik.no er oppført som medlem av MBM før, på rad 7",
        "organer.csv, rad 9, role: teksten er for lang (65 tegn, høyst 64)",
        "organer.csv, rad 10, email: e-postadressen siri@testvik.no er oppgitt med to ulike navn: "
        "'Siri Sjef' (enheter.csv rad 3) og 'Siri Annen'",
    ]
    assert org_counts(rt.engine) == before and seats(rt.engine) == []


def test_an_excel_sheet_named_organer_with_english_headers_is_read(rt: Runtime, tmp_path: Path) -> None:
    book = Workbook()
    units = book.active
    assert units is not None
    units.title = "Enheter"
    for line in UNITS.splitlines():
        units.append(line.split(","))
    members = book.create_sheet("Organer")
    members.append(["Body", "Name", "Email", "Role"])
    members.append(["Kommunestyret", "Ola Politiker", "ola@testvik.no", "Leder"])
    path = tmp_path / "organisasjon.xlsx"
    book.save(path)
    report = run(rt, [path])  # the default bodies: Kommunestyret is one
    assert report.problems == []
    assert seats(rt.engine) == [("Kommunestyret", "ola@testvik.no", "leder")]
    with Session(rt.engine) as session:
        assert session.exec(select(func.count()).select_from(BodyMembership)).one() == 1


def test_the_cli_previews_imports_and_refuses_the_table_under_the_configured_aarshjul(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("ARSHJUL_AARSHJUL_FILE", str(EXAMPLES / "baerum.yaml"))
    engine = make_engine(f"sqlite:///{tmp_path / 'arshjul.db'}")
    migrate(engine)
    paths = [str(p) for p in files(tmp_path / "filer", MEMBERS)]
    get_settings.cache_clear()
    try:
        assert main(["import-org", "--dry-run", *paths]) == 0
        assert seats(engine) == []
        assert main(["import-org", *paths]) == 0
        (tmp_path / "filer" / "organer.csv").write_text("organ;navn;e-post\namuu;Ola;ola@testvik.no\n", "utf-8")
        assert main(["import-org", *paths]) == 2
    finally:
        get_settings.cache_clear()
    out, err = capsys.readouterr()
    assert "Nye medlemmer av organer (3):\n  nytt medlem av Kompetanseforum: Mona Medlem (leder)\n" in out
    assert "organer.csv, rad 2, body: «amuu» er ikke et organ i årshjulet (plan_bodies). Mente du «AMU»?" in err
    assert len(seats(engine)) == 3  # the refused import left the seats as they were
    engine.dispose()
