"""The task list to select from for a bulk action: one phase's tasks, filtered, searched and sorted, in scope."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Final
from urllib.parse import urlencode

from sqlmodel import Session

from domain.models import Phase, PhaseStatus
from domain.states import ACTIVE
from tasks.cycle.phases import phases_of
from web.hr.overview.queries import SectorRef, sector_map
from web.hr.overview.sector_page import STATUSES
from web.hr.overview.sector_queries import TaskRow, phase_tasks

SORTS: Final = (("enhet", "Enhet"), ("person", "Ansvarlig"), ("sektor", "Sektor"), ("status", "Status"),
                ("frist", "Frist"))  # fmt: skip
MAX_SEARCH: Final = 100


@dataclass(frozen=True)
class Filter:
    """What the list shows: year, phase, sector ("" = every sector in scope), state, search words, sort order, and
    the unit kind (enhetstype, "" = every kind)."""

    year: int
    phase: str = ""
    sector: str = ""
    status: str = ""
    search: str = ""
    sort: str = "enhet"
    unit_kind: str = ""

    def query(self) -> str:
        """The filter as a query string, for links back to the list."""
        fields = {"ar": self.year, "fase": self.phase, "sektor": self.sector, "status": self.status}
        kind = {"enhetstype": self.unit_kind} if self.unit_kind else {}
        return urlencode({**fields, "sok": self.search, "sorter": self.sort, **kind})


def clean_filter(
    year: int, phase: str, sector: str, status: str, search: str, sort: str, scope: str | None, unit_kind: str = ""
) -> Filter:
    """A filter from the query or form; an unknown value falls back to the default, a kommunalsjef's sector is fixed."""
    return Filter(
        year=year,
        phase=phase,
        sector=scope if scope is not None else sector,
        status=status if status in dict(STATUSES) else "",
        search=" ".join(search.split())[:MAX_SEARCH],
        sort=sort if sort in dict(SORTS) else "enhet",
        unit_kind=" ".join(unit_kind.lower().split()),  # stored kinds are lower case
    )


@dataclass(frozen=True)
class Listing:
    phases: list[Phase]
    phase: Phase | None
    sectors: list[SectorRef]
    rows: list[TaskRow]
    unit_kinds: tuple[str, ...] = ()  # the kinds the phase's units have, to filter by (none: no filter offered)

    @property
    def actionable(self) -> bool:
        """Whether any listed task can still be acted on (unanswered, in an open phase): else no action is offered."""
        open_phase = self.phase is not None and self.phase.status == PhaseStatus.OPEN
        return open_phase and any(row.assignment.state in ACTIVE for row in self.rows)


def listing(session: Session, chosen: Filter, now: datetime, municipality: str) -> Listing:
    """The filter's tasks; the phase asked for, else the year's first open one, else its first."""
    phases = phases_of(session, chosen.year)
    default = next((p for p in phases if p.status == PhaseStatus.OPEN), phases[0] if phases else None)
    phase = next((p for p in phases if p.key == chosen.phase), default)
    refs = {ref.id: ref for ref in sector_map(session, municipality).values()}
    sectors = sorted(refs.values(), key=lambda ref: ref.name)
    if phase is None or (chosen.sector and chosen.sector not in refs):
        return Listing(phases, phase, sectors, [])
    rows = phase_tasks(session, phase, now, municipality, chosen.sector or None, chosen.status)
    kinds = tuple(sorted({row.unit_kind for row in rows if row.unit_kind}))
    if chosen.unit_kind:  # an unknown kind matches nothing, as an unknown search word does
        rows = [row for row in rows if row.unit_kind == chosen.unit_kind]
    return Listing(phases, phase, sectors, _sorted(_matching(rows, chosen.search), chosen.sort), kinds)


def _matching(rows: list[TaskRow], search: str) -> list[TaskRow]:
    """Rows where every word is in the unit, the person's name or e-mail, or the sector (case-insensitive)."""
    words = search.casefold().split()
    if not words:
        return rows
    found = []
    for row in rows:
        text = f"{row.unit_name} {row.person.name} {row.person.email} {row.sector.name}".casefold()
        if all(word in text for word in words):
            found.append(row)
    return found


def _sorted(rows: list[TaskRow], sort: str) -> list[TaskRow]:
    keys: dict[str, Callable[[TaskRow], tuple[str, str]]] = {
        "enhet": lambda r: (r.unit_name, r.person.name),
        "person": lambda r: (r.person.name, r.unit_name),
        "sektor": lambda r: (r.sector.name, r.unit_name),
        "status": lambda r: (r.category, r.unit_name),
        "frist": lambda r: (r.assignment.due_at.isoformat(), r.unit_name),
    }
    return sorted(rows, key=keys[sort])
