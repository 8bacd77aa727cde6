"""One phase's tasks and answers as a table HR downloads: CSV (UTF-8 with BOM, semicolons) or XLSX.

Rows: sector, unit, person, state, deadline and answer time in Oslo time, then every field of the form with the
form's own label; a list (needs, measures) is one cell, its rows separated by line breaks. Text is always text:
a cell that would start like a formula gets an apostrophe (see `text_cell`).
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from typing import Annotated, Any, Final

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from sqlmodel import Session, col, select

from domain.aarshjul.workdays import to_local
from domain.models import Answer, Phase
from tasks.cycle.phases import phases_of
from web.answer.form_specs import SPECS, FormSpec
from web.deps import RuntimeDep
from web.hr.overview.sector_queries import TaskRow, phase_tasks
from web.i18n import Translator
from web.params import Id
from web.rendering import error_page
from web.signin.access import Manager

router = APIRouter()
FORMULA_START: Final = ("=", "+", "-", "@", "\t", "\r")
STATE_NAMES: Final = {"answered": "Besvart", "open": "Åpen", "overdue": "Over fristen", "escalated": "Eskalert",
                      "excused": "Fritatt"}  # fmt: skip


def text_cell(cell: Cell, value: str) -> None:
    """Write text as text: never a formula (a leading = + - @ gets an apostrophe), stored with data type "s"."""
    cell.value = "'" + value if value.startswith(FORMULA_START) else value
    cell.data_type = "s"


def _when(moment: datetime | None) -> str:
    return to_local(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def _field_text(spec: FormSpec, content: dict[str, Any], t: Translator) -> list[str]:
    cells = [str(content.get(f.name) or "") for f in spec.scalars]
    for list_spec in spec.lists:
        rows = content.get(list_spec.name) or []
        lines = []
        for row in rows if isinstance(rows, list) else []:
            parts = [
                f"{t(f'field.{list_spec.name}.{f.name}')}: {row.get(f.name)}"
                for f in list_spec.fields
                if isinstance(row, dict) and row.get(f.name) not in (None, "", False) and f.kind != "hidden"
            ]
            lines.append("; ".join(parts))
        cells.append("\n".join(lines))
    return cells


def table(session: Session, rows: list[TaskRow], spec: FormSpec, t: Translator) -> list[list[str]]:
    """The header and one row per task, with the newest answer's fields."""
    header = [t.words["Sector"].singular, t.words["Unit"].singular, "Ansvarlig", "E-post", "Status", "Frist", "Besvart"]
    header += [t(f"field.{f.name}") for f in spec.scalars] + [t(f"list.{s.name}") for s in spec.lists]
    ids = [r.assignment.id for r in rows]
    newest: dict[int, Answer] = {}
    for saved in session.exec(select(Answer).where(col(Answer.assignment_id).in_(ids)).order_by(col(Answer.revision))):
        newest[saved.assignment_id] = saved  # ordered by revision: the last one wins
    body = []
    for r in rows:
        answer = newest.get(r.assignment.id or 0)
        fields = _field_text(spec, answer.content, t) if answer else [""] * (len(spec.scalars) + len(spec.lists))
        body.append(
            [
                r.sector.name,
                r.unit_name,
                r.person.name,
                r.person.email,
                STATE_NAMES[r.category],
                _when(r.assignment.due_at),
                _when(r.assignment.answered_at),
                *fields,
            ]
        )
    return [header, *body]


@router.get("/hr/fase/{year}/{key}/eksport.{fmt}")
def export_phase(
    request: Request,
    rt: RuntimeDep,
    hr: Manager,
    year: Id,
    key: str,
    fmt: str,
    status: Annotated[str, Query(max_length=20)] = "",
    sektor: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    """A phase's progress and answers per field as CSV or XLSX, filtered by state (`sen` = overdue) and sector."""
    with rt.session() as session:
        phase: Phase | None = next((p for p in phases_of(session, year) if p.key == key), None)
        if phase is None or fmt not in ("csv", "xlsx") or status not in ("", "sen", *STATE_NAMES):
            return error_page(request, 404, "404")
        if hr.scope.sector_id is not None:  # a kommunalsjef exports their own sector, whatever the address says
            sektor = hr.scope.sector_id
        rows = phase_tasks(session, phase, rt.now(), rt.settings.municipality, sektor, status)
        spec = SPECS[str(rt.aarshjul.phase(key).form)]  # a runnable phase always has its form
        data = table(session, rows, spec, Translator("nb", rt.aarshjul.terms))
    name = f"{key}-{year}{'-' + status if status else ''}.{fmt}"
    headers = {"content-disposition": f'attachment; filename="{name}"'}
    if fmt == "csv":
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(data)
        return Response(("\ufeff" + out.getvalue()).encode(), media_type="text/csv; charset=utf-8", headers=headers)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Oppgaver"
    for r, values in enumerate(data, start=1):
        for c, value in enumerate(values, start=1):
            text_cell(sheet.cell(row=r, column=c), value)
    buffer = io.BytesIO()
    book.save(buffer)
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(buffer.getvalue(), media_type=xlsx, headers=headers)
