"""The README's main command, small: a whole year for a tiny municipality leaves every promised output."""

from __future__ import annotations

import json
from email import message_from_bytes, policy
from pathlib import Path

import pytest

from arshjul.demo.run import DemoOptions, run_demo

pytestmark = pytest.mark.e2e


def test_the_demo_runs_a_whole_year_and_leaves_its_outputs(tmp_path: Path) -> None:
    lines: list[str] = []
    out = tmp_path / "demo"
    summary = run_demo(DemoOptions(out=out, units=12, sectors=2, seed=7, progress=lines.append))
    saved = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert saved["units"] == summary["units"] == 12
    answers = saved["answers"]
    assert answers["on_time"] + answers["late"] + answers["never"] == saved["assignments"]
    assert saved["adopted_version"] is not None and (out / "adopted-plan.md").read_text(encoding="utf-8")
    mails = sorted((out / "mail").glob("*.eml"))
    assert len(mails) == saved["emails"]["sent"] > 0
    first = message_from_bytes(mails[0].read_bytes(), policy=policy.default)
    assert "/svar/" in first.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    assert "# Tidslinje for årshjulet 2027" in (out / "timeline.md").read_text(encoding="utf-8")
    assert any("january-evaluation åpnet" in line for line in lines)
