"""The demo's `organer.csv` names only bodies of the årshjul in use, and the importer takes it as written."""

from __future__ import annotations

from pathlib import Path

import pytest

from arshjul.demo.bodies import write_demo_bodies
from arshjul.demo.municipality import write_demo_organisation
from config.aarshjul import load_aarshjul
from config.settings import PACKAGED_AARSHJUL
from tasks.org.importer import read_organisation

EXAMPLES = Path(__file__).resolve().parents[2] / "config" / "examples"


@pytest.mark.parametrize("aarshjul", [PACKAGED_AARSHJUL, *sorted(EXAMPLES.glob("*.yaml"))], ids=lambda p: p.stem)
def test_the_demo_members_import_under_every_example_aarshjul(tmp_path: Path, aarshjul: Path) -> None:
    bodies = load_aarshjul(aarshjul).plan_bodies
    units, reps = write_demo_organisation(tmp_path, units=12)
    data, problems = read_organisation([units, reps, write_demo_bodies(tmp_path, units, reps, bodies)], bodies)
    assert problems == [] and data is not None and data.members
    assert {m.body for m in data.members} <= {b.name for b in bodies}
    leaders = {m.body: m.name for m in data.members if m.role == "leder"}
    assert set(leaders) == {m.body for m in data.members}  # every body written has its leader
