"""`arshjul plan …` against a real database: list, show, prioritise, compile, diff, export, adopt, and its errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook

from arshjul.cli import main
from config.settings import get_settings
from tasks.runtime import Runtime
from tests.support.plan_year import consultation, spring_input


@pytest.fixture
def cli(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)
    monkeypatch.setenv("ARSHJUL_ENV", "test")
    monkeypatch.setenv("ARSHJUL_DATA_DIR", str(rt.settings.data_dir))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["plan", *argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("cli")
def test_list_show_and_diff_read_the_versions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "list")
    assert code == 0 and "Kompetanseplan 2028 – laget i årshjulet 2027:" in out
    assert "versjon 1   Høringsutkast" in out and "versjon 2   Endelig utkast" in out and "115 000 kr" in out
    code, out, _ = _run(capsys, "show", "--year", "2027", "--version", "2")
    assert code == 0 and out.startswith("# Kompetanseplan 2028 for Testvik kommune")
    assert "Versjon 2 (endelig utkast), bygger på versjon 1." in out and "| Demensomsorgens ABC |" in out
    assert "## Behandlinger" in out and "Ingen behandlinger er registrert" in out
    code, out, _ = _run(capsys, "diff", "--year", "2027", "1", "2", "--text")
    assert code == 0 and "Ingen forskjeller" not in out  # the final draft differs by the tillitsvalgte's comments
    assert "Ny merknad om tiltaket Demensomsorgens ABC: Tora Tillitsvalgt (Fagforbundet): Enig – Viktig" in out
    assert "Ny merknad om kapittelet kostnader: Tora Tillitsvalgt (Fagforbundet): Uenig – For lite til fagbrev." in out
    assert "+## Drøfting med tillitsvalgte" in out


@pytest.mark.usefixtures("cli")
def test_hr_answers_each_comment_of_the_final_draft_and_the_diff_shows_it(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "answer", "--year", "2027", "--version", "2")
    assert code == 0 and "0.1  om kapittelet kostnader: Tora Tillitsvalgt (Fagforbundet): Uenig" in out
    assert out.count("HR: ikke besvart") == 2
    argv = ["answer", "--year", "2027", "--version", "2", "--comment", "0.1", "--verdict", "delvis"]
    code, _, err = _run(capsys, *argv)
    assert code == 1 and err == "Feil: Skriv en begrunnelse for svaret på merknaden.\n"
    code, out, _ = _run(capsys, *argv, "--reason", "Fagbrev får 50 000 kr mer")
    assert code == 0 and out == "Svaret på merknad 0.1 i versjon 2 er lagret.\n"
    code, _, err = _run(capsys, "answer", "--year", "2027", "--version", "2", "--comment", "3.0", "--verdict", "ja")
    assert code == 1 and "Versjon 2 har ingen merknad «3.0» (merknadene er: 0.0, 0.1)." in err
    code, out, _ = _run(capsys, "diff", "--year", "2027", "1", "2")
    assert (
        "HR-svar på merknaden om kapittelet kostnader (Tora Tillitsvalgt (Fagforbundet): Uenig – For lite til "
        "fagbrev.): Delvis tatt til følge – Fagbrev får 50 000 kr mer" in out
    )


@pytest.mark.usefixtures("cli")
def test_a_kommunalsjef_priority_and_a_compile_make_a_version_that_diff_shows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    journal = "digital kompetanse::kurs i journalsystem"
    code, out, _ = _run(capsys, "prioriter", "--year", "2027", "--sector", "S1")
    assert code == 0 and "(kommunalsjef: Siri Kommunalsjef)" in out and journal in out
    code, out, _ = _run(capsys, "prioriter", "--year", "2027", "--sector", "S1", f"{journal}=0")
    assert code == 0 and "Lagret prioriteringen av 1 tiltak" in out
    code, out, _ = _run(capsys, "compile", "--year", "2027")
    assert code == 0 and out == "Laget versjon 3 av Kompetanseplan 2028: 2 tiltak, 95 000 kr.\n"
    code, out, _ = _run(capsys, "diff", "--year", "2027", "2", "3")
    assert "Fjernet tiltak: Kurs i journalsystem (Digital kompetanse)" in out
    assert "Kostnad samlet: 115 000 kr → 95 000 kr" in out


@pytest.mark.usefixtures("cli")
def test_export_writes_the_file_and_adopt_locks_the_version(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "tiltak.xlsx"
    code, out, _ = _run(capsys, "export", "--year", "2027", "--format", "xlsx", "--out", str(out_file))
    assert code == 0 and out == f"Skrev versjon 2 av Kompetanseplan 2028 som XLSX til {out_file}.\n"
    assert load_workbook(out_file)["Tiltak"].max_row == 4
    code, _, _ = _run(capsys, "export", "--year", "2027", "--format", "xlsx", "--out", str(out_file), "--sector", "S2")
    titles = [row[3] for row in load_workbook(out_file)["Tiltak"].iter_rows(min_row=2, values_only=True)]
    assert code == 0 and titles == ["Språkløyper"]  # Oppvekst's own part
    code, _, err = _run(capsys, "export", "--year", "2027", "--format", "pdf", "--out", str(out_file), "--sector", "V1")
    assert code == 1 and err == "Feil: Fant ingen sektor med id «V1» i organisasjonen.\n"
    argv = ["adopt", "--year", "2027", "--body", "Kommunestyret", "--date", "09.12.2027", "--case-number", "2027/512"]
    code, out, _ = _run(capsys, *argv)
    assert code == 0 and out == (
        "Versjon 2 av Kompetanseplan 2028 er vedtatt og låst (Kommunestyret 09.12.2027, sak 2027/512). "
        "Planen sendes til 4 enhetsledere.\n"
    )
    code, out, _ = _run(capsys, *argv)  # a second handling on the adopted version sends nothing again
    assert code == 0 and out.endswith("Planen var allerede sendt til enhetslederne.\n")
    code, out, _ = _run(capsys, "list", "--year", "2027")
    assert "versjon 2   Vedtatt" in out and "2 behandlinger" in out


@pytest.mark.usefixtures("cli")
def test_a_drofting_is_recorded_but_only_a_vedtak_by_an_adopting_body_adopts(
    capsys: pytest.CaptureFixture[str],
) -> None:
    mbm = ["--year", "2027", "--body", "Medbestemmelsesmøte", "--date", "15.11.2027", "--kind", "drøfting"]
    code, out, _ = _run(capsys, "handling", *mbm)
    assert code == 0 and out == (
        "Drøfting i Medbestemmelsesmøte 15.11.2027 er registrert på versjon 2 av Kompetanseplan 2028; "
        "planen er ikke vedtatt av dette.\n"
    )
    code, _, err = _run(capsys, "adopt", "--year", "2027", "--body", "AMU", "--date", "20.11.2027")
    assert code == 1 and err.startswith("Feil: Planen er ikke vedtatt: bare et vedtak i Formannskapet, Kommunestyret")
    code, _, err = _run(capsys, "handling", "--year", "2027", "--body", "AMU", "--date", "20.09.2027", "--version", "2")
    assert code == 1 and "Versjon 2 ble laget 29.10.2027, etter møtet i AMU 20.09.2027" in err
    code, out, _ = _run(capsys, "list", "--year", "2027")
    assert "versjon 2   Endelig utkast" in out and "1 behandlinger" in out


@pytest.mark.usefixtures("cli")
def test_problems_are_norwegian_sentences_not_tracebacks(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = _run(capsys, "show", "--year", "2027", "--version", "9")
    assert code == 1 and err == "Feil: Kompetanseplan 2028 (laget i 2027) har ingen versjon 9.\n"
    code, _, err = _run(capsys, "list", "--year", "2030")
    assert code == 0
    code, _, err = _run(capsys, "export", "--year", "2027", "--format", "pdf", "--out", str(tmp_path / "nei" / "x.pdf"))
    assert code == 1 and err.startswith("Feil: Kunne ikke skrive")
    code, _, err = _run(capsys, "compile", "--year", "2031")
    assert code == 1 and "Årshjulet for 2031 er ikke startet" in err
    code, _, err = _run(capsys, "prioriter", "--year", "2027", "--sector", "S1", "tull")
    assert code == 1 and "skal ha formen NØKKEL=PRIORITET" in err
    with pytest.raises(SystemExit):
        main(["plan", "adopt", "--year", "2027", "--body", "AMU", "--date", "31.04.2027"])
    assert "«31.04.2027» er ikke en gyldig dato" in capsys.readouterr().err
