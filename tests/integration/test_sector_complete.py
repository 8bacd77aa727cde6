"""The kommunalsjef hears once, when the last unit of their sektor has answered, and not a moment before."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from domain.events import EventKind
from domain.models import (
    Assignment,
    AssignmentState,
    Cycle,
    Event,
    OrgUnit,
    OutboxMessage,
    Person,
    Phase,
    PhaseStatus,
    Role,
    RoleKind,
    UnitLevel,
)
from tasks.cycle.excuse import excuse
from tasks.events.log import record
from tasks.runtime import Runtime

NOW = datetime(2027, 3, 10, 10, 0, tzinfo=ZoneInfo("Europe/Oslo"))
UNITS = {"S1": "S1", "S1V0": "S1", "S1V1": "S1", "S1X": "S1X", "S1XV": "S1X", "S2V0": "S2"}


def _world(session: Session) -> dict[str, int]:
    """Two sektors, one with a sektor nested below it; one spring task per unit (the sektor's own included)."""
    session.add(OrgUnit(id="K", name="Kommunen", level=UnitLevel.KOMMUNE))
    session.add(OrgUnit(id="S1", name="Oppvekst", parent_id="K", level=UnitLevel.SEKTOR))
    session.add(OrgUnit(id="S2", name="Helse", parent_id="K", level=UnitLevel.SEKTOR))
    session.add(OrgUnit(id="S1X", name="Barnehager", parent_id="S1", level=UnitLevel.SEKTOR))
    for unit_id, parent in (("S1V0", "S1"), ("S1V1", "S1"), ("S1XV", "S1X"), ("S2V0", "S2")):
        session.add(OrgUnit(id=unit_id, name=f"Enhet {unit_id}", parent_id=parent, level=UnitLevel.VIRKSOMHET))
    chief = Person(name="Kari Kommunalsjef", email="kari@fjordvik.example")
    leader = Person(name="Leder", email="leder@fjordvik.example")
    session.add_all([chief, leader])
    session.flush()
    assert chief.id is not None and leader.id is not None
    session.add(Role(person_id=chief.id, kind=RoleKind.SECTOR_LEADER, unit_id="S1"))
    cycle = Cycle(year=2027, config_hash="test", created_at=NOW)
    session.add(cycle)
    session.flush()
    assert cycle.id is not None
    phase = Phase(cycle_id=cycle.id, key="spring-input", position=2, opens_at=NOW, due_at=NOW, closes_at=NOW)
    session.add(phase)
    session.flush()
    assert phase.id is not None
    tasks: dict[str, int] = {}
    for unit_id in UNITS:
        task = Assignment(
            phase_id=phase.id,
            unit_id=unit_id,
            owner_id=leader.id,
            assignee_id=leader.id,
            form="spring",
            due_at=NOW,
            created_at=NOW,
        )
        session.add(task)
        session.flush()
        assert task.id is not None
        tasks[unit_id] = task.id
    return tasks


def _answer(session: Session, task_id: int, unit_id: str) -> None:
    task = session.get(Assignment, task_id)
    assert task is not None
    task.state = AssignmentState.ANSWERED
    session.add(task)
    record(
        session,
        EventKind.ANSWER_SUBMITTED,
        at=NOW,
        cycle_year=2027,
        phase_key="spring-input",
        assignment_id=task_id,
        unit_id=unit_id,
    )


def _completed(session: Session) -> list[Event]:
    return list(session.exec(select(Event).where(Event.kind == "sector.completed")).all())


def test_the_last_unit_of_a_sektor_tells_its_kommunalsjef_once(rt: Runtime) -> None:
    with rt.session() as session:
        tasks = _world(session)
    with rt.session() as session:
        _answer(session, tasks["S1V0"], "S1V0")
        _answer(session, tasks["S1XV"], "S1XV")  # the nested sektor's unit counts for S1X, not for S1
        _answer(session, tasks["S2V0"], "S2V0")
        assert [e.unit_id for e in _completed(session)] == ["S2"]  # S2's only task is its unit's, S1 still waits
    with rt.session() as session:
        _answer(session, tasks["S1V1"], "S1V1")
        assert [e.unit_id for e in _completed(session)] == ["S2"]  # the sektor's own task is not answered yet
        task = session.get(Assignment, tasks["S1"])
        assert task is not None
        task.state = AssignmentState.EXCUSED  # excused counts as done
        session.add(task)
        _answer(session, tasks["S1V0"], "S1V0")  # a revision of an answered task: now everything in S1 is done
    with rt.session() as session:
        done = {e.unit_id: e.payload["units"] for e in _completed(session)}
        assert done == {"S2": 1, "S1": 3}  # S1, S1V0, S1V1; the nested S1X and its unit are not S1's
        mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "sector_complete")).all()
        assert [m.to_address for m in mail] == ["kari@fjordvik.example"]  # S2 has no kommunalsjef registered
        _answer(session, tasks["S1V1"], "S1V1")  # another revision later: told once, no second event or email
        session.flush()
        assert session.exec(select(OutboxMessage).where(OutboxMessage.kind == "sector_complete")).all() == mail
        assert sorted(str(e.unit_id) for e in _completed(session)) == ["S1", "S2"]


def test_excusing_the_last_open_task_completes_the_sektor_as_an_answer_would(rt: Runtime) -> None:
    with rt.session() as session:
        tasks = _world(session)
    with rt.session() as session:
        for unit_id in ("S1", "S1V0"):
            _answer(session, tasks[unit_id], unit_id)
        assert _completed(session) == []
    with rt.session() as session:
        phase = session.exec(select(Phase)).one()
        phase.status = PhaseStatus.OPEN
        session.add(phase)
        excuse(session, tasks["S1V1"], reason="Enheten er lagt ned", actor="HR", now=NOW)
    with rt.session() as session:
        assert {e.unit_id: e.payload["units"] for e in _completed(session)} == {"S1": 3}
        mail = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "sector_complete")).all()
        assert [m.to_address for m in mail] == ["kari@fjordvik.example"]
