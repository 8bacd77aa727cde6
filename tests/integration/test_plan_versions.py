"""Plan versions in a real migrated database: compile, consultation comments, priorities, handlings, immutability."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col, select

from domain.aarshjul.terms import Terms
from domain.models import Event, Handling, HandlingKind, OutboxMessage, PlanStatus, PlanVersion
from tasks.plan.priorities import prioritise_sector, sector_measures
from tasks.plan.versions import PlanError, adopt, compile_version, version_of, versions_of
from tasks.runtime import Runtime
from tasks.store.guards import ImmutableRecordError
from tests.support.plan_year import YEAR, at, consultation, spring_input

VEDTAK = {"body": "Kommunestyret", "held_on": "2027-12-09", "kind": "vedtak", "case_number": "2027/512"}


@pytest.fixture
def year(rt: Runtime) -> Runtime:
    with rt.session() as session:
        spring_input(session, rt)
        consultation(session, rt)
    return rt


def test_september_compiles_a_consultation_draft_and_october_a_final_draft_with_the_comments(year: Runtime) -> None:
    with year.session() as session:
        first, final = versions_of(session, YEAR)
        assert (first.status, final.status) == (PlanStatus.CONSULTATION, PlanStatus.FINAL_DRAFT)
        assert final.parent_id == first.id and first.content["consultation"] == []
        (entry,) = final.content["consultation"]
        assert entry["name"] == "Tora Tillitsvalgt" and entry["union"] == "Fagforbundet" and entry["version"] == 1
        on_measure, on_section = entry["comments"]
        assert on_measure["measure"] == "demens::demensomsorgens abc" and on_section["section"] == "kostnader"
        assert final.content["costs"] == first.content["costs"]
    tiltak = final.rendered.split("## Tiltak")[1].split("## Kostnader")[0]
    assert "- Demensomsorgens ABC: Tora Tillitsvalgt (Fagforbundet), om versjon 1: Enig – Viktig" in tiltak
    kostnader = final.rendered.split("## Kostnader og finansiering")[1].split("## Evaluering")[0]
    assert "Tora Tillitsvalgt (Fagforbundet), om versjon 1: Uenig – For lite til fagbrev." in kostnader
    assert "## Drøfting med tillitsvalgte" in final.rendered and "savner mer om rekruttering" in final.rendered


def test_hr_compiles_a_new_draft_on_demand_that_carries_the_kommunalsjef_priorities(year: Runtime) -> None:
    with year.session() as session:
        listed = sector_measures(session, YEAR, "S1")
        assert [(m.title, m.own_cost, m.chosen) for m in listed.measures] == [
            ("Demensomsorgens ABC", 80_000, None),
            ("Kurs i journalsystem", 20_000, None),
        ]
        priorities = {"digital kompetanse::kurs i journalsystem": 0, "demens::demensomsorgens abc": 1}
        prioritise_sector(session, year=YEAR, sector_id="S1", priorities=priorities, now=at(11, 2), actor="HR")
        draft = compile_version(session, year, year=YEAR, now=at(11, 3), reason="HR", status=PlanStatus.DRAFT)
        assert draft.number == 3 and draft.status == PlanStatus.DRAFT
        assert [m["title"] for m in draft.content["measures"]] == ["Demensomsorgens ABC", "Språkløyper"]
        assert draft.content["measures"][0]["prioritised_by"] == "kommunalsjef"
        assert draft.content["costs"]["by_sector"] == {"Helse og omsorg": 80_000, "Oppvekst": 15_000}
        assert sector_measures(session, YEAR, "S1").measures[1].chosen == 0  # still listed, to restore
        with pytest.raises(PlanError, match="er ikke meldt inn fra denne sektoren"):
            prioritise_sector(session, year=YEAR, sector_id="S2", priorities=priorities, now=at(11, 4), actor="HR")
        asker = Terms.model_validate({"sector": "tjenesteområde"})  # the message speaks the municipality's words
        with pytest.raises(PlanError, match="er ikke meldt inn fra dette tjenesteområdet"):
            prioritise_sector(
                session, year=YEAR, sector_id="S2", priorities=priorities, now=at(11, 4), actor="HR", terms=asker
            )
        with pytest.raises(PlanError, match="Fant ingen tjenesteområde med id «S9»"):
            sector_measures(session, YEAR, "S9", asker)


def test_adoption_records_the_handlings_locks_the_version_and_mails_every_unit_leader(year: Runtime) -> None:
    with year.session() as session:
        drofting = {"body": "AMU", "held_on": "2027-11-20", "kind": "drøfting", "case_number": "12/27"}
        version = adopt(session, year, year=YEAR, handlings=[drofting, VEDTAK], now=at(12, 10), actor="HR")
        assert version.number == 2 and version.status == PlanStatus.ADOPTED
    with year.session() as session:
        handlings = session.exec(select(Handling).order_by(col(Handling.held_on))).all()
        assert [(h.body, h.held_on, h.kind, h.case_number) for h in handlings] == [
            ("AMU", date(2027, 11, 20), HandlingKind.DROFTING, "12/27"),
            ("Kommunestyret", date(2027, 12, 9), HandlingKind.VEDTAK, "2027/512"),
        ]
        kinds = [e.kind for e in session.exec(select(Event).order_by(col(Event.id)))]
        assert kinds.count("plan.handling.recorded") == 2 and kinds[-1] == "plan.adopted"
        with pytest.raises(PlanError, match="den nyere versjon 2 av Kompetanseplan 2028 er vedtatt"):
            adopt(session, year, year=YEAR, handlings=[VEDTAK], now=at(12, 11), actor="HR", number=1)
        with pytest.raises(PlanError, match="ugyldig type"):
            adopt(session, year, year=YEAR, handlings=[{**VEDTAK, "kind": "avstemning"}], now=at(12, 11), actor="HR")
        assert version_of(session, YEAR).status == PlanStatus.ADOPTED


def test_the_adoption_mail_goes_once_to_each_unit_leader(year: Runtime) -> None:
    from domain.events import EventKind
    from domain.models import Event
    from tasks.plan.announce import announce_adopted_plan

    with year.session() as session:
        adopt(session, year, year=YEAR, handlings=[VEDTAK], now=at(12, 10), actor="HR")  # plan.adopted announces it
        adopt(session, year, year=YEAR, handlings=[VEDTAK], now=at(12, 11), actor="HR")  # a later handling: no mail
        adopted = session.exec(select(Event).where(Event.kind == EventKind.PLAN_ADOPTED)).one()
        announce_adopted_plan(year, session, adopted)  # the same event handled twice queues nothing more
        sent = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "plan_adopted")).all()
    assert sorted(m.to_address for m in sent) == [f"leder{n}@testvik.no" for n in (1, 2, 3, 4)]


def test_a_draft_s_content_is_written_once_in_the_orm_and_in_the_database(year: Runtime) -> None:
    with Session(year.engine) as session:
        draft = session.exec(select(PlanVersion).where(PlanVersion.number == 1)).one()
        draft.content = {**draft.content, "title": "Endret"}
        with pytest.raises(ImmutableRecordError, match="content is written once"):
            session.commit()
    with year.engine.begin() as connection, pytest.raises(DBAPIError, match="immutable"):
        connection.execute(text("UPDATE plan_version SET content = '{}' WHERE number = 1"))
    with year.engine.begin() as connection, pytest.raises(DBAPIError, match="immutable"):
        connection.execute(text("UPDATE plan_version SET rendered = 'endret' WHERE number = 2"))
    with year.engine.begin() as connection, pytest.raises(DBAPIError, match="cannot be changed"):
        connection.execute(text("DELETE FROM plan_version WHERE number = 1"))


def test_an_adopted_version_cannot_even_change_its_status(year: Runtime) -> None:
    with year.session() as session:
        adopt(session, year, year=YEAR, handlings=[VEDTAK], now=at(12, 10), actor="HR")
    with Session(year.engine) as session:
        adopted = session.exec(select(PlanVersion).where(PlanVersion.status == PlanStatus.ADOPTED)).one()
        adopted.status = PlanStatus.DRAFT
        with pytest.raises(ImmutableRecordError, match="adopted and locked"):
            session.commit()
    with year.engine.begin() as connection, pytest.raises(DBAPIError, match="immutable"):
        connection.execute(text("UPDATE plan_version SET status = 'DRAFT' WHERE status = 'ADOPTED'"))


def test_a_municipality_s_own_frame_goes_into_the_next_version_and_a_broken_one_is_named(year: Runtime) -> None:
    frame = year.settings.data_dir / "planramme.yaml"
    frame.write_text(
        "anchoring: Forankret i kommuneplanen for Testvik.\n"
        "ambitions: '{municipality} skal være en lærende organisasjon.'\n"
        "goals: [Gode tjenester]\n"
        "concept: Kunnskap, ferdigheter og holdninger.\n"
        "focus_areas: [{title: Heltidskultur}]\n"
        "evaluation_guidelines: [Evaluer hvert tiltak i januar.]\n",
        encoding="utf-8",
    )
    with year.session() as session:
        version = compile_version(session, year, year=YEAR, now=at(11, 1), reason="ny ramme", status=PlanStatus.DRAFT)
    assert version.content["frame"]["ambitions"] == "Testvik kommune skal være en lærende organisasjon."
    assert "### Heltidskultur" in version.rendered and "Forankret i kommuneplanen for Testvik." in version.rendered
    frame.write_text("anchoring: Bare dette\n", encoding="utf-8")
    broken = r"planramme\.yaml kan ikke leses: feltet"
    with year.session() as session, pytest.raises(PlanError, match=broken):
        compile_version(session, year, year=YEAR, now=at(11, 2), reason="ødelagt ramme")
