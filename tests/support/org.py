"""A small organisation for tests: one kommune, one sektor with a kommunalsjef, a few virksomheter, a tillitsvalgt."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from domain.models import OrgUnit, Person, Role, RoleKind, UnitLevel


@dataclass(frozen=True)
class SmallOrg:
    units: list[str]
    leaders: dict[str, str]  # unit id -> leader e-mail
    kommunalsjef: str
    tillitsvalgt: str


def build_small_org(session: Session, *, units: int = 3, language: str = "nb") -> SmallOrg:
    session.add(OrgUnit(id="K", name="Testvik kommune", level=UnitLevel.KOMMUNE))
    session.add(OrgUnit(id="S1", name="Helse og omsorg", parent_id="K", level=UnitLevel.SEKTOR))
    chief = _person(session, "Siri Kommunalsjef", "siri@testvik.no", language)
    session.add(Role(person_id=chief, kind=RoleKind.SECTOR_LEADER, unit_id="S1"))
    leaders: dict[str, str] = {}
    for n in range(1, units + 1):
        unit_id = f"V{n}"
        session.add(OrgUnit(id=unit_id, name=f"Enhet {n}", parent_id="S1", level=UnitLevel.VIRKSOMHET, employees=20))
        email = f"leder{n}@testvik.no"
        session.add(
            Role(
                person_id=_person(session, f"Leder {n}", email, language),
                kind=RoleKind.UNIT_LEADER,
                unit_id=unit_id,
            )
        )
        leaders[unit_id] = email
    tv = _person(session, "Tora Tillitsvalgt", "tora@testvik.no", language)
    session.add(Role(person_id=tv, kind=RoleKind.TILLITSVALGT, unit_id="K", union="Fagforbundet"))
    session.flush()
    return SmallOrg(
        units=list(leaders), leaders=leaders, kommunalsjef="siri@testvik.no", tillitsvalgt="tora@testvik.no"
    )


def _person(session: Session, name: str, email: str, language: str) -> int:
    person = Person(name=name, email=email, language=language)
    session.add(person)
    session.flush()
    assert person.id is not None
    return person.id
