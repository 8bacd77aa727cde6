"""Migration 0009 on a database written before it: a plan period whose draft is the newest version's frame text, and
the versions themselves untouched (they keep showing the frame text they were made with)."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from domain.plan.frame import plan_frame
from tasks.store.db import make_engine
from tests.support.migrations import move_to

FRAME = plan_frame(None, "Testvik kommune").model_copy(update={"concept": "Kompetanse slik Testvik ser det."})
ROW = (
    "INSERT INTO plan_version (id, cycle_id, cycle_year, plan_year, number, parent_id, status, title, content, "
    "rendered, content_hash, created_by, created_at) VALUES ({id}, 1, 2027, 2028, {id}, NULL, 'CONSULTATION', "
    "'Kompetanseplan 2028', :content, 'r', 'h{id}', 'HR', '2027-10-0{id} 10:00:00.000000')"
)


def test_an_existing_database_gets_a_period_from_its_newest_frame(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    move_to(url, "0006")
    engine = make_engine(url)
    older = {"frame": {**FRAME.model_dump(mode="json"), "concept": "Den gamle teksten."}}
    newer = {"frame": FRAME.model_dump(mode="json")}
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO cycle (id, year, status, config_hash, created_at) VALUES (1, 2027, 'ACTIVE', 'x', "
                 "'2027-01-01 08:00:00.000000')")
        )  # fmt: skip
        for number, content in ((1, older), (2, newer)):
            connection.execute(text(ROW.format(id=number)), {"content": json.dumps(content)})
    engine.dispose()
    move_to(url, "head")
    engine = make_engine(url)
    with engine.begin() as connection:
        periods = connection.execute(text("SELECT first_year, last_year, created_by FROM plan_period")).all()
        texts: dict[str, str] = dict(
            connection.execute(text("SELECT key, markdown FROM plan_text ORDER BY position")).all()
        )
        versions = connection.execute(text("SELECT content, content_hash FROM plan_version ORDER BY id")).all()
    assert [tuple(p) for p in periods] == [(2028, 2031, "oppgradering 0009")]
    assert texts["kompetansebegrep"] == "Kompetanse slik Testvik ser det."
    assert texts["forankring"].startswith("Planen oppfyller kravet i Hovedtariffavtalen")
    assert "Testvik kommune skal ha medarbeidere" in texts["forankring"]
    assert texts["innsatsomrade-digital-kompetanse"] == "Alle kan bruke verktøyene tjenestene bygger på."
    assert texts["forord"] == "" and texts["laeringsarenaer"].startswith("Kompetanse utvikles")
    assert [json.loads(c) for c, _ in versions] == [older, newer] and [h for _, h in versions] == ["h1", "h2"]
    engine.dispose()
    move_to(url, "0006", down=True)  # and back: the new tables go
    engine = make_engine(url)
    with engine.begin() as connection:
        tables = {r[0] for r in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    assert "plan_period" not in tables and "plan_text" not in tables and "plan_version" in tables


def test_a_database_without_versions_gets_no_period(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    move_to(url, "head")
    engine = make_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM plan_period")).scalar_one() == 0
