"""A version row written before plan content was typed loads, exports and compares; new rows hash as before."""

from __future__ import annotations

import hashlib
import json
from io import BytesIO
from pathlib import Path

from openpyxl import load_workbook
from sqlmodel import select

from domain.models import Cycle, PlanStatus, PlanVersion
from domain.plan.content import plan_content
from domain.plan.diff import diff_plans, summary_lines
from tasks.plan.documents.export import FORMATS, export_version, file_name
from tasks.plan.versions import adopt, compile_version, evaluation_items, version_of
from tasks.runtime import Runtime
from tests.support.plan_year import YEAR, at, spring_input

VEDTAK = {"body": "Kommunestyret", "held_on": "2027-12-09", "kind": "vedtak", "case_number": "2027/512"}
FIXTURE = Path(__file__).parents[1] / "fixtures" / "plan_versions_before_typing.json"


def test_an_untyped_row_loads_exports_and_compares_with_a_new_version(rt: Runtime) -> None:
    old = json.loads(FIXTURE.read_text(encoding="utf-8"))[-1]
    with rt.session() as session:
        spring_input(session, rt)
        cycle = session.exec(select(Cycle).where(Cycle.year == YEAR)).one()
        session.add(
            PlanVersion(
                cycle_id=cycle.id or 0,
                cycle_year=YEAR,
                plan_year=YEAR + 1,
                number=1,
                status=PlanStatus.DRAFT,
                title=old["content"]["title"],
                content=old["content"],
                rendered=old["rendered"],
                content_hash=old["content_hash"],
                created_by="HR",
                created_at=at(11, 3),
            )
        )
    with rt.session() as session:
        stored = version_of(session, YEAR, 1)
        files = {fmt: export_version(session, stored, fmt) for fmt in FORMATS}
        assert file_name(session, stored, "docx") == "kompetanseplan-2028-versjon-1.docx"
        new = compile_version(session, rt, year=YEAR, now=at(11, 4), reason="ny", status=PlanStatus.DRAFT)
        canonical = json.dumps(new.content, sort_keys=True, ensure_ascii=False)
        assert new.content_hash == hashlib.sha256(canonical.encode()).hexdigest()
        assert plan_content(new.content).stored() == new.content
        lines = summary_lines(diff_plans(plan_content(stored.content), plan_content(new.content)))
    assert "Tora Tillitsvalgt (Fagforbundet), om versjon 1: Enig" in files["html"].decode("utf-8")
    rows = list(load_workbook(BytesIO(files["xlsx"]))["Tiltak"].iter_rows(values_only=True))
    assert (rows[1][3], rows[1][8], rows[1][10]) == ("Kurs i journalsystem", 20_000, 2)
    assert files["pdf"].startswith(b"%PDF") and files["docx"].startswith(b"PK")
    assert "Endret tiltak: Demensomsorgens ABC: Prioritet «3» → «1»" in lines  # the new one has no kommunalsjef's say
    with rt.session() as session:  # the plan for 2028 is carried out in 2028, evaluated January 2029
        adopt(session, rt, year=YEAR, handlings=[VEDTAK], now=at(12, 10), actor="HR", number=1)
        assert evaluation_items(session, "V1", YEAR + 1) == []
        items = evaluation_items(session, "V1", YEAR + 2)
        assert [i["title"] for i in items] == ["Kurs i journalsystem", "Demensomsorgens ABC"]
        assert all("cost" not in i for i in items)  # the actual cost is the leader's to write, never the budget
