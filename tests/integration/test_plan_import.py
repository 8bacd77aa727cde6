"""`arshjul plan import`: the current plan becomes the adopted plan for its year, or nothing is written at all."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import func, select

from arshjul.cli import main
from config.settings import get_settings
from domain.models import Event, Handling, HandlingKind, OutboxMessage, PlanStatus, PlanVersion
from domain.plan.content import plan_content
from tasks.org.people import ensure_hr
from tasks.plan.versions import adopted_plan, evaluation_items
from tasks.runtime import Runtime
from tests.support.org import build_small_org
from tests.support.plan_import import CURRENT_PLAN, HEADER, write_plan


@pytest.fixture
def cli(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))
    get_settings.cache_clear()
    yield rt
    get_settings.cache_clear()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["plan", "import", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_good_file_becomes_the_adopted_plan_that_next_january_evaluates(
    cli: Runtime, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _run(capsys, str(write_plan(tmp_path / "plan.xlsx", CURRENT_PLAN)), "--plan-year", "2027")
    assert (code, err) == (0, "")
    assert "Kompetanseplan 2027 er lest inn fra plan.xlsx og registrert som vedtatt (versjon 1" in out
    assert "2 tiltak, 72 000 kr. Januar 2028 evaluerer disse tiltakene." in out
    with cli.session() as session:
        version = adopted_plan(session, 2027)
        assert version is not None and (version.plan_year, version.cycle_year, version.cycle_id) == (2027, 2026, None)
        assert version.title.startswith("Kompetanseplan 2027 for ")
        (handling,) = session.exec(select(Handling)).all()
        assert handling.kind == HandlingKind.IMPORTERT
        assert [i["title"] for i in evaluation_items(session, "V2", 2028)] == [
            "Demensomsorgens ABC",
            "Legemiddelhåndtering e-læring",
        ]
        assert all("cost" not in i for i in evaluation_items(session, "V2", 2028))  # the leader writes the cost
        shares = {(m.title, r.unit): r.cost for m in plan_content(version.content).measures for r in m.requests}
        assert shares[("Demensomsorgens ABC", "V2")] == 30_000
        assert shares[("Legemiddelhåndtering e-læring", "V2")] == 12_000
        assert [i["title"] for i in evaluation_items(session, "V1", 2028)] == ["Demensomsorgens ABC"]
        assert evaluation_items(session, "V3", 2028) == []
        assert evaluation_items(session, "V2", 2027) == [] and evaluation_items(session, "V2", 2029) == []
        assert session.exec(select(func.count()).select_from(OutboxMessage)).one() == 0  # importing mails nobody
    code, _, err = _run(capsys, str(tmp_path / "plan.xlsx"), "--plan-year", "2027")
    assert code == 1 and err == (
        "Feil: Kompetanseplan 2027 er allerede vedtatt (versjon 1); en vedtatt plan erstattes bare av en ny "
        "versjon med eget vedtak.\n"
    )


def test_a_bad_file_names_every_error_with_row_and_column_and_writes_nothing(
    cli: Runtime, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows: list[list[object]] = [
        CURRENT_PLAN[0],
        ["", "Kurs uten mål", "", "", "", "", "ti tusen", "V1"],
        ["Mål", "Tiltak for ukjent enhet", "", "", "", "", 5000, "V1; X9"],
        ["Trygg demensomsorg", "demensomsorgens  abc", "", "", "", "", 100, "V3", "demens"],
        ["Mål", "Uten eier", "", "", "", "", "", ""],
    ]
    code, out, err = _run(capsys, str(write_plan(tmp_path / "feil.xlsx", rows)), "--plan-year", "2027")
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "feil.xlsx, rad 3, Mål: mangler verdi",
        "feil.xlsx, rad 3, Kostnad: «ti tusen» er ikke et beløp i hele kroner (f.eks. 50000)",
        "feil.xlsx, rad 4, Enheter: enheten «X9» finnes ikke i organisasjonen (importer organisasjonen først)",
        "feil.xlsx, rad 5, Tiltak: tiltaket «demensomsorgens  abc» står allerede på rad 2",
        "feil.xlsx, rad 6, Kostnad: mangler verdi: skriv 0 om tiltaket ikke koster noe",
        "feil.xlsx, rad 6, Enheter: mangler verdi: oppgi ID-ene til enhetene som eier tiltaket",
        "Feil: Planen ble ikke importert; 6 feil, ingenting er lagret.",
    ]
    missing = tmp_path / "kolonner.csv"
    missing.write_text("Tiltak,Kostnad\nKurs,100\n", encoding="utf-8")
    code, _, err = _run(capsys, str(missing), "--plan-year", "2027")
    assert code == 1 and "kolonner.csv, rad 1, Mål: kolonnen mangler i overskriftsraden" in err
    assert "kolonner.csv, rad 1, Enheter: kolonnen mangler i overskriftsraden" in err
    with cli.session() as session:
        for table in (PlanVersion, Handling, Event):
            assert session.exec(select(func.count()).select_from(table)).one() == 0, table


def test_a_csv_file_with_norwegian_headers_and_the_template_round_trip(
    cli: Runtime, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = _run(capsys, "--template", str(tmp_path / "mal.xlsx"))
    assert code == 0 and "Skrev malen til" in out
    header = next(load_workbook(tmp_path / "mal.xlsx")["Tiltak"].iter_rows(values_only=True))
    assert list(header) == HEADER
    lines = [";".join(HEADER), "Bedre språk;Språkløyper;Barnehageansatte;Nettressurs;Høst;Styrer;15 000;V3;Språk"]
    (tmp_path / "plan.csv").write_text("\n".join(lines) + "\n", encoding="cp1252")
    code, out, err = _run(capsys, str(tmp_path / "plan.csv"), "--plan-year", "2027")
    assert (code, err) == (0, "") and "1 tiltak, 15 000 kr" in out
    with cli.session() as session:
        version = adopted_plan(session, 2027)
        assert version is not None and version.status == PlanStatus.ADOPTED
        assert [i["title"] for i in evaluation_items(session, "V3", 2028)] == ["Språkløyper"]
        assert [r.cost for m in plan_content(version.content).measures for r in m.requests] == [15_000]
