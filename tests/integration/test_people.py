"""Who belongs to which sektor, looked up one by one and through the tree read in one query."""

from __future__ import annotations

from sqlmodel import Session

from domain.models import OrgUnit, UnitLevel
from tasks.org.people import sector_of, units_in_sector
from tasks.runtime import Runtime


def _tree(session: Session, units_per_sector: int) -> None:
    session.add(OrgUnit(id="K", name="Kommunen", level=UnitLevel.KOMMUNE))
    for s in (1, 2):
        session.add(OrgUnit(id=f"S{s}", name=f"Sektor {s}", parent_id="K", level=UnitLevel.SEKTOR))
        for n in range(units_per_sector):
            session.add(OrgUnit(id=f"S{s}V{n}", name=f"Enhet {s}.{n}", parent_id=f"S{s}", level=UnitLevel.VIRKSOMHET))
    session.add(OrgUnit(id="S1X", name="Undersektor", parent_id="S1", level=UnitLevel.SEKTOR))
    session.add(OrgUnit(id="S1XV", name="Under undersektoren", parent_id="S1X", level=UnitLevel.VIRKSOMHET))


def test_sector_of_is_the_same_one_by_one_and_after_the_tree_is_read(rt: Runtime) -> None:
    with rt.session() as session:
        _tree(session, units_per_sector=30)
    with rt.session() as session:
        ids = ["K", "S1", "S2", "S1X", "S1XV", "ukjent", *(f"S{s}V{n}" for s in (1, 2) for n in range(30))]
        found = {unit_id: getattr(sector_of(session, unit_id), "id", None) for unit_id in ids}
    assert found["K"] is None and found["ukjent"] is None
    assert found["S1"] == "S1" and found["S1X"] == "S1X" and found["S1XV"] == "S1X"
    assert all(found[f"S{s}V{n}"] == f"S{s}" for s in (1, 2) for n in range(30))


def test_a_unit_moved_in_this_unit_of_work_is_seen_where_it_now_is(rt: Runtime) -> None:
    with rt.session() as session:
        _tree(session, units_per_sector=30)
    with rt.session() as session:
        for n in range(30):
            sector_of(session, f"S1V{n}")  # enough lookups for the session to read the whole tree
        moved = session.get(OrgUnit, "S1V0")
        assert moved is not None
        moved.parent_id = "S2"
        session.add(OrgUnit(id="NY", name="Ny enhet", parent_id="S2", level=UnitLevel.VIRKSOMHET))
        session.flush()
        assert getattr(sector_of(session, "S1V0"), "id", None) == "S2"
        assert getattr(sector_of(session, "NY"), "id", None) == "S2"


def test_units_in_sector_are_the_units_whose_sector_it_is(rt: Runtime) -> None:
    with rt.session() as session:
        _tree(session, units_per_sector=3)
    with rt.session() as session:
        assert sorted(units_in_sector(session, "S1")) == ["S1", "S1V0", "S1V1", "S1V2"]
        assert sorted(units_in_sector(session, "S1X")) == ["S1X", "S1XV"]
        assert units_in_sector(session, "ukjent") == []
