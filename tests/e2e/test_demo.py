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


def test_three_demo_years_close_the_loop_january_evaluates_the_plan_adopted_two_years_before(tmp_path: Path) -> None:
    summary = run_demo(DemoOptions(out=tmp_path / "demo", units=6, sectors=2, seed=11, years=3, progress=print))
    years = summary["years"]
    assert isinstance(years, list)
    assert [y["cycle_year"] for y in years] == [2027, 2028, 2029]
    first, second, third = years
    # The first two Januaries evaluate the plans Fjordvik had before (imported); the third the first year's own.
    assert (first["evaluated_plan_made_in"], first["evaluated_plan_imported"]) == (2025, True)
    assert (second["evaluated_plan_made_in"], second["evaluated_plan_imported"]) == (2026, True)
    assert third["evaluated_plan_year"] == first["adopted_plan_year"] == 2028
    assert (third["evaluated_plan_made_in"], third["evaluated_plan_imported"]) == (2027, False)
    for year in years:
        assert year["evaluated_plan_year"] == year["cycle_year"] - 1
        assert year["adopted_plan_year"] == year["cycle_year"] + 1
        assert year["evaluation_items_match_adopted_measures"] is True
        assert 0 < year["evaluation_items_answered"] <= year["evaluation_items"]
        assert year["plan_versions"] == ["consultation", "adopted"]
        assert year["plan_versions_created_as"] == ["consultation", "final_draft"]  # the final draft was adopted
        assert year["adopted_versions"] == 1 and year["handlings"] == 4
    saved = json.loads((tmp_path / "demo" / "summary.json").read_text(encoding="utf-8"))
    assert saved["years"] == years
    assert (tmp_path / "demo" / "plans" / "kompetanseplan-2030-plan-v2-adopted.md").is_file()
