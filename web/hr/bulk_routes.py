"""Bulk actions in the console: select tasks, choose an action, see a preview of every task, confirm, see the result.

HR may remind, extend, excuse and hand over; a kommunalsjef may remind and extend within their own sector (as on the
task page). The server checks the scope of every id, so an edited form reaches no other sector's task.
"""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from domain.aarshjul.workdays import to_local
from domain.bulk import BULK_TITLES, HR_ONLY_KINDS, BulkKind
from domain.identity import AccountRole
from domain.plan.wording import headings
from tasks.cycle.bulk import (
    MAX_TASKS,
    BulkRequest,
    Guard,
    Line,
    PlanChanged,
    UnknownTasks,
    check_scope,
    confirm,
    preview,
)
from tasks.runtime import Runtime
from web.deps import RuntimeDep
from web.hr.bulk_form import KEY, BulkForm, Checked, Problem, bulk_request, check_action, parse_ids
from web.hr.bulk_list import SORTS, Filter, clean_filter, listing
from web.hr.deadline_reach import beyond_own_reach
from web.hr.overview.sector_page import STATUSES
from web.hr.routes import hr_render
from web.params import whole_number
from web.signin.access import Manager, SignedInUser
from web.signin.auth import check_csrf

router = APIRouter()
Text = Annotated[str, Query(max_length=200)]
BACK_WITH_IDS = 300  # a link back to the list keeps the selection up to this many tasks (the address stays short)


def offered(user: SignedInUser) -> list[BulkKind]:
    """The actions this person may take: all for HR; reminding and moving deadlines for a kommunalsjef."""
    return [kind for kind in BulkKind if user.role == AccountRole.HR or kind not in HR_ONLY_KINDS]


@router.get("/hr/oppgaver", response_class=HTMLResponse)
def task_list(
    request: Request,
    rt: RuntimeDep,
    hr: Manager,
    ar: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    fase: Annotated[str, Query(max_length=64)] = "",
    sektor: Annotated[str, Query(max_length=64)] = "",
    status: Annotated[str, Query(max_length=20)] = "",
    sok: Text = "",
    sorter: Annotated[str, Query(max_length=20)] = "",
    enhetstype: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """One phase's tasks to choose from, searched, filtered and sorted, with the actions for the selected ones."""
    year = ar or to_local(rt.now()).year
    chosen = clean_filter(year, fase, sektor, status, sok, sorter, hr.scope.sector_id, enhetstype)
    ids, _bad = parse_ids(request.query_params.getlist("oppgave")[:BACK_WITH_IDS])
    return list_page(request, rt, hr, chosen, BulkForm(), selected=set(ids))


def list_page(
    request: Request,
    rt: Runtime,
    hr: SignedInUser,
    chosen: Filter,
    form: BulkForm,
    *,
    selected: set[int],
    checked: Checked | None = None,
    status: int = 200,
) -> HTMLResponse:
    with rt.session() as session:
        found = listing(session, chosen, rt.now(), rt.settings.municipality)
        labels = headings([label for _, label in SORTS], rt.aarshjul.terms["nb"])  # "Enhet" in the municipality's word
        sorts = [(value, label) for (value, _), label in zip(SORTS, labels, strict=True)]
        context: dict[str, Any] = {
            "chosen": chosen, "found": found, "form": form, "selected": selected, "checked": checked or Checked(),
            "kinds": offered(hr) if found.actionable else [], "titles": BULK_TITLES, "statuses": STATUSES,
            "sorts": sorts, "phase_titles": {p.key: p.title.get("nb") for p in rt.aarshjul.phases},
        }  # fmt: skip
        return hr_render(request, hr, "hr_bulk_list.html", context, status=status)


def _filter_of(rt: Runtime, hr: SignedInUser, form: BulkForm) -> Filter:
    year = whole_number(form.ar, high=2100) or 0
    year = year if year >= 2000 else to_local(rt.now()).year
    scope = hr.scope.sector_id
    return clean_filter(year, form.fase, form.sektor, form.status, form.sok, form.sorter, scope, form.enhetstype)


def _checked_request(
    request: Request, rt: Runtime, hr: SignedInUser, chosen: Filter, form: BulkForm
) -> BulkRequest | HTMLResponse:
    """The request to preview or confirm, or the list page again (400) with every problem in its summary."""
    checked = check_action(form)
    if checked.kind in HR_ONLY_KINDS and hr.role != AccountRole.HR:
        raise HTTPException(status_code=403)
    ids, bad = parse_ids(form.oppgave)
    if form.alle and not bad:
        with rt.session() as session:
            ids = [row.assignment.id or 0 for row in listing(session, chosen, rt.now(), rt.settings.municipality).rows]
    unknown = bad
    if ids and not bad:
        try:
            with rt.session() as session:
                check_scope(session, tuple(ids), hr.scope.sector_id)
        except UnknownTasks as outside:
            unknown = [str(n) for n in outside.ids]
    problems = []
    if unknown:
        text = f"Fant ikke oppgave nr. {', '.join(unknown[:10])} blant oppgavene du kan endre. Velg på nytt i listen."
        problems.append(Problem("oppgaver", "Oppgaver", text))
    elif not ids:
        text = "Velg minst én oppgave, eller velg alle som passer filteret."
        problems.append(Problem("oppgaver", "Oppgaver", text))
    elif len(ids) > MAX_TASKS:
        problems.append(Problem("oppgaver", "Oppgaver", f"Velg høyst {MAX_TASKS} oppgaver om gangen."))
    checked.problems[:0] = problems
    if checked.problems:
        keep = set(ids) - {whole_number(n) for n in unknown}
        return list_page(request, rt, hr, chosen, form, selected=keep, checked=checked, status=400)
    return bulk_request(checked, ids, form)


def _guard(rt: Runtime, hr: SignedInUser, bulk: BulkRequest) -> Guard | None:
    """A kommunalsjef moves a deadline no further than the phase's closing date, as on the task page."""
    day = bulk.day
    if bulk.kind != BulkKind.EXTEND or day is None:
        return None
    return lambda task_id: beyond_own_reach(rt, hr, task_id, day)


def preview_page(
    request: Request,
    hr: SignedInUser,
    chosen: Filter,
    bulk: BulkRequest,
    lines: list[Line],
    key: str,
    *,
    changed: bool = False,
    status: int = 200,
) -> HTMLResponse:
    ids = [str(n) for n in bulk.ids]
    back = chosen.query() + "".join(f"&oppgave={n}" for n in ids[:BACK_WITH_IDS] if len(ids) <= BACK_WITH_IDS)
    context = {
        "chosen": chosen, "bulk": bulk, "title": BULK_TITLES[bulk.kind], "key": key, "changed": changed,
        "done": [line for line in lines if line.done], "skipped": [line for line in lines if not line.done],
        "back": back,
    }  # fmt: skip
    return hr_render(request, hr, "hr_bulk_preview.html", context, status=status)


@router.post("/hr/oppgaver/forhandsvisning", response_class=HTMLResponse)
def preview_selected(request: Request, rt: RuntimeDep, hr: Manager, form: Annotated[BulkForm, Form()]) -> HTMLResponse:
    """What the chosen action would do to each selected task, and which are skipped and why; nothing changes yet."""
    check_csrf(hr, form.csrf_token)
    chosen = _filter_of(rt, hr, form)
    bulk = _checked_request(request, rt, hr, chosen, form)
    if isinstance(bulk, HTMLResponse):
        return bulk
    lines = preview(rt, bulk, actor=hr.actor, now=rt.now(), guard=_guard(rt, hr, bulk))
    return preview_page(request, hr, chosen, bulk, lines, secrets.token_urlsafe(24))


@router.post("/hr/oppgaver/utfor", response_class=HTMLResponse)
def confirm_selected(request: Request, rt: RuntimeDep, hr: Manager, form: Annotated[BulkForm, Form()]) -> HTMLResponse:
    """Do what the preview showed, in one transaction; the same form sent twice is done once."""
    check_csrf(hr, form.csrf_token)
    chosen = _filter_of(rt, hr, form)
    if not _valid_key(form.nokkel):
        again = Problem("handling-purring", "Handling", "Forhåndsvis handlingen før du bekrefter.")
        checked = Checked(problems=[again])
        ids, _bad = parse_ids(form.oppgave)
        return list_page(request, rt, hr, chosen, form, selected=set(ids), checked=checked, status=400)
    bulk = _checked_request(request, rt, hr, chosen, form.model_copy(update={"alle": ""}))
    if isinstance(bulk, HTMLResponse):
        return bulk
    planned = frozenset(parse_ids(form.planlagt)[0])
    try:
        outcome = confirm(
            rt, bulk, key=form.nokkel, planned=planned, account_id=hr.id, actor=hr.actor, now=rt.now(),
            guard=_guard(rt, hr, bulk),
        )  # fmt: skip
    except PlanChanged as changed:
        return preview_page(request, hr, chosen, bulk, changed.lines, form.nokkel, changed=True, status=409)
    lines = outcome.lines
    context = {
        "chosen": chosen, "title": BULK_TITLES[bulk.kind], "repeated": outcome.repeated,
        "done": [line for line in lines if line.done], "skipped": [line for line in lines if not line.done],
    }  # fmt: skip
    return hr_render(request, hr, "hr_bulk_result.html", context)


def _valid_key(key: str) -> bool:
    return KEY.fullmatch(key) is not None
