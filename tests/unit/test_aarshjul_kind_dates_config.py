"""`due_by_kind` and `kinds:` in the årshjul file: Bærum's schools get April by kind; a kind's deadline outside the
step's window is refused with line and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from config.aarshjul import load_aarshjul
from config.yaml_lines import ConfigFileError
from domain.aarshjul.schedule import kind_due_at
from domain.aarshjul.workdays import to_local

EXAMPLES = Path(__file__).resolve().parents[2] / "config" / "examples"
BAERUM = EXAMPLES / "baerum.yaml"
SCHOOLS = "        due_by_kind:\n          skole: siste arbeidsdag i april\n"


def test_baerums_schools_answer_in_april_by_their_kind_and_other_kinds_keep_the_step_deadline() -> None:
    aarshjul = load_aarshjul(BAERUM)
    phase = aarshjul.phase("site-input")
    school = kind_due_at(aarshjul, phase, 2027, "Skole")
    assert school is not None and to_local(school).date().isoformat() == "2027-04-30"
    assert kind_due_at(aarshjul, phase, 2027, "sykehjem") is None
    assert kind_due_at(aarshjul, phase, 2027, None) is None


def test_a_kind_deadline_after_the_step_closes_is_refused_with_line_and_field(tmp_path: Path) -> None:
    text = BAERUM.read_text(encoding="utf-8")
    assert SCHOOLS in text
    path = tmp_path / "baerum.yaml"
    path.write_text(text.replace(SCHOOLS, SCHOOLS.replace("i april", "i august")), encoding="utf-8")
    shutil.copytree(EXAMPLES / "skjema", tmp_path / "skjema")  # the form its education signal attaches
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(path)
    assert len(caught.value.problems) == 1
    problem = caught.value.problems[0]
    assert "steps[0 site-input].due_by_kind.skole" in problem
    window = "må ligge mellom åpning (01.04.2027) og lukking (30.06.2027)"
    assert problem.endswith(f"fristen for skole (31.08.2027) {window}")
