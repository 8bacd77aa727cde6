from pathlib import Path

import pytest

from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from config.yaml_lines import ConfigFileError


def test_the_packaged_aarshjul_has_the_four_phases_the_client_named() -> None:
    aarshjul = load_aarshjul(PACKAGED_AARSHJUL)
    assert [p.key for p in aarshjul.phases] == [
        "january-evaluation",
        "spring-input",
        "september-draft",
        "december-adoption",
    ]
    assert aarshjul.phase("september-draft").compiles_draft


def _broken(tmp_path: Path, old: str, new: str) -> list[str]:
    path = tmp_path / "aarshjul.yaml"
    path.write_text(PACKAGED_AARSHJUL.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(path)
    assert caught.value.path == path
    return caught.value.problems


def _line_of(text: str) -> int:
    lines = PACKAGED_AARSHJUL.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_an_impossible_date_names_its_line_and_field(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "due: last working day before 1 May", "due: 31. april")
    assert problems == [
        f"linje {_line_of('due: last working day before 1 May')}, "
        f"phases[1 spring-input].due: {problems[0].split(': ', 1)[1]}"
    ]
    assert "31. april finnes ikke" in problems[0]


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    path = tmp_path / "aarshjul.yaml"
    text = PACKAGED_AARSHJUL.read_text(encoding="utf-8")
    text = text.replace("form: evaluation", "form: survey").replace("reminders: [14, 3, 0]", "reminders: [14, 14]")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(path)
    problems = caught.value.problems
    assert len(problems) == 2
    assert problems[0].startswith(f"linje {_line_of('form: evaluation')}, phases[0 january-evaluation].form:")
    assert "samme påminnelse er oppgitt to ganger" in problems[1]


def test_an_unknown_field_and_a_missing_field_are_named(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "    overdue_notice: true\n", "    overdue_notis: true\n")
    assert problems == [
        f"linje {_line_of('overdue_notice: true')}, phases[0 january-evaluation].overdue_notis: ukjent felt"
    ]
    problems = _broken(tmp_path, "    form: input\n", "")
    assert problems[0].endswith("phases[1 spring-input].form: feltet mangler")


def test_broken_yaml_gives_the_line(tmp_path: Path) -> None:
    problems = _broken(tmp_path, "name: Kompetanseårshjul", "name: [Kompetanseårshjul")
    assert problems[0].startswith("linje ")
    assert "ugyldig YAML" in problems[0]
