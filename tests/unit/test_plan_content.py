"""Plan content as typed models: rows written before the models existed load, dump and hash exactly as stored."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from domain.plan.content import PlanContent, plan_content
from domain.plan.text import render_plan

# Three versions (consultation draft, final draft with a tillitsvalgt's comments, HR's draft with a kommunalsjef's
# priorities and a January evaluation) as the untyped code wrote them, content, hash and text.
ROWS: list[dict[str, Any]] = json.loads(
    (Path(__file__).parents[1] / "fixtures" / "plan_versions_before_typing.json").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("row", ROWS, ids=[f"versjon-{r['number']}" for r in ROWS])
def test_a_stored_row_loads_and_dumps_to_the_same_json_hash_and_text(row: dict[str, Any]) -> None:
    content = plan_content(row["content"])
    assert content.stored() == row["content"]
    assert content.content_hash() == row["content_hash"]
    assert render_plan(content) == row["rendered"]


def test_the_rows_hold_every_part_the_models_type() -> None:
    content = plan_content(ROWS[-1]["content"])
    abc = next(m for m in content.measures if m.key == "demens::demensomsorgens abc")
    assert (abc.prioritised_by, abc.sector_priorities, [r.unit for r in abc.requests]) == (
        "kommunalsjef",
        {"Helse og omsorg": 3},
        ["V1", "V2"],
    )
    assert content.evaluation.continue_ == ["ABC"] and content.evaluation.items[0].unit == "Enhet 1"
    on_measure, on_section = content.consultation[0].comments
    assert (on_measure.measure, on_measure.section, on_section.section) == (abc.key, None, "kostnader")
    assert "section" not in content.stored()["consultation"][0]["comments"][0]  # a comment has one place only
    assert content.frame is not None and content.frame.focus_areas[0].title == "Faglig kvalitet"


def test_an_older_row_without_the_later_parts_still_loads() -> None:
    older = {k: v for k, v in ROWS[0]["content"].items() if k not in ("reason", "sectors", "strategy_shares")}
    content = PlanContent.model_validate({**older, "retired_field": 1})
    assert content.reason == "" and content.sectors == [] and len(content.measures) == 3
    assert "retired_field" not in content.stored()
