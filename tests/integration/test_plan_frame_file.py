"""HR's frame file is parsed once and kept, yet an edit is seen on the very next read and no caller shares a copy."""

from __future__ import annotations

import pytest

from tasks.plan.sources import PlanError, frame_for
from tasks.runtime import Runtime

FRAME = (
    "anchoring: Forankret i kommuneplanen.\n"
    "ambitions: '{municipality} skal lære.'\n"
    "goals: [Gode tjenester]\n"
    "concept: Kunnskap.\n"
    "focus_areas: [{title: %s}]\n"
    "evaluation_guidelines: [Evaluer i januar.]\n"
)


def test_an_edit_of_the_frame_file_is_seen_at_once_and_a_changed_copy_does_not_leak(rt: Runtime) -> None:
    path = rt.settings.data_dir / "planramme.yaml"
    path.write_text(FRAME % "Heltidskultur", encoding="utf-8")
    first = frame_for(rt)
    assert [area.title for area in first.focus_areas] == ["Heltidskultur"]
    first.focus_areas.clear()  # a caller changing its own copy
    first.goals.append("Lekket mål")
    again = frame_for(rt)
    assert [area.title for area in again.focus_areas] == ["Heltidskultur"] and again.goals == ["Gode tjenester"]
    # Same length, written at once: the cache is keyed by the text, not by the file's time stamp.
    path.write_text(FRAME % "Heltidskultup", encoding="utf-8")
    assert [area.title for area in frame_for(rt).focus_areas] == ["Heltidskultup"]
    path.write_text("anchoring: Bare dette\n", encoding="utf-8")
    with pytest.raises(PlanError, match=r"planramme\.yaml kan ikke leses: feltet"):
        frame_for(rt)
    path.unlink()
    assert frame_for(rt).focus_areas  # the packaged frame again
