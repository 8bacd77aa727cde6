"""Step kinds through the real flows on a simulated clock: meetings, notices, sector reviews, per-sector dates."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlmodel import Session, col, select

from domain.aarshjul.workdays import to_local
from domain.clock import ManualClock
from domain.models import (
    Assignment,
    Event,
    Handling,
    OrgUnit,
    OutboxMessage,
    Person,
    Phase,
    PlanStatus,
    PlanVersion,
    Role,
    RoleKind,
)
from notifications.catcher import MailCatcher
from tasks.org.people import ensure_hr
from tasks.plan.priorities import prioritise_sector, sector_measures
from tasks.runtime import Runtime
from tests.support.org import build_small_org
from tests.support.plan_year import build_two_sectors
from tests.support.step_year import answering, run_year, use_example

pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("prefect_harness")]

INPUT = {
    "requirements": "Oppdatert fagkompetanse",
    "holdings": "God",
    "needs": [{"area": "Demens", "criticality": "høy", "horizon": "kort", "strategy": "utvikle"}],
    "measures": [{"area": "Demens", "goal": "Bedre demensomsorg", "title": "Demensomsorgens ABC", "cost": 50000}],
}
CONSULTATION = {
    "statement": "Vi støtter planen",
    "comments": [{"target": "Demensomsorgens ABC", "position": "enig", "text": "Bra"}],
}
SIGNAL = "Ønsker du formell utdanning? Si fra innen februar"


def handling(body: str, day: str, kind: str, case: str) -> dict[str, object]:
    return {"handlings": [{"body": body, "held_on": day, "kind": kind, "case_number": case}]}


def mail(session: Session, subject_start: str) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(col(OutboxMessage.subject).startswith(subject_start))
    return list(session.exec(query.order_by(col(OutboxMessage.to_address))))


def test_sorum_adoption_trail_lederforum_adopts_amu_and_oa_handle_the_adopted_plan(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    use_example(rt, "sorum.yaml")
    with rt.session() as session:
        build_small_org(session)
        ensure_hr(session, rt.settings)
    hr = "hr@testvik.no"
    script = [
        (datetime(2027, 3, 2, 10), answering("leder1@testvik.no", "spring-input", INPUT)),
        (datetime(2027, 9, 14, 10), answering("tora@testvik.no", "september-draft", CONSULTATION)),
        (datetime(2027, 11, 16, 10), answering(hr, "lederforum", handling("Lederforum", "2027-11-15", "vedtak", "41"))),
        (datetime(2027, 11, 29, 10), answering(hr, "amu", handling("AMU", "2027-11-26", "til etterretning", "77"))),
        (
            datetime(2027, 12, 13, 10),
            answering(hr, "okonomiutvalget", handling("Ø/A", "2027-12-10", "orientering", "9")),
        ),
    ]
    run_year(rt, clock, script)
    with rt.session() as session:
        versions = list(session.exec(select(PlanVersion).order_by(col(PlanVersion.number))))
        assert [v.status for v in versions] == [PlanStatus.CONSULTATION, PlanStatus.ADOPTED]
        handlings = list(session.exec(select(Handling).order_by(col(Handling.held_on))))
        assert [(h.body, h.kind.value, h.plan_version_id) for h in handlings] == [
            ("Lederforum", "vedtak", versions[1].id),
            ("AMU", "til etterretning", versions[1].id),
            ("Ø/A", "orientering", versions[1].id),
        ]
        papers = mail(session, "Sakspapirer til")
        assert sorted(m.subject for m in papers) == [
            "Sakspapirer til AMU innen 19.11.2027",
            "Sakspapirer til Lederforum innen 08.11.2027",
            "Sakspapirer til Økonomiutvalget innen 03.12.2027",
        ]
        assert {m.to_address for m in papers} == {"hr@testvik.no"}
        closed = session.exec(select(Phase).where(col(Phase.key).in_(["lederforum", "amu", "okonomiutvalget"]))).all()
        assert all(p.closed_at is not None for p in closed)  # each closed as soon as its handling was recorded


def _baerum_org(rt: Runtime, employees: bool = False) -> None:
    with rt.session() as session:
        build_two_sectors(session)
        sector = session.get(OrgUnit, "S2")
        assert sector is not None
        sector.name = "Oppvekst og utdanning"  # as Bærum's file names its school sector
        ensure_hr(session, rt.settings)
        session.add(Person(name="Dina Direktør", email="dina@testvik.no"))
        session.flush()
        dina = session.exec(select(Person).where(Person.email == "dina@testvik.no")).one()
        session.add(Role(person_id=dina.id or 0, kind=RoleKind.UNIT_LEADER, unit_id="K"))
        if employees:  # V1's staff from the organisation's employee list; V2–V4 have none imported
            for n in (1, 2):
                person = Person(name=f"Ansatt {n}", email=f"ansatt{n}@testvik.no")
                session.add(person)
                session.flush()
                session.add(Role(person_id=person.id or 0, kind=RoleKind.EMPLOYEE, unit_id="V1"))


def test_the_february_education_signal_reaches_employees_where_imported_and_leaders_elsewhere(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    use_example(rt, "baerum.yaml")
    _baerum_org(rt, employees=True)
    run_year(rt, clock, [], until=date(2027, 2, 2))
    with rt.session() as session:
        signal = mail(session, SIGNAL)
    assert [m.to_address for m in signal] == [
        "ansatt1@testvik.no",
        "ansatt2@testvik.no",
        "leder2@testvik.no",
        "leder3@testvik.no",
        "leder4@testvik.no",
    ]
    assert {to_local(m.created_at).date() for m in signal} == {date(2027, 2, 1)}
    assert "statsforvalteren" in signal[0].body_text
    delivered = [m for m in catcher.messages() if str(m["Subject"]) == SIGNAL]
    assert sorted(str(m["To"]).split("<")[-1].rstrip(">") for m in delivered) == [m.to_address for m in signal]


def test_baerum_year_notices_sector_review_school_deadline_and_meetings_happen_as_written(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    use_example(rt, "baerum.yaml")
    _baerum_org(rt)
    hr = "hr@testvik.no"

    def siri_prioritises(rt: Runtime) -> None:
        with rt.session() as session:
            keys = [m.key for m in sector_measures(session, 2027, "S1").measures]
            prioritise_sector(session, year=2027, sector_id="S1", priorities=dict.fromkeys(keys, 1), now=rt.now(),
                              actor="siri@testvik.no")  # fmt: skip

    script = [
        (
            datetime(2027, 3, 16, 10),
            answering(hr, "forum-evaluation", handling("Kompetanseforum", "2027-03-15", "drøfting", "12")),
        ),
        (datetime(2027, 4, 6, 10), answering("leder1@testvik.no", "site-input", INPUT)),
        (datetime(2027, 8, 10, 10), siri_prioritises),
        (datetime(2027, 9, 14, 10), answering("tora@testvik.no", "consultation", CONSULTATION)),
        (
            datetime(2027, 9, 21, 10),
            answering(hr, "forum-draft", handling("Kompetanseforum", "2027-09-20", "drøfting", "31")),
        ),
        (
            datetime(2027, 10, 4, 10),
            answering(hr, "draft-to-radmann", handling("Rådmannen", "2027-10-01", "orientering", "40")),
        ),
        (
            datetime(2027, 12, 13, 10),
            answering(hr, "skup-adoption", handling("Rådmannen", "2027-12-10", "vedtak", "55")),
        ),
    ]
    run_year(rt, clock, script)
    with rt.session() as session:
        dues = {
            a.unit_id: to_local(a.due_at).date().isoformat()
            for a, p in session.exec(select(Assignment, Phase).join(Phase).where(Phase.key == "site-input"))
            if a.unit_id and a.unit_id.startswith("V")
        }
        assert dues == {"V1": "2027-06-14", "V2": "2027-06-14", "V3": "2027-06-14", "V4": "2027-04-30"}
        assert [m.to_address for m in mail(session, SIGNAL)] == [f"leder{n}@testvik.no" for n in (1, 2, 3, 4)]
        contracts = mail(session, "Valg av studiekontrakt innen 1. mai")
        assert [m.to_address for m in contracts] == [f"leder{n}@testvik.no" for n in (1, 2, 3)]  # Helse og omsorg
        assert [m.to_address for m in mail(session, "Opplæringsplanen til medbestemmelsesmøtet")] == [
            "leder4@testvik.no"
        ]
        assert [m.to_address for m in mail(session, "Kompetanseforum om evalueringen")] == [
            "kari.kompetanse@example.no",
            "per.forum@example.no",
        ]
        assert [m.to_address for m in mail(session, "Evalueringen av fjorårets SKUP")] == [
            "dina@testvik.no",
            "hr@testvik.no",
        ]
        review = [(m.to_address, m.subject) for m in mail(session, "Sektorgjennomgang for")]
        assert review == [("ola@testvik.no", "Sektorgjennomgang for Oppvekst og utdanning innen 31.08.2027"),
                          ("siri@testvik.no", "Sektorgjennomgang for Helse og omsorg innen 31.08.2027")]  # fmt: skip
        reminders = [m.to_address for m in mail(session, "Påminnelse: Sektorgjennomgang")]
        assert reminders == ["ola@testvik.no", "ola@testvik.no"]  # siri prioritised on 10 August
        closed = mail(session, "Sektorgjennomgangen er lukket")
        assert [(m.to_address, m.subject) for m in closed] == [
            ("hr@testvik.no", "Sektorgjennomgangen er lukket: 1 av 2 sektorer har prioritert")
        ]
        versions = list(session.exec(select(PlanVersion).order_by(col(PlanVersion.number))))
        assert [v.status for v in versions] == [PlanStatus.CONSULTATION, PlanStatus.ADOPTED]
        handlings = [(h.body, h.kind.value, h.plan_version_id) for h in session.exec(select(Handling))]
        assert handlings == [
            ("Kompetanseforum", "drøfting", versions[0].id),
            ("Rådmannen", "orientering", versions[0].id),
            ("Rådmannen", "vedtak", versions[1].id),
        ]
        recorded = session.exec(select(Event).where(Event.kind == "meeting.recorded")).all()
        assert [e.payload["body"] for e in recorded] == ["Kompetanseforum"]  # the evaluation: no plan for 2026 here


def test_asker_year_has_no_adoption_and_oppvekst_answers_ten_working_days_later(
    rt: Runtime, clock: ManualClock, catcher: MailCatcher
) -> None:
    use_example(rt, "asker.yaml")
    _baerum_org(rt)
    run_year(rt, clock, [(datetime(2027, 3, 3, 10), answering("leder4@testvik.no", "needs-analysis", INPUT))])
    with rt.session() as session:
        dues = {
            a.unit_id: to_local(a.due_at).date().isoformat()
            for a, p in session.exec(select(Assignment, Phase).join(Phase).where(Phase.key == "needs-analysis"))
        }
        assert dues == {"V1": "2027-04-30", "V2": "2027-04-30", "V3": "2027-04-30", "V4": "2027-05-18"}
        assert session.exec(select(PlanVersion)).first() is None  # nothing compiles, nothing adopts
        assert [m.to_address for m in mail(session, "Årlig gjennomgang fullført")] == [
            "dina@testvik.no",
            "hr@testvik.no",
        ]
        phases = {p.key: p.closed_at is not None for p in session.exec(select(Phase))}
        assert phases == {"measure-review": True, "needs-analysis": True}
