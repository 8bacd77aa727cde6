"""The HR overview (`/hr`): where the year is, how far each phase and sector has come, what needs HR today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.aarshjul.workdays import to_local
from domain.identity import AccountRole
from domain.models import PhaseStatus
from tasks.cycle.due import next_due
from tasks.org.aarshjul_names import stored_unmatched
from tasks.runtime import Runtime
from web.deps import RuntimeDep
from web.hr.overview.queries import CATEGORIES, PhaseTally, cycle_years, year_tallies
from web.hr.overview.svg import Window, bar, wheel
from web.hr.routes import hr_render
from web.signin.access import LEADER_HOME, SignedIn

router = APIRouter()
MAX_ATTENTION = 5
BAR_ORDER = ("answered", "excused", "open", "overdue", "escalated")


@dataclass(frozen=True)
class Attention:
    text: str
    href: str
    count: int


@dataclass(frozen=True)
class Moment:
    at: datetime
    text: str


def attention(
    year: int, tallies: list[PhaseTally], titles: dict[str, str], terms: Terms = DEFAULT_TERMS
) -> list[Attention]:
    """Open phases' sectors with tasks past their deadline, most first: the few things that need HR today."""
    found = []
    for tally in tallies:
        if tally.phase.status != PhaseStatus.OPEN:
            continue
        for sector, counts in tally.sectors:
            late = counts["overdue"] + counts["escalated"]
            if not late:
                continue
            units = terms["nb"].unit.singular if late == 1 else terms["nb"].unit.plural
            text = f"{late} {units} over fristen i {sector.name} ({titles[tally.phase.key]})"
            if counts["escalated"]:
                text += f", {counts['escalated']} av dem eskalert"
            href = f"/hr/sektor/{sector.id}?ar={year}&fase={tally.phase.key}&status=sen"
            found.append(Attention(text, href, late))
    return sorted(found, key=lambda a: (-a.count, a.text))


def moments(
    session: Session, rt: Runtime, tallies: list[PhaseTally], titles: dict[str, str], now: datetime
) -> list[Moment]:
    """The next moments the engine acts: its next run, and the phases' coming openings, deadlines and closings."""
    found = []
    upcoming = next_due(session, rt, now)
    if upcoming is not None:
        found.append(Moment(upcoming, "Neste gang Årshjul sender e-post eller endrer en oppgave"))
    for tally in tallies:
        phase, title = tally.phase, titles[tally.phase.key]
        for at, what in (
            (phase.opens_at, "åpner, invitasjoner sendes"),
            (phase.due_at, "frist"),
            (phase.closes_at, "lukkes"),
        ):
            if at > now and not (what.startswith("åpner") and phase.status != PhaseStatus.PENDING):
                found.append(Moment(at, f"{title}: {what}"))
    return sorted(found, key=lambda m: m.at)[:4]


def focus_phase(tallies: list[PhaseTally], asked: str) -> PhaseTally | None:
    """The phase shown per sector: the one asked for, else the open phase with the most tasks, else the last begun."""
    if asked:
        return next((t for t in tallies if t.phase.key == asked), None)
    open_ones = [t for t in tallies if t.phase.status == PhaseStatus.OPEN and t.total.total]
    if open_ones:
        return max(open_ones, key=lambda t: t.total.total)
    begun = [t for t in tallies if t.total.total]
    return begun[-1] if begun else None


@router.get("/hr", response_class=HTMLResponse)
def overview(
    request: Request,
    rt: RuntimeDep,
    hr: SignedIn,
    ar: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    fase: Annotated[str, Query(max_length=64)] = "",
) -> Response:
    """The year at a glance: the årshjul, answered / open / overdue / escalated per phase and sector, what is next."""
    if hr.role == AccountRole.LEDER:  # a unit leader has no console: their own tasks are their start page
        return RedirectResponse(LEADER_HOME, status_code=303)
    now = rt.now()
    current = to_local(now).year
    year = ar or current
    titles = rt.aarshjul.phase_titles("nb")  # occurrences of repeating phases included
    with rt.session() as session:
        tallies = year_tallies(session, year, now, rt.settings.municipality, hr.scope.sector_id)
        context: dict[str, Any] = {
            "year": year,
            "current": current,
            "years": sorted({*cycle_years(session), current}, reverse=True),
            "tallies": tallies,
            "titles": titles,
            "categories": CATEGORIES,
            "bar": bar,
            "order": BAR_ORDER,
            "focus": focus_phase(tallies, fase),
            "attention": attention(year, tallies, titles, rt.aarshjul.terms)[:MAX_ATTENTION],
            "more_attention": max(0, len(attention(year, tallies, titles, rt.aarshjul.terms)) - MAX_ATTENTION),
            "moments": moments(session, rt, tallies, titles, now) if year == current else [],
            "short": short_date,
            "wheel": _wheel(year, tallies, titles, now if year == current else None),
            # HR fixes the årshjul file or the organisation; the others could do nothing about it
            "unmatched": [str(n) for n in stored_unmatched(session, rt.aarshjul)] if hr.role == AccountRole.HR else [],
        }
        return hr_render(request, hr, "hr_overview.html", context)


def short_date(moment: datetime) -> str:
    """'30.4.': a date in a table where the year is given."""
    local = to_local(moment)
    return f"{local.day}.{local.month}."


def _wheel(year: int, tallies: list[PhaseTally], titles: dict[str, str], today: datetime | None) -> Any:
    windows = [
        Window(n, titles[t.phase.key], t.phase.opens_at, t.phase.due_at, t.phase.closes_at)
        for n, t in enumerate(tallies, start=1)
    ]
    where = f" I dag er {to_local(today).strftime('%d.%m.%Y')}." if today is not None else ""
    phases = "; ".join(f"{w.number} {w.label}" for w in windows)
    return wheel(year, windows, today, f"Årshjulet {year} med fasene {phases}.{where} Datoene står i tabellen.")
