"""The event log as CSV, filtered as on the page, with the same Norwegian sentences and Oslo time."""

from __future__ import annotations

import csv
import io
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from domain.aarshjul.workdays import to_local
from web.deps import RuntimeDep
from web.hr.events.queries import GROUPS, filtered_all
from web.hr.events.text import describe_events
from web.rendering import error_page
from web.signin.auth import HrDep

router = APIRouter()
FORMULA_START = ("=", "+", "-", "@")


def _text(value: str) -> str:
    """A cell a spreadsheet will not read as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


@router.get("/hr/hendelser/eksport.csv")
def export_events(
    request: Request,
    rt: RuntimeDep,
    hr: HrDep,
    type: Annotated[str, Query(max_length=20)] = "",
    fase: Annotated[str, Query(max_length=64)] = "",
    ar: Annotated[int | None, Query(ge=2000, le=2100)] = None,
) -> Response:
    """The filtered event log as CSV (UTF-8 with BOM, semicolons), newest first."""
    if type not in GROUPS:
        return error_page(request, 404, "404")
    with rt.session() as session:
        events = filtered_all(session, group=type, phase_key=fase, year=ar)
        texts = describe_events(session, events, rt.aarshjul.terms)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Tidspunkt", "Hendelse", "Utført av", "Fase", "Oppgave", "Type"])
    for e in events:
        writer.writerow(
            [
                to_local(e.at).strftime("%d.%m.%Y %H:%M"),
                _text(texts[e.id or 0]),
                _text(e.actor),
                e.phase_key or "",
                e.assignment_id or "",
                e.kind,
            ]
        )
    headers = {"content-disposition": 'attachment; filename="hendelser.csv"'}
    return Response(("\ufeff" + out.getvalue()).encode(), media_type="text/csv; charset=utf-8", headers=headers)
