"""Handling and adopting a plan version: only a vedtak by an adopting body adopts, one adopted version per plan year.

A handling attaches to the version that was handled: the one named, or else the newest version that existed on the
meeting day, never a version made after the meeting. A vedtak on a newer version of an already adopted plan year is
a revision: the old version stays as it was, marked superseded.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from domain.aarshjul.bodies import PlanBody, find_body
from domain.aarshjul.workdays import to_local
from domain.events import EventKind
from domain.forms import HandlingEntry
from domain.models import HandlingKind, PlanStatus, PlanVersion
from tasks.events.log import record
from tasks.plan.handlings import handling_entry, record_handlings
from tasks.plan.queries import adopted_plan, version_of
from tasks.plan.sources import NoPlanVersion, PlanError
from tasks.runtime import Runtime


def handle(
    session: Session, rt: Runtime, version: PlanVersion, handlings: list[dict[str, Any]], *, now: datetime, actor: str
) -> bool:
    """Record the handlings on this version; adopt it when one is a vedtak by an adopting body. True if adopted."""
    bodies = rt.aarshjul.plan_bodies
    entries = [handling_entry(raw) for raw in handlings]
    for entry in entries:
        _check_handling(bodies, version, entry)
    record_handlings(session, version, handlings, year=version.cycle_year, now=now, actor=actor)
    if not any(_adopts(bodies, entry) for entry in entries):
        return False
    _adopt(session, version, now=now, actor=actor)
    return True


def adopt(
    session: Session,
    rt: Runtime,
    *,
    year: int,
    handlings: list[dict[str, Any]],
    now: datetime,
    actor: str,
    number: int | None = None,
) -> PlanVersion:
    """Record the handlings and adopt: refused with a sentence unless one is a vedtak by a body that adopts.

    With a number every handling is of that version of cycle year `year`; without one each handling is recorded on
    the version that existed on its meeting day (Kompetanseforum in September on the consultation draft, the
    vedtak in December on the final draft), and the version the adopting vedtak handled is adopted.
    """
    bodies = rt.aarshjul.plan_bodies
    if not any(_adopts(bodies, handling_entry(raw)) for raw in handlings):
        raise PlanError(not_adopting(bodies))  # before anything is recorded, whatever the caller does with it
    if number is not None:
        version = version_of(session, year, number)
        handle(session, rt, version, handlings, now=now, actor=actor)
        return version
    adopted: PlanVersion | None = None
    for raw in handlings:
        version = handled_version(session, year, [raw])
        if handle(session, rt, version, [raw], now=now, actor=actor):
            adopted = version
    assert adopted is not None  # one handling adopts, checked above
    return adopted


def handled_version(session: Session, year: int, handlings: list[dict[str, Any]]) -> PlanVersion:
    """The newest version of the cycle year made on or before the day of the first vedtak (else the last meeting)."""
    entries = [handling_entry(raw) for raw in handlings]
    if not entries:
        raise PlanError("Registrer minst én behandling (organ, dato og type).")
    vedtak = [e.held_on for e in entries if e.kind == HandlingKind.VEDTAK]
    day = vedtak[0] if vedtak else max(e.held_on for e in entries)
    query = select(PlanVersion).where(PlanVersion.cycle_year == year).order_by(col(PlanVersion.number).desc())
    for version in session.exec(query):
        if made_on(version) <= day:
            return version
    raise NoPlanVersion(
        f"Det fantes ingen versjon av Kompetanseplan {year + 1} {day:%d.%m.%Y}; en behandling gjelder en versjon "
        "som forelå på møtedagen."
    )


def made_on(version: PlanVersion) -> date:
    return to_local(version.created_at).date()


def not_adopting(bodies: list[PlanBody]) -> str:
    names = _or([b.name for b in bodies if b.adopts])
    return (
        f"Planen er ikke vedtatt: bare et vedtak i {names} vedtar den. Drøfting, orientering og «til etterretning» "
        "registreres på versjonen uten å vedta den."
    )


def _check_handling(bodies: list[PlanBody], version: PlanVersion, entry: HandlingEntry) -> None:
    if entry.kind == HandlingKind.IMPORTERT:
        raise PlanError("«importert» er forbeholdt planen som leses inn med «arshjul plan import».")
    if find_body(bodies, entry.body) is None:
        raise PlanError(
            f"«{entry.body}» er ikke et organ som behandler planen. Bruk et av disse: "
            f"{', '.join(b.name for b in bodies)}, eller legg organet til under plan_bodies i årshjulfilen."
        )
    if entry.held_on < made_on(version):
        raise PlanError(
            f"Versjon {version.number} ble laget {made_on(version):%d.%m.%Y}, etter møtet i {entry.body} "
            f"{entry.held_on:%d.%m.%Y}. En behandling gjelder versjonen som forelå på møtet."
        )


def _adopts(bodies: list[PlanBody], entry: HandlingEntry) -> bool:
    body = find_body(bodies, entry.body)
    return entry.kind == HandlingKind.VEDTAK and body is not None and body.adopts


def _adopt(session: Session, version: PlanVersion, *, now: datetime, actor: str) -> None:
    if version.status == PlanStatus.ADOPTED:
        return  # a later vedtak of an adopted plan is recorded; the plan itself never changes
    if version.status == PlanStatus.SUPERSEDED:
        raise PlanError(f"Versjon {version.number} er erstattet av en senere revisjon og kan ikke vedtas på nytt.")
    current = adopted_plan(session, version.plan_year)
    if current is not None:
        if (current.created_at, current.id or 0) > (version.created_at, version.id or 0):
            raise PlanError(
                f"Versjon {version.number} kan ikke vedtas: den nyere versjon {current.number} av "
                f"Kompetanseplan {version.plan_year} er vedtatt."
            )
        _supersede(session, current, by=version, now=now, actor=actor)
    version.status = PlanStatus.ADOPTED
    try:
        session.flush()
    except IntegrityError as clash:  # the partial unique index: someone adopted this plan year a moment ago
        raise PlanError(
            f"Kompetanseplan {version.plan_year} ble vedtatt i en annen økt samtidig. Last siden på nytt og se "
            "hvilken versjon som er vedtatt."
        ) from clash
    record(
        session,
        EventKind.PLAN_ADOPTED,
        at=now,
        cycle_year=version.cycle_year,
        actor=actor,
        number=version.number,
        plan_year=version.plan_year,
        content_hash=version.content_hash,
    )


def _supersede(session: Session, old: PlanVersion, *, by: PlanVersion, now: datetime, actor: str) -> None:
    old.status = PlanStatus.SUPERSEDED
    session.flush()  # before the new one is adopted, so the one-adopted-per-year index never sees two
    record(
        session,
        EventKind.PLAN_SUPERSEDED,
        at=now,
        cycle_year=old.cycle_year,
        actor=actor,
        number=old.number,
        plan_year=old.plan_year,
        by_cycle_year=by.cycle_year,
        by_number=by.number,
    )


def _or(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} eller {names[-1]}"
