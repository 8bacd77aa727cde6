"""Steps in the årshjul file: the four example files load, and every bad step is named with line, field, suggestion."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from config.yaml_lines import ConfigFileError
from domain.aarshjul.schedule import phase_dates
from domain.aarshjul.step_schedule import StepAction, step_moments
from domain.aarshjul.workdays import to_local

EXAMPLES = Path(__file__).resolve().parents[2] / "config" / "examples"
SORUM = EXAMPLES / "sorum.yaml"


@pytest.mark.parametrize("name", ["baerum.yaml", "sorum.yaml", "asker.yaml", "drammen.yaml"])
def test_each_example_loads_and_its_dates_resolve_for_two_years(name: str) -> None:
    aarshjul = load_aarshjul(EXAMPLES / name)
    for year in (2027, 2028):
        for phase in aarshjul.phases:
            phase_dates(aarshjul, phase, year)
        step_moments(aarshjul, year)


def test_asker_has_no_adoption_and_nothing_compiles() -> None:
    aarshjul = load_aarshjul(EXAMPLES / "asker.yaml")
    assert not any(p.compiles_draft or p.meeting for p in aarshjul.phases)
    assert {p.form for p in aarshjul.phases} == {"evaluation", "input"}


def test_sorum_trail_is_three_meetings_in_the_order_of_2008() -> None:
    aarshjul = load_aarshjul(SORUM)
    meetings = [p.meeting for p in aarshjul.phases if p.meeting is not None]
    assert [(m.body, m.handling, m.sends) for m in meetings] == [
        ("Lederforum", "vedtak", "final_draft"),
        ("AMU", "til etterretning", "final_draft"),
        ("Økonomiutvalget", "orientering", "final_draft"),
    ]
    papers = [m for m in step_moments(aarshjul, 2028) if m.action == StepAction.PAPERS]
    # 13.11.2028 is a Monday: papers due five working days before, the reminder three working days before that
    assert next((m.day.isoformat(), str(m.papers_by), to_local(m.at).date().isoformat()) for m in papers) == (
        "2028-11-13",
        "2028-11-06",
        "2028-11-01",
    )


def test_a_bærum_school_deadline_comes_from_due_by_sector() -> None:
    aarshjul = load_aarshjul(EXAMPLES / "baerum.yaml")
    phase = aarshjul.phase("site-input")
    assert [str(rule) for rule in phase.due_by_sector.values()] == ["siste arbeidsdag i april"]
    assert phase.parent == "sector-input"


def _steps_file(tmp_path: Path, step: str) -> list[str]:
    text = SORUM.read_text(encoding="utf-8")
    start = text.index("      - {key: lederforum")
    path = tmp_path / "aarshjul.yaml"
    path.write_text(text[:start] + step + "\n" + text[start:], encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(path)
    return caught.value.problems


def _line(tmp_path: Path, fragment: str) -> int:
    lines = (tmp_path / "aarshjul.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if fragment in line)


def test_an_unknown_step_kind_is_named_with_line_and_a_suggestion(tmp_path: Path) -> None:
    problems = _steps_file(tmp_path, "      - {key: forum, kind: meting, body: AMU, date: 1. november}")
    assert problems == [
        f"linje {_line(tmp_path, 'kind: meting')}, phases[3 adoption-trail].steps[0 forum]: "
        "ukjent stegtype «meting». Mente du «meeting»?"
    ]


def test_an_unknown_audience_and_body_are_named_each_with_a_suggestion(tmp_path: Path) -> None:
    step = (
        "      - key: info\n        kind: notice\n        date: 1. november\n"
        "        audience: [{who: kommunalsjefr}]\n        title: {nb: Info, nn: Info, en: Info}\n"
        "        text: {nb: Tekst, nn: Tekst, en: Text}\n"
        "      - {key: forum, kind: meeting, body: Lederforom, date: 2. november}"
    )
    problems = _steps_file(tmp_path, step)
    assert len(problems) == 1  # the field-level problem first; the body is checked once the file is valid
    assert problems[0].startswith(f"linje {_line(tmp_path, 'kommunalsjefr')}, phases[3 adoption-trail].steps[0 info]")
    assert problems[0].endswith("ukjent mottakergruppe «kommunalsjefr». Mente du «kommunalsjefer»?")
    problems = _steps_file(tmp_path, step.replace("kommunalsjefr", "kommunalsjefer"))
    assert problems == [
        f"linje {_line(tmp_path, 'Lederforom')}, phases[3 adoption-trail].steps[1 forum].body: «Lederforom» er ikke "
        "et organ under plan_bodies. Mente du «Lederforum»?"
    ]


def test_a_meeting_that_refers_to_a_later_step_is_refused(tmp_path: Path) -> None:
    problems = _steps_file(tmp_path, "      - {key: early, kind: meeting, body: AMU, date: 1. november, after: amu}")
    assert len(problems) == 1
    assert problems[0].startswith(
        f"linje {_line(tmp_path, 'key: early')}, phases[3 adoption-trail].steps[0 early].after:"
    )
    assert "viser til «amu», som ikke er et tidligere steg i filen" in problems[0]


def test_a_meeting_before_the_step_it_handles_is_done_is_refused(tmp_path: Path) -> None:
    step = (
        "      - {key: early, kind: meeting, body: AMU, date: 15. september, sends: final_draft, "
        "after: september-draft}"
    )
    problems = _steps_file(tmp_path, step)
    assert problems == [
        f"linje {_line(tmp_path, 'key: early')}, phases[3 adoption-trail].steps[0 early].after: møtet «early» (15.09.) "
        "viser til «september-draft», som først er ferdig 29.10.; et møte kan bare behandle det som kommer før det"
    ]


def test_a_final_draft_meeting_needs_a_step_that_compiles_before_it(tmp_path: Path) -> None:
    text = SORUM.read_text(encoding="utf-8").replace("    compiles_draft: true\n", "")
    path = tmp_path / "aarshjul.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(path)
    assert len(caught.value.problems) == 3  # each of the three meetings
    assert "ingen oppgave før møtet lager et utkast (compiles_draft: true)" in caught.value.problems[0]


def test_a_phase_with_both_form_and_steps_is_refused(tmp_path: Path) -> None:
    text = SORUM.read_text(encoding="utf-8").replace("    steps:\n", "    form: adoption\n    steps:\n")
    path = tmp_path / "aarshjul.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(path)
    assert caught.value.problems == [
        f"linje {_line(tmp_path, 'key: adoption-trail')}, phases[3 adoption-trail]: "
        "en fase har enten form: (én oppgave) eller steps:, ikke begge"
    ]


def test_drammen_is_the_default_aarshjul() -> None:
    drammen, default = load_aarshjul(EXAMPLES / "drammen.yaml"), load_aarshjul(PACKAGED_AARSHJUL)
    assert drammen.model_dump(exclude={"name"}) == default.model_dump(exclude={"name"})
