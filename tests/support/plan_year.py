"""A plan year without Prefect: two sectors answer spring input, the September draft is consulted, then closed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from domain.aarshjul.workdays import OSLO
from domain.models import Assignment, OrgUnit, Person, Phase, Role, RoleKind, UnitLevel
from tasks.answers.submission import load_context, save_answer
from tasks.cycle.phases import close_phase, ensure_cycle, open_phase, phases_of
from tasks.org.people import ensure_hr
from tasks.runtime import Runtime
from tests.support.org import build_small_org

YEAR = 2027


def at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(YEAR, month, day, hour, 0, tzinfo=OSLO)


def measure(area: str, title: str, cost: int, **extra: Any) -> dict[str, Any]:
    return {"area": area, "goal": f"Bedre {area.lower()}", "title": title, "cost": cost, **extra}


def need(area: str, criticality: str, horizon: str, strategy: str) -> dict[str, str]:
    return {"area": area, "criticality": criticality, "horizon": horizon, "strategy": strategy}


INPUTS: dict[str, dict[str, Any]] = {
    "leder1@testvik.no": {
        "needs": [need("Demens", "høy", "kort", "utvikle"), need("Digital kompetanse", "middels", "lang", "utvikle")],
        "measures": [
            measure("Demens", "Demensomsorgens ABC", 50_000, priority=1, funding="statsforvalter", target_group="Alle"),
            measure("Digital kompetanse", "Kurs i journalsystem", 20_000, period="Vår"),
        ],
    },
    "leder2@testvik.no": {
        "needs": [need("Demens", "høy", "lang", "rekruttere")],
        "measures": [measure("Demens", "demensomsorgens  abc", 30_000, priority=2, substitutes=True)],
    },
    "leder4@testvik.no": {
        "needs": [need("Språk", "lav", "kort", "mobilisere")],
        "measures": [measure("Språk", "Språkløyper", 15_000, funding="fond", arena="Barnehagen")],
    },
}
CONSULTATION = {
    "statement": "Vi støtter planen, men savner mer om rekruttering.",
    "comments": [
        {"target": "demens::demensomsorgens abc", "position": "enig", "text": "Viktig for hele sektoren."},
        {"target": "Kostnader og finansiering", "position": "uenig", "text": "For lite til fagbrev."},
    ],
}


def build_two_sectors(session: Session) -> None:
    """Testvik's Helse og omsorg (V1–V3) and Oppvekst (V4), each with its kommunalsjef, a tillitsvalgt and HR."""
    build_small_org(session)
    session.add(OrgUnit(id="S2", name="Oppvekst", parent_id="K", level=UnitLevel.SEKTOR))
    session.add(OrgUnit(id="V4", name="Solsiden barnehage", parent_id="S2", level=UnitLevel.VIRKSOMHET))
    for name, email, kind, unit in (
        ("Ola Oppvekst", "ola@testvik.no", RoleKind.SECTOR_LEADER, "S2"),
        ("Leder 4", "leder4@testvik.no", RoleKind.UNIT_LEADER, "V4"),
    ):
        person = Person(name=name, email=email)
        session.add(person)
        session.flush()
        session.add(Role(person_id=person.id or 0, kind=kind, unit_id=unit))
    session.flush()


def answer(session: Session, rt: Runtime, email: str, phase_key: str, content: dict[str, Any], now: datetime) -> None:
    person = session.exec(select(Person).where(Person.email == email)).one()
    assignment = session.exec(
        select(Assignment).join(Phase).where(Phase.key == phase_key, Assignment.assignee_id == person.id)
    ).one()
    ctx = load_context(session, rt, assignment, person)
    base = ctx.latest.revision if ctx.latest else 0
    save_answer(session, rt, ctx, content, submit=True, base_revision=base, now=now)


def phase(session: Session, key: str, year: int = YEAR) -> Phase:
    return next(p for p in phases_of(session, year) if p.key == key)


def task_of(rt: Runtime, email: str, phase_key: str = "spring-input") -> int:
    """The id of the task a person was given in a phase."""
    with rt.session() as session:
        found = session.exec(
            select(Assignment.id)
            .join(Person, col(Person.id) == col(Assignment.assignee_id))
            .join(Phase, col(Phase.id) == col(Assignment.phase_id))
            .where(Person.email == email, Phase.key == phase_key)
        ).one()
    assert found is not None
    return found


def spring_input(session: Session, rt: Runtime) -> None:
    """The org, the 2027 cycle, and three units' input submitted in spring."""
    build_two_sectors(session)
    ensure_hr(session, rt.settings)
    ensure_cycle(session, rt, YEAR, at(1, 1))
    open_phase(session, rt, phase(session, "spring-input"), YEAR, at(3, 1, 8))
    for email, content in INPUTS.items():
        answer(session, rt, email, "spring-input", {"requirements": "Krav", "holdings": "Har", **content}, at(3, 10))


def consultation(session: Session, rt: Runtime) -> None:
    """September: the draft (version 1) is compiled, the tillitsvalgt comments on it, October closes it (version 2)."""
    open_phase(session, rt, phase(session, "september-draft"), YEAR, at(9, 1, 8))
    answer(session, rt, "tora@testvik.no", "september-draft", CONSULTATION, at(9, 14))
    close_phase(session, rt, phase(session, "september-draft"), YEAR, at(10, 29, 16), reason="frist")
