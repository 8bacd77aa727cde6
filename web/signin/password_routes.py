""" "Glemt passord": ask for a one-time link by e-mail, then set a new password with it (no JavaScript needed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from tasks.identity.accounts import normalise
from tasks.identity.passwords import WeakPassword
from tasks.identity.reset import ResetRefused, account_for_code, request_reset, reset_password
from tasks.identity.throttle import RESET_PREFIX, count_failure, must_wait
from web.deps import RuntimeDep
from web.rendering import error_page, page_language, render, runtime
from web.security import csrf_ok, csrf_token
from web.signin.auth import SIGN_IN
from web.signin.client_address import client_address

router = APIRouter()
FORGOT_SUBJECT, NEW_SUBJECT = "forgot-password", "new-password"
Field = Annotated[str, Form(max_length=500)]
Token = Annotated[str, Form(max_length=200)]


def _forgot_page(request: Request, *, sent: bool = False, minutes: int = 0, status: int = 200) -> HTMLResponse:
    rt = runtime(request)
    context = {
        "csrf": csrf_token(rt, FORGOT_SUBJECT),
        "sent": sent,
        "wait": minutes,
        "valid": rt.settings.auth.reset_link_minutes,
    }
    return render(request, "forgot_password.html", context, language=page_language(request), status=status)


@router.get("/glemt-passord", response_class=HTMLResponse)
def forgot_form(request: Request) -> HTMLResponse:
    """Ask for a link to set a new password."""
    return _forgot_page(request)


@router.post("/glemt-passord", response_class=HTMLResponse)
def forgot(request: Request, rt: RuntimeDep, epost: Field = "", csrf_token: Token = "") -> HTMLResponse:
    """Queue the reset e-mail if the address has an account; the answer is the same either way."""
    if not csrf_ok(rt, FORGOT_SUBJECT, csrf_token):
        return error_page(request, 400, "csrf")
    # Each request counts like a failed sign-in (under its own name), so the form cannot be used to flood a mailbox.
    counted, now = RESET_PREFIX + normalise(epost), rt.now()
    address = client_address(request, rt.settings.auth.trusted_proxies)
    with rt.session() as session:
        wait = must_wait(session, rt.settings.auth, counted, address, now)
        if wait is None:
            count_failure(session, rt.settings.auth, counted, address, now)
            request_reset(session, rt, epost, now, address=address)
    if wait is not None:
        return _forgot_page(request, minutes=wait.minutes(now), status=429)
    return _forgot_page(request, sent=True)


def _new_page(request: Request, code: str, *, problem: str = "", status: int = 200) -> HTMLResponse:
    rt = runtime(request)
    context = {"csrf": csrf_token(rt, NEW_SUBJECT + code), "code": code, "problem": problem}
    return render(request, "new_password.html", context, language=page_language(request), status=status)


@router.get("/nytt-passord", response_class=HTMLResponse)
def new_password_form(request: Request, rt: RuntimeDep, kode: str = "") -> HTMLResponse:
    """The form behind the e-mailed link, if the link is still good."""
    try:
        with rt.session() as session:
            account_for_code(session, kode, rt.now())
    except ResetRefused as refused:
        return error_page(request, 400, "400", detail=str(refused))
    return _new_page(request, kode)


@router.post("/nytt-passord", response_class=HTMLResponse)
def new_password(
    request: Request, rt: RuntimeDep, kode: Token = "", passord: Field = "", gjenta: Field = "", csrf_token: Token = ""
) -> Response:
    """Set the new password; every session of the person ends, and they sign in again."""
    if not csrf_ok(rt, NEW_SUBJECT + kode, csrf_token):
        return error_page(request, 400, "csrf")
    if passord != gjenta:
        return _new_page(request, kode, problem="mismatch", status=400)
    try:
        with rt.session() as session:
            reset_password(session, kode, passord, rt.now())
    except ResetRefused as refused:
        return error_page(request, 400, "400", detail=str(refused))
    except WeakPassword as weak:
        return _new_page(request, kode, problem=str(weak), status=400)
    return RedirectResponse(f"{SIGN_IN}?ok=password_changed", status_code=303)
