"""The demo starts from the plans Fjordvik already has: written into the import template, read by the importer."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from arshjul.demo.catalogue import unit_profile
from arshjul.demo.imported_plan import import_current_plans
from arshjul.demo.municipality import write_demo_organisation
from domain.models import Handling, HandlingKind, OrgUnit, PlanStatus
from tasks.org.importer import import_organisation
from tasks.plan.queries import adopted_plan
from tasks.plan.versions import evaluation_items
from tasks.runtime import Runtime


def test_the_plans_for_the_year_before_and_the_first_year_are_imported_and_fit_their_units(
    rt: Runtime, tmp_path: Path
) -> None:
    with rt.session() as session:
        report = import_organisation(session, list(write_demo_organisation(tmp_path / "org", units=30)), at=rt.now())
        assert report.ok, report.problems
    files = import_current_plans(rt, tmp_path / "plans", first_year=2027, seed=5)
    assert [f.name for f in files] == ["kompetanseplan-2026.xlsx", "kompetanseplan-2027.xlsx"]
    with rt.session() as session:
        names = {u.id: u.name for u in session.exec(select(OrgUnit))}
        for plan_year in (2026, 2027):
            version = adopted_plan(session, plan_year)
            assert version is not None and version.status == PlanStatus.ADOPTED
            assert version.cycle_year == plan_year - 1
            kinds = session.exec(select(Handling.kind).where(Handling.plan_version_id == version.id)).all()
            assert kinds == [HandlingKind.IMPORTERT]
            measures = version.content["measures"]
            assert measures and all(m["cost"] >= 0 and m["units"] for m in measures)
            for measure in measures:
                for unit in measure["units"]:
                    profile = unit_profile(names[unit])
                    assert profile is not None
                    assert measure["title"] in {idea.title for idea in profile.measures}, (names[unit], measure)
        # The first January (2027) evaluates the plan for 2026, the second the plan for 2027, unit by unit.
        assert version is not None
        owner = version.content["measures"][0]["units"][0]
        assert {i["title"] for i in evaluation_items(session, owner, 2028)} == {
            m["title"] for m in version.content["measures"] if owner in m["units"]
        }
