"""Adoption as the seeds describe it: only a vedtak by an adopting body adopts, on the version that was handled; one
adopted version per plan year, even under two concurrent adoptions; a revision's vedtak supersedes the old one."""

from __future__ import annotations

import threading
from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from domain.models import Event, Handling, HandlingKind, PlanStatus, PlanVersion
from tasks.plan.decision import handle
from tasks.plan.versions import PlanError, adopt, adopted_plan, compile_version, version_of, versions_of
from tasks.runtime import Runtime
from tests.support.plan_year import YEAR, at, consultation, spring_input

VEDTAK = {"body": "Kommunestyret", "held_on": "2027-12-09", "kind": "vedtak", "case_number": "2027/512"}


@pytest.fixture
def year(rt: Runtime) -> Runtime:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)  # version 1 consultation draft (1 Sept), version 2 final draft (29 Oct)
    return rt


def _statuses(rt: Runtime) -> list[PlanStatus]:
    with rt.session() as session:
        return [v.status for v in versions_of(session, YEAR)]


def test_drofting_orientering_and_a_vedtak_by_a_non_adopting_body_never_adopt(year: Runtime) -> None:
    with year.session() as session:
        final = version_of(session, YEAR, 2)
        for body, kind in (("MBM", "drøfting"), ("Lederforum", "orientering"), ("AMU", "til etterretning")):
            entry = {"body": body, "held_on": "2027-11-20", "kind": kind}
            assert handle(session, year, final, [entry], now=at(11, 21), actor="HR") is False
        lederforum = {"body": "Lederforum", "held_on": "2027-11-13", "kind": "vedtak"}
        with pytest.raises(PlanError, match=r"^Planen er ikke vedtatt: bare et vedtak i Formannskapet, Kommunestyret"):
            adopt(session, year, year=YEAR, handlings=[lederforum], now=at(11, 21), actor="HR", number=2)
    assert _statuses(year) == [PlanStatus.CONSULTATION, PlanStatus.FINAL_DRAFT]
    with year.session() as session:
        kinds = [h.kind for h in session.exec(select(Handling).order_by(col(Handling.id)))]
        assert kinds == [HandlingKind.DROFTING, HandlingKind.ORIENTERING, HandlingKind.TIL_ETTERRETNING]
        assert not session.exec(select(Event).where(Event.kind == "plan.adopted")).all()


def test_the_body_that_adopts_is_configurable(year: Runtime) -> None:
    bodies = [b.model_copy(update={"adopts": b.name == "Lederforum"}) for b in year.aarshjul.plan_bodies]
    year.aarshjul = year.aarshjul.model_copy(update={"plan_bodies": bodies})
    with year.session() as session, pytest.raises(PlanError, match="bare et vedtak i Lederforum vedtar den"):
        adopt(session, year, year=YEAR, handlings=[VEDTAK], now=at(12, 10), actor="HR", number=2)
    with year.session() as session:
        lederforum = {"body": "lederforum", "held_on": "2027-11-13", "kind": "vedtak"}
        assert adopt(session, year, year=YEAR, handlings=[lederforum], now=at(11, 14), actor="HR").number == 2
    assert _statuses(year) == [PlanStatus.CONSULTATION, PlanStatus.ADOPTED]


def test_a_handling_attaches_to_the_version_that_existed_at_the_meeting(year: Runtime) -> None:
    with year.session() as session:
        forum = {"body": "Kompetanseforum", "held_on": "2027-09-20", "kind": "orientering"}
        late = r"Versjon 2 ble laget 29\.10\.2027, etter møtet i Kompetanseforum 20\.09\.2027"
        with pytest.raises(PlanError, match=late):
            handle(session, year, version_of(session, YEAR, 2), [forum], now=at(11, 1), actor="HR")
        with pytest.raises(PlanError, match=r"«Bydelsutvalget» er ikke et organ som behandler planen"):
            handle(
                session,
                year,
                version_of(session, YEAR, 2),
                [{**forum, "body": "Bydelsutvalget"}],
                now=at(11, 1),
                actor="HR",
            )
    with year.session() as session:  # unnamed: the vedtak of 15 October handled version 1, the only one then
        early = {**VEDTAK, "held_on": "2027-10-15"}
        assert adopt(session, year, year=YEAR, handlings=[early], now=at(10, 16), actor="HR").number == 1
        compile_version(session, year, year=YEAR, now=at(11, 3), reason="HR", status=PlanStatus.DRAFT)
    with year.session() as session:  # a vedtak on 9 December, unnamed, is the newest version that then existed: 3
        assert adopt(session, year, year=YEAR, handlings=[VEDTAK], now=at(12, 10), actor="HR").number == 3


def test_a_revision_with_its_own_vedtak_supersedes_the_adopted_version_which_stays(year: Runtime) -> None:
    with year.session() as session:
        adopt(session, year, year=YEAR, handlings=[VEDTAK], now=at(12, 10), actor="HR", number=2)
        old_hash = version_of(session, YEAR, 2).content_hash
        revision = compile_version(session, year, year=YEAR, now=at(12, 12), reason="revisjon", status=PlanStatus.DRAFT)
        assert revision.plan_year == 2028 and revision.status == PlanStatus.DRAFT
    with year.session() as session:
        again = {**VEDTAK, "held_on": "2027-12-16", "case_number": "2027/530"}
        adopt(session, year, year=YEAR, handlings=[again], now=at(12, 17), actor="HR", number=3)
    assert _statuses(year) == [PlanStatus.CONSULTATION, PlanStatus.SUPERSEDED, PlanStatus.ADOPTED]
    with year.session() as session:
        old = version_of(session, YEAR, 2)
        assert old.content_hash == old_hash and adopted_plan(session, 2028) == version_of(session, YEAR, 3)
        superseded = session.exec(select(Event).where(Event.kind == "plan.superseded")).one()
        assert superseded.payload["number"] == 2 and superseded.payload["by_number"] == 3
        with pytest.raises(PlanError, match="Versjon 2 er erstattet av en senere revisjon og kan ikke vedtas på nytt"):
            adopt(session, year, year=YEAR, handlings=[again], now=at(12, 18), actor="HR", number=2)
    with year.engine.begin() as connection, pytest.raises(Exception, match="immutable"):
        connection.execute(text("UPDATE plan_version SET status = 'ADOPTED' WHERE number = 2"))


def test_the_database_allows_one_adopted_version_per_plan_year(year: Runtime) -> None:
    with year.engine.begin() as connection:
        connection.execute(text("UPDATE plan_version SET status = 'ADOPTED' WHERE number = 1"))
    with year.engine.begin() as connection, pytest.raises(IntegrityError, match="UNIQUE"):
        connection.execute(text("UPDATE plan_version SET status = 'ADOPTED' WHERE number = 2"))


def test_two_concurrent_adoptions_leave_exactly_one_adopted_version(year: Runtime) -> None:
    with year.session() as session:
        compile_version(session, year, year=YEAR, now=at(11, 3), reason="HR", status=PlanStatus.DRAFT)
    start, outcomes = threading.Barrier(2), []

    def adopt_in_own_session(number: int) -> None:
        start.wait()
        try:
            with year.session() as session:
                adopt(session, year, year=YEAR, handlings=[VEDTAK], now=at(12, 10), actor=f"HR {number}", number=number)
            outcomes.append(f"vedtatt {number}")
        except PlanError as refused:
            outcomes.append(str(refused))

    threads = [threading.Thread(target=adopt_in_own_session, args=(n,)) for n in (2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    with Session(year.engine) as session:
        adopted = session.exec(select(PlanVersion).where(PlanVersion.status == PlanStatus.ADOPTED)).all()
        assert len(adopted) == 1 and len(outcomes) == 2
        # Whichever came first: the newer version 3 either supersedes 2, or 2 is refused because 3 is adopted.
        assert adopted[0].number == 3
        assert date(2027, 12, 9) in {h.held_on for h in session.exec(select(Handling))}


def test_each_handling_of_the_december_form_goes_to_the_version_that_existed_at_its_meeting(year: Runtime) -> None:
    handlings = [
        {"body": "Kompetanseforum", "held_on": "2027-09-20", "kind": "drøfting", "case_number": "2027/211"},
        {"body": "AMU", "held_on": "2027-11-18", "kind": "orientering", "case_number": "2027/388"},
        VEDTAK,
    ]
    with year.session() as session:
        adopted = adopt(session, year, year=YEAR, handlings=handlings, now=at(12, 10), actor="HR")
        assert adopted.number == 2 and adopted.status == PlanStatus.ADOPTED
        on = {h.body: session.get(PlanVersion, h.plan_version_id) for h in session.exec(select(Handling))}
        assert {body: v.number for body, v in on.items() if v} == {"Kompetanseforum": 1, "AMU": 2, "Kommunestyret": 2}
