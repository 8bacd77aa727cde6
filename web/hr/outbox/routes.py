"""The outbox in the HR console: counts and lists by state, and retry or cancel with a confirmation page."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tasks.outbox.admin import NeedsConfirmation, OutboxActionRefused
from tasks.outbox.attachments import attachment_names
from tasks.outbox.browse import STATES, as_seen, counts, page_of, plain_reason, state_of
from tasks.outbox.bulk import ACTIONS, Action, confirm, new_confirmation, select_for
from web.hr.routes import hr_render
from web.params import whole_number
from web.rendering import error_page, runtime
from web.signin.auth import HrDep, HrSession, check_csrf

router = APIRouter()
Text = Annotated[str, Query(max_length=200)]
Ids = Annotated[list[str], Query(max_length=1000)]
FormIds = Annotated[list[str], Form(max_length=1000)]
Small = Annotated[str, Form(max_length=200)]
DONE = {"retry": "{n} legges i kø og sendes ved neste utsending.", "cancel": "{n} er avbrutt og blir ikke sendt."}


def _ids(raw: list[str]) -> list[int] | None:
    """The message numbers of a selection, or None if one is not a number."""
    parsed = [whole_number(value.strip()) for value in raw]
    return None if any(number is None for number in parsed) else [n for n in parsed if n is not None]


def _messages(count: int) -> str:
    return "Én melding" if count == 1 else f"{count} meldinger"


@router.get("/hr/utboks", response_class=HTMLResponse)
def outbox(
    request: Request,
    hr: HrDep,
    tilstand: Text = "",
    sok: Text = "",
    side: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    ok: Text = "",
    antall: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> HTMLResponse:
    """The outbox: how many messages are in each state, and one page of them, filtered and searched."""
    rt = runtime(request)
    state = tilstand if tilstand in STATES else ""
    with rt.session() as session:
        found = page_of(session, state=state, search=sok, page=side)
        context = {
            "counts": counts(session), "states": STATES, "state": state, "search": sok.strip(), "found": found,
            "rows": [(m, state_of(m), plain_reason(m)) for m in found.messages],
            "files": attachment_names(session, found.messages),
            "done": DONE[ok].format(n=_messages(antall)) if ok in DONE else "",
            "query": lambda **changes: urlencode({"tilstand": state, "sok": sok.strip(), **changes}),
        }  # fmt: skip
        return hr_render(request, hr, "hr_outbox.html", context)


def _confirm_page(
    request: Request, hr: HrSession, action: Action, ids: list[int], *, problem: str = "", status: int = 200
) -> HTMLResponse:
    rt = runtime(request)
    with rt.session() as session:
        try:
            messages, notes = select_for(session, action, ids)
        except OutboxActionRefused as refused:
            return error_page(request, 400, "400", detail=str(refused))
        context = {
            "action": action, "rows": [(m, state_of(m), plain_reason(m)) for m in messages], "notes": notes,
            "seen": as_seen(messages), "confirmation": new_confirmation(rt.now()), "states": STATES,
            "uncertain": sum(1 for m in messages if m.uncertain), "problem": problem,
        }  # fmt: skip
        return hr_render(request, hr, "hr_outbox_confirm.html", context, status=status)


@router.get("/hr/utboks/bekreft", response_class=HTMLResponse)
def confirmation(request: Request, hr: HrDep, handling: Text = "", id: Ids = []) -> HTMLResponse:  # noqa: B006
    """What retrying or cancelling the selected messages will do, and a button to confirm it."""
    ids = _ids(id)
    if handling not in ACTIONS or ids is None:
        return error_page(request, 400, "400", detail="Velg «Send på nytt» eller «Avbryt» for meldinger i utboksen.")
    return _confirm_page(request, hr, ACTIONS[handling], ids)


@router.post("/hr/utboks/bekreft")
def confirmed(
    request: Request,
    hr: HrDep,
    handling: Small = "",
    id: FormIds = [],  # noqa: B006
    sett: Small = "",
    bekreftelse: Small = "",
    duplikat: Small = "",
    csrf_token: Small = "",
) -> Response:
    """Retry or cancel the messages as they were confirmed; a second confirmation, or a changed outbox, does nothing."""
    check_csrf(hr, csrf_token)
    ids = _ids(id)
    if handling not in ACTIONS or ids is None or not ids:
        return error_page(request, 400, "400", detail="Velg minst én melding i utboksen først.")
    action, rt = ACTIONS[handling], runtime(request)
    try:
        with rt.session() as session:
            done = confirm(
                session, action, ids, seen=sett, confirmation=bekreftelse, now=rt.now(), actor=hr.actor,
                duplicates_ok=duplikat == "ja",
            )  # fmt: skip
    except NeedsConfirmation as warning:
        problem = f"{warning} Kryss av for at du forstår dette for å sende likevel."
        return _confirm_page(request, hr, action, ids, problem=problem, status=400)
    except OutboxActionRefused as refused:
        return _confirm_page(request, hr, action, ids, problem=str(refused), status=400)
    return RedirectResponse(f"/hr/utboks?{urlencode({'ok': action, 'antall': len(done)})}", status_code=303)
