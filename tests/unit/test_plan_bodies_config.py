"""The bodies that handle the plan, in the årshjul file: defaults, and each mistake named with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from config.yaml_lines import ConfigFileError
from domain.aarshjul.bodies import DEFAULT_BODIES, find_body


def _load(tmp_path: Path, old: str, new: str) -> list[str]:
    path = tmp_path / "aarshjul.yaml"
    path.write_text(PACKAGED_AARSHJUL.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(path)
    return caught.value.problems


def _line_of(text: str) -> int:
    lines = PACKAGED_AARSHJUL.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def test_the_packaged_file_names_the_bodies_and_which_adopt() -> None:
    bodies = load_aarshjul(PACKAGED_AARSHJUL).plan_bodies
    assert [b.name for b in bodies if b.adopts] == ["Formannskapet", "Kommunestyret", "Kommunedirektøren"]
    assert [b.name for b in bodies] == [b.name for b in DEFAULT_BODIES]
    mbm = find_body(bodies, "  medbestemmelsesMØTE ")
    assert mbm is not None and mbm.name == "MBM" and not mbm.adopts
    assert find_body(bodies, "Bydelsutvalget") is None


def test_a_file_without_plan_bodies_gets_the_default(tmp_path: Path) -> None:
    text = PACKAGED_AARSHJUL.read_text(encoding="utf-8")
    start, end = text.index("plan_bodies:"), text.index("\nphases:")
    path = tmp_path / "aarshjul.yaml"
    path.write_text(text[:start] + text[end + 1 :], encoding="utf-8")
    assert [b.name for b in load_aarshjul(path).plan_bodies] == [b.name for b in DEFAULT_BODIES]


def test_a_body_named_twice_and_a_list_where_none_adopts_are_named_with_their_line(tmp_path: Path) -> None:
    problems = _load(tmp_path, "{name: Kompetanseforum, adopts: false}", "{name: Lederforum, adopts: false}")
    assert problems == [f"linje {_line_of('plan_bodies:')}, plan_bodies: organet «lederforum» er nevnt mer enn én gang"]
    text = PACKAGED_AARSHJUL.read_text(encoding="utf-8").replace("adopts: true", "adopts: false")
    path = tmp_path / "ingen.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigFileError) as caught:
        load_aarshjul(path)
    assert caught.value.problems == [
        f"linje {_line_of('plan_bodies:')}, plan_bodies: minst ett organ må ha adopts: true (organet som vedtar planen)"
    ]
    problems = _load(tmp_path, "{name: PSU, adopts: false,", "{name: PSU, adopts: kanskje,")
    assert len(problems) == 1 and problems[0].startswith(f"linje {_line_of('{name: PSU')}, plan_bodies[4].adopts:")
