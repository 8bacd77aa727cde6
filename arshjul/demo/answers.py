"""What each simulated person writes in the form in front of them, by form: the demo's content for one task."""

from __future__ import annotations

import random
import re
from datetime import datetime

from sqlmodel import Session, select

from arshjul.demo import plan_handling
from arshjul.demo.catalogue import unit_profile
from arshjul.demo.evaluation import Planned, evaluation_form
from arshjul.demo.meetings import meeting_form
from arshjul.demo.unit_input import input_form, representative_input
from domain.aarshjul.workdays import to_local
from domain.models import Assignment, OrgUnit, Phase, Role, RoleKind
from domain.plan.comment_diff import comment_rows
from domain.plan.content import plan_content
from tasks.plan.comment_answers import answer_comment
from tasks.plan.queries import adopted_plan, latest_version, versions_of
from tasks.runtime import Runtime

ITEM = re.compile(r"^items-(\d+)-measure_key$")
HR_ACTOR = "Hanne Strand (HR)"


def fields_for(rt: Runtime, rng: random.Random, assignment_id: int, year: int, page: dict[str, str]) -> dict[str, str]:
    """The fields this task's person posts, given what the page shows them."""
    with rt.session() as session:
        assignment = session.get(Assignment, assignment_id)
        assert assignment is not None
        unit = session.get(OrgUnit, assignment.unit_id) if assignment.unit_id else None
        if assignment.form == "input":
            profile = unit_profile(unit.name) if unit else None
            if profile is None:  # a tillitsvalgt for a sector or the whole municipality
                return representative_input(rng, unit.name if unit else "kommunen", year + 1)
            return input_form(rng, profile, year + 1)
        if assignment.form == "evaluation":
            return evaluation_form(rng, shown_items(page), planned_by_unit(session, assignment.unit_id, year))
        if assignment.form == "consultation":
            version = latest_version(session, year)
            measures = list(version.content.get("measures", [])) if version else []
            return plan_handling.consultation_form(rng, measures, _union(session, assignment))
        phase = session.get(Phase, assignment.phase_id)
        meeting = rt.aarshjul.phase(phase.key).meeting if phase else None
        if meeting is not None:  # a meeting step: HR records that meeting's handling as the årshjul describes it
            return meeting_form(rt.aarshjul, meeting, year, 100 + assignment_id)
        made = [to_local(v.created_at).date() for v in versions_of(session, year)]
        today = to_local(rt.now()).date()
        handled = plan_handling.meetings(rng, year, made, today, rt.aarshjul.calendar(year), rt.aarshjul.plan_bodies)
        return plan_handling.adoption_form(handled)


def shown_items(page: dict[str, str]) -> list[dict[str, str]]:
    """The evaluation items the page lists (last year's measures of the unit), in page order."""
    rows = sorted(int(m.group(1)) for name in page if (m := ITEM.match(name)))
    return [
        {
            "measure_key": page[f"items-{i}-measure_key"],
            "title": page.get(f"items-{i}-title", ""),
            "planned_participants": page.get(f"items-{i}-planned_participants", ""),
        }
        for i in rows
        if page[f"items-{i}-measure_key"]
    ]


def planned_by_unit(session: Session, unit_id: str | None, year: int) -> dict[str, Planned]:
    """What the unit planned in the plan it evaluates (the plan for year − 1): its cost share and participants."""
    version = adopted_plan(session, year - 1)
    if version is None or unit_id is None:
        return {}
    return _planned(version.content_hash, version.content).get(unit_id, {})


# Every unit's evaluation reads the same adopted plan; reading its content once per plan (by the hash that seals it)
# rather than once per unit keeps the simulated leaders out of the benchmarked year's time.
_PLANNED: dict[str, dict[str, dict[str, Planned]]] = {}


def _planned(content_hash: str, content: dict[str, object]) -> dict[str, dict[str, Planned]]:
    if content_hash not in _PLANNED:
        by_unit: dict[str, dict[str, Planned]] = {}
        for measure in plan_content(content).measures:
            for unit in {r.unit for r in measure.requests}:
                mine = [r for r in measure.requests if r.unit == unit]
                by_unit.setdefault(unit, {})[measure.key] = Planned(
                    sum(r.cost for r in mine), sum(r.participants for r in mine)
                )
        _PLANNED.clear()  # one plan is evaluated at a time
        _PLANNED[content_hash] = by_unit
    return _PLANNED[content_hash]


def _union(session: Session, assignment: Assignment) -> str:
    mine = (Role.person_id == assignment.owner_id, Role.unit_id == assignment.unit_id)
    role = session.exec(select(Role).where(Role.kind == RoleKind.TILLITSVALGT, *mine)).first()
    return role.union or "" if role else ""


def answer_comments(rt: Runtime, year: int, now: datetime) -> int:
    """HR answers every tillitsvalgt comment in the final draft before the plan is handled; returns how many."""
    with rt.session() as session:
        version = latest_version(session, year)
        if version is None:
            return 0
        content = plan_content(version.content)
        positions = {
            f"{e}.{c}": comment.position
            for e, entry in enumerate(content.consultation)
            for c, comment in enumerate(entry.comments)
        }
        for key, _place, _said in comment_rows(content):
            verdict, reason = plan_handling.comment_answer(positions.get(key, "kommentar"))
            answer_comment(session, version, key, verdict, reason, now=now, actor=HR_ACTOR)
        return len(positions)
