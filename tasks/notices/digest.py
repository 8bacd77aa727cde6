"""The weekly status digest to each kommunalsjef and the summary to HR, once per person and ISO week.

They go out on the configured weekday and time (default Monday 09:00 Oslo; on a holiday the next working day of
the same week) while a phase that asks unit leaders is open and someone has not answered. A phase opened on the
digest day itself is left out: nobody has had time to answer it yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from sqlmodel import Session, col, select

from domain.aarshjul.workdays import local_moment, to_local
from domain.events import EventKind
from domain.models import OutboxMessage, Person, RoleKind
from domain.states import ACTIVE
from tasks.events.log import record
from tasks.notices.digest_rows import DigestRow, row_context, sector_totals, unit_assignment_rows
from tasks.notices.digest_times import digest_moment
from tasks.notices.digest_times import iso_week as _week
from tasks.notices.digest_times import next_digest_at as next_digest_at  # where callers found it before
from tasks.org.people import hr_people, leaders
from tasks.outbox.mail import queue_plain
from tasks.runtime import Runtime


@dataclass(frozen=True)
class DigestStats:
    sectors: int = 0
    hr: int = 0


def queue_digests(session: Session, rt: Runtime, as_of: datetime) -> DigestStats:
    """Queue this week's digests if their moment has come; a second run in the same week queues nothing."""
    year, week = _week(as_of)
    moment = digest_moment(rt.aarshjul, year, week)
    if not rt.aarshjul.weekly_digest.enabled or moment is None or moment > as_of:
        return DigestStats()
    week_key = f"{year}-W{week:02d}"
    hr_team = hr_people(session)
    chiefs = leaders(session, RoleKind.SECTOR_LEADER)
    # Every dispatcher run after the digest moment lands here; once the week's digests are queued, answer from the
    # outbox's keys instead of building (and rendering) a line per unit for every recipient again.
    taken = _queued_keys(session, week_key)
    if all(_key(person, week_key) in taken for person in [*hr_team, *(person for person, _ in chiefs)]):
        return DigestStats()
    rows = unit_assignment_rows(session, rt, opened_before=local_moment(to_local(moment).date(), time(0)))
    if not any(row.state in ACTIVE for row in rows):
        return DigestStats()
    # HR first: someone who is both HR and kommunalsjef gets the summary, which covers their sector too.
    hr = sum(
        _queue(session, rt, person, "hr", rows, week_key, as_of)
        for person in hr_team
        if _key(person, week_key) not in taken
    )
    by_chief: dict[int, tuple[Person, list[DigestRow]]] = {}
    for person, role in chiefs:
        if _key(person, week_key) in taken:
            continue
        assert person.id is not None
        by_chief.setdefault(person.id, (person, []))[1].extend(r for r in rows if r.sector_id == role.unit_id)
    sectors = sum(_queue(session, rt, person, "sector", own, week_key, as_of) for person, own in by_chief.values())
    return DigestStats(sectors=sectors, hr=hr)


def _queue(
    session: Session, rt: Runtime, person: Person, scope: str, rows: list[DigestRow], week: str, now: datetime
) -> bool:
    if not any(row.state in ACTIVE for row in rows):
        return False
    language = person.language if person.language in ("nb", "nn", "en") else "nb"
    lines = [row_context(rt, row, language) for row in rows]
    context: dict[str, Any] = {"answered": sum(row.answered for row in rows), "total": len(rows), "week": week}
    if scope == "hr":
        template, kind = "hr_summary", "hr_summary"
        context |= {
            "scope_name": rt.settings.municipality,
            "sectors": sector_totals(rows),
            "outstanding": [line for line, row in zip(lines, rows, strict=True) if not row.answered],
            "console_link": f"{rt.settings.base_url.rstrip('/')}/hr",
        }
    else:
        names = list(dict.fromkeys(row.sector_name for row in rows))
        template, kind = "digest", "digest"
        context |= {"scope_name": " og ".join(names) if language != "en" else " and ".join(names), "rows": lines}
    message = queue_plain(
        session,
        rt,
        person=person,
        template=template,
        context=context,
        kind=kind,
        key=_key(person, week),
        now=now,
    )
    if message is not None:
        record(
            session,
            EventKind.DIGEST_QUEUED,
            at=now,
            person_id=person.id,
            scope=scope,
            week=week,
            answered=context["answered"],
            total=context["total"],
        )
    return message is not None


def _key(person: Person, week: str) -> str:
    return f"digest:{person.id}:{week}"


def _queued_keys(session: Session, week: str) -> set[str]:
    """This week's digest keys already in the outbox (a handful of rows: one per HR person and kommunalsjef)."""
    keys = session.exec(
        select(OutboxMessage.idempotency_key).where(col(OutboxMessage.idempotency_key).like(f"digest:%:{week}"))
    ).all()
    return set(keys)
