"""What the weekly digests report: every unit leader's task in the open phases that ask unit leaders."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from domain.aarshjul.model import Audience
from domain.models import Assignment, AssignmentState, OrgUnit, Person, Phase, PhaseStatus, Role, RoleKind
from tasks.org.people import sector_of
from tasks.runtime import Runtime


@dataclass(frozen=True)
class DigestRow:
    sector_id: str | None
    sector_name: str
    unit_name: str
    leader_name: str
    phase_key: str
    state: AssignmentState
    deadline: datetime

    @property
    def answered(self) -> bool:
        return self.state == AssignmentState.ANSWERED


def unit_phase_keys(rt: Runtime, session: Session | None = None) -> list[str]:
    """The keys of the phases that ask unit leaders; with a session, the open occurrences of repeating ones too."""
    keys = [p.key for p in rt.aarshjul.phases if any(entry.who == Audience.UNIT_LEADERS for entry in p.audience)]
    if session is None:
        return keys
    open_keys = session.exec(select(Phase.key).where(Phase.status == PhaseStatus.OPEN)).all()
    occurrences = [key for key in open_keys if key not in keys and _asks_unit_leaders(rt, key)]
    return keys + occurrences


def _asks_unit_leaders(rt: Runtime, key: str) -> bool:
    try:
        config = rt.aarshjul.phase(key)
    except KeyError:  # a phase since removed from the file
        return False
    return config.series is not None and any(entry.who == Audience.UNIT_LEADERS for entry in config.audience)


def unit_assignment_rows(session: Session, rt: Runtime, *, opened_before: datetime) -> list[DigestRow]:
    """Unit leaders' tasks (not excused) in open unit phases opened before the moment, by sector and unit."""
    leading = set(session.exec(select(Role.person_id, Role.unit_id).where(Role.kind == RoleKind.UNIT_LEADER)).all())
    # Columns, not entities: at 5 000 units this runs over ten thousand rows every week.
    found = session.execute(
        sa_select(
            col(Assignment.owner_id),
            col(Assignment.state),
            col(Assignment.due_at),
            col(Phase.key),
            col(OrgUnit.id),
            col(OrgUnit.name),
            col(Person.name),
        )
        .join(Phase, col(Phase.id) == col(Assignment.phase_id))
        .join(OrgUnit, col(OrgUnit.id) == col(Assignment.unit_id))
        .join(Person, col(Person.id) == col(Assignment.assignee_id))
        .where(col(Phase.status) == PhaseStatus.OPEN, col(Phase.key).in_(unit_phase_keys(rt, session)))
        .where(col(Phase.opened_at) < opened_before, col(Assignment.state) != AssignmentState.EXCUSED)
    ).all()
    sectors: dict[str, OrgUnit | None] = {}
    rows = []
    for owner_id, state, due_at, phase_key, unit_id, unit_name, assignee_name in found:
        if (owner_id, unit_id) not in leading:
            continue  # a tillitsvalgt's or sector leader's task, not a unit's
        sector = sectors[unit_id] if unit_id in sectors else sectors.setdefault(unit_id, sector_of(session, unit_id))
        rows.append(
            DigestRow(
                sector_id=sector.id if sector else None,
                sector_name=sector.name if sector else rt.settings.municipality,
                unit_name=unit_name,
                leader_name=assignee_name,
                phase_key=phase_key,
                state=state,
                deadline=due_at,
            )
        )
    return sorted(rows, key=lambda r: (r.sector_name, r.unit_name, r.deadline, r.phase_key))


def row_context(rt: Runtime, row: DigestRow, language: str) -> dict[str, Any]:
    return {
        "sector_name": row.sector_name,
        "unit_name": row.unit_name,
        "leader_name": row.leader_name,
        "task_title": rt.aarshjul.phase(row.phase_key).title.get(language),
        "state": row.state.value,
        "deadline": row.deadline,
    }


def sector_totals(rows: Sequence[DigestRow]) -> list[dict[str, Any]]:
    """Answered and total per sector, in the rows' (sector name) order."""
    totals: dict[str, list[int]] = {}
    for row in rows:
        counts = totals.setdefault(row.sector_name, [0, 0])
        counts[0] += row.answered
        counts[1] += 1
    return [{"name": name, "answered": answered, "total": total} for name, (answered, total) in totals.items()]
