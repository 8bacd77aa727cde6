"""The year's moments as an iCalendar file in the console (`/hr/kalender.ics?aar=2027`), as `arshjul calendar --ics`.

Only for signed-in console roles: a subscription address that calendar apps fetch without a session would need a
long-lived token that can be revoked per account, which the signed answer links (one task, one person, until the
phase closes) are not.
"""

from __future__ import annotations

from typing import Annotated, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from domain.aarshjul.workdays import to_local
from domain.aarshjul.year_ics import year_ics
from web.deps import RuntimeDep
from web.params import whole_number
from web.rendering import error_page
from web.signin.access import Console

router = APIRouter()
FIRST_YEAR: Final = 2000
LAST_YEAR: Final = 2100


@router.get("/hr/kalender.ics", response_model=None)
def calendar_file(
    request: Request, rt: RuntimeDep, user: Console, aar: Annotated[str, Query(max_length=40)] = ""
) -> Response:
    """The year's openings, deadlines, reminders, meetings, notices and closed periods as an ICS file."""
    year = whole_number(aar.strip(), high=LAST_YEAR) if aar else to_local(rt.now()).year
    if year is None or year < FIRST_YEAR:
        detail = (
            f"«{aar}» er ikke et årstall Årshjul kan lage kalender for. Skriv et år fra {FIRST_YEAR} til "
            f"{LAST_YEAR}, for eksempel /hr/kalender.ics?aar={to_local(rt.now()).year}."
        )
        return error_page(request, 400, "400", detail=detail)
    try:
        text = year_ics(rt.aarshjul, year)
    except ValueError as problem:  # a date rule or closed period that does not work out in that year
        return error_page(request, 400, "400", detail=f"Datoene i årshjulet for {year} kan ikke regnes ut: {problem}")
    return Response(
        text.encode("utf-8"),
        media_type="text/calendar; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="arshjul-{year}.ics"'},
    )
