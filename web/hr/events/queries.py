"""The event log filtered: by kind group, by phase, by year; a page at a time, or all of it for export."""

from __future__ import annotations

from typing import Final

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from domain.models import Event

GROUPS: Final = {
    "": "Alle hendelser",
    "reminder": "Påminnelser",
    "assignment": "Oppgaver (frister, eskalering, stedfortreder, fritak)",
    "answer": "Svar",
    "email": "E-post (sendt, feilet)",
    "plan": "Kompetanseplanen",
    "phase": "Faser",
}


def _filtered(group: str, phase_key: str, year: int | None) -> SelectOfScalar[Event]:
    query = select(Event)
    if group:
        query = query.where(col(Event.kind).startswith(group + "."))
    if phase_key:
        query = query.where(Event.phase_key == phase_key)
    if year is not None:
        query = query.where(Event.cycle_year == year)
    return query.order_by(col(Event.at).desc(), col(Event.id).desc())


def filtered_page(
    session: Session, page: int, *, group: str = "", phase_key: str = "", year: int | None = None, size: int = 50
) -> tuple[list[Event], bool]:
    """One page of the filtered log, newest first, and whether there are older ones."""
    rows = session.exec(_filtered(group, phase_key, year).offset((page - 1) * size).limit(size + 1)).all()
    return list(rows[:size]), len(rows) > size


def filtered_all(session: Session, *, group: str = "", phase_key: str = "", year: int | None = None) -> list[Event]:
    """The whole filtered log, newest first (an export: at most 100 000 rows)."""
    return list(session.exec(_filtered(group, phase_key, year).limit(100_000)).all())
