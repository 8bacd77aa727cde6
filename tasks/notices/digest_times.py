"""When the weekly digest goes out: plain functions, apart from the Prefect task in tasks/notices/digest.py.

The web app asks for the next digest moment (the HR overview's "next step"); importing it from the module with
the Prefect task would load Prefect into every web process (about 900 modules and 85 000 more objects for the
garbage collector to walk on each full collection).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from domain.aarshjul.model import Aarshjul
from domain.aarshjul.workdays import local_moment, to_local
from domain.models import Assignment, Phase, PhaseStatus
from domain.states import ACTIVE
from tasks.notices.digest_rows import unit_phase_keys
from tasks.runtime import Runtime


def digest_moment(aarshjul: Aarshjul, iso_year: int, week: int) -> datetime | None:
    """When the digest of an ISO week goes out; None if no working day is left in that week."""
    config = aarshjul.weekly_digest
    day = date.fromisocalendar(iso_year, week, 1) + timedelta(days=config.weekday)
    day = aarshjul.calendar(day.year).next_working_day(day)
    if tuple(day.isocalendar())[:2] != (iso_year, week):
        return None
    return local_moment(day, config.send_time)


def iso_week(moment: datetime) -> tuple[int, int]:
    """The ISO year and week of a moment, in Oslo time."""
    iso = to_local(moment).date().isocalendar()
    return iso.year, iso.week


def next_digest_at(session: Session, rt: Runtime, after: datetime) -> datetime | None:
    """The next digest moment after `after`, if an open unit phase has an unanswered task (for a simulated clock)."""
    if not rt.aarshjul.weekly_digest.enabled:
        return None
    waiting = session.exec(
        select(Assignment.id)
        .join(Phase, col(Phase.id) == col(Assignment.phase_id))
        .where(Phase.status == PhaseStatus.OPEN, col(Phase.key).in_(unit_phase_keys(rt)))
        .where(col(Assignment.state).in_(ACTIVE))
    ).first()
    if waiting is None:
        return None
    year, week = iso_week(after)
    monday = date.fromisocalendar(year, week, 1)
    for weeks in range(3):
        iso = (monday + timedelta(weeks=weeks)).isocalendar()
        moment = digest_moment(rt.aarshjul, iso.year, iso.week)
        if moment is not None and moment > after:
            return moment
    return None
