"""Signing in to the console: e-mail and password at /logg-inn, a server-side session, CSRF on every form."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session

from domain.identity import AccountRole, UserAccount
from tasks.identity.accounts import end_all_sessions, find_account, normalise
from tasks.identity.passwords import hash_password, needs_rehash, verify_password
from tasks.identity.sessions import start_session
from tasks.identity.throttle import count_failure, forget_failures, must_wait
from tasks.runtime import Runtime
from web.deps import RuntimeDep
from web.rendering import error_page, page_language, render, runtime
from web.security import SESSION_COOKIE, csrf_ok, csrf_token, tokens_match
from web.signin.access import LEADER_HOME, HrLoginRequired, HrOnly, SignedIn, SignedInUser
from web.signin.client_address import client_address

__all__ = ["HrDep", "HrLoginRequired", "HrSession", "check_csrf", "router"]
router = APIRouter()
LOGIN_SUBJECT = "hr-login"
SIGN_IN = "/logg-inn"
log = logging.getLogger(__name__)
HrSession = SignedInUser
HrDep = HrOnly
Field = Annotated[str, Form(max_length=500)]


class CsrfFailed(Exception):
    """A form without the token this session or link gave it."""


def check_csrf(user: SignedInUser, token: str) -> None:
    """Refuse a console form without this session's CSRF token (CsrfFailed: a 400 page)."""
    if not tokens_match(user.csrf, token):
        raise CsrfFailed()


def safe_next(path: str) -> str:
    """Only a console page of our own may be the place to return to after signing in."""
    ours = path.startswith(("/hr", LEADER_HOME))
    return path if ours and not path.startswith("//") and "\\" not in path else "/hr"


def landing(account: UserAccount, target: str) -> str:
    """Where a sign-in ends: the page asked for, except that a unit leader's console is their own tasks."""
    if account.role == AccountRole.LEDER and not target.startswith(LEADER_HOME):
        return LEADER_HOME
    return target


def login_redirect(request: Request, exc: Exception) -> Response:
    """Exception handler: to the sign-in page, remembering where the person was going."""
    target = safe_next(exc.next_path if isinstance(exc, HrLoginRequired) else "/hr")
    return RedirectResponse(f"{SIGN_IN}?neste={target}", status_code=303)


def csrf_failed(request: Request, exc: Exception) -> Response:
    """Exception handler: the form is stale or forged."""
    return error_page(request, 400, "csrf")


def sign_in_page(
    request: Request, neste: str = "/hr", *, problem: str = "", minutes: int = 0, notice: str = "", status: int = 200
) -> HTMLResponse:
    rt = runtime(request)
    context = {
        "csrf": csrf_token(rt, LOGIN_SUBJECT),
        "neste": safe_next(neste),
        "problem": problem,
        "minutes": minutes,
        "notice": notice,
        "sso": rt.settings.oidc.button if rt.settings.oidc.enabled else "",
    }
    return render(request, "sign_in.html", context, language=page_language(request), status=status)


@router.get(SIGN_IN, response_class=HTMLResponse)
def sign_in_form(request: Request, neste: str = "/hr", ok: str = "") -> HTMLResponse:
    """The sign-in page."""
    notice = ok if ok in ("signed_out", "password_changed") else ""
    return sign_in_page(request, neste, notice=notice)


@router.post(SIGN_IN, response_class=HTMLResponse)
def sign_in(
    request: Request,
    rt: RuntimeDep,
    epost: Field = "",
    passord: Field = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    neste: Field = "/hr",
) -> Response:
    """Check e-mail and password and start a fresh session; too many failures make the account or address wait."""
    if not csrf_ok(rt, LOGIN_SUBJECT, csrf_token):
        return error_page(request, 400, "csrf")
    email, address, now = normalise(epost), client_address(request, rt.settings.auth.trusted_proxies), rt.now()
    with rt.session() as session:
        wait = must_wait(session, rt.settings.auth, email, address, now)
        account = None if wait else _check(session, rt, email, passord)
        if wait is None and account is None:
            count_failure(session, rt.settings.auth, email, address, now)
    if wait is not None:
        log.warning("sign-in refused: too many failures (%s)", "account" if wait.account_locked else address)
        problem = "locked" if wait.account_locked else "throttled"
        return sign_in_page(request, neste, problem=problem, minutes=wait.minutes(now), status=429)
    if account is None:
        return sign_in_page(request, neste, problem="wrong", status=401)
    return start_and_redirect(request, rt, account, safe_next(neste))


def _check(session: Session, rt: Runtime, email: str, password: str) -> UserAccount | None:
    """The account if the password is right and it may sign in; a right password clears its failure count."""
    account = find_account(session, email) if email else None
    if not verify_password(account.password_hash if account else None, password) or account is None:
        return None
    if account.disabled:
        return None
    forget_failures(session, email)
    if account.password_hash and needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
        session.add(account)
    session.flush()
    return account


def start_and_redirect(request: Request, rt: Runtime, account: UserAccount, target: str) -> Response:
    """A new session id for this sign-in (the browser's old one ends), as an HttpOnly cookie; Secure over https."""
    with rt.session() as session:
        token = start_session(
            session, rt.settings.auth, account, rt.now(), replacing=request.cookies.get(SESSION_COOKIE)
        )
    response = RedirectResponse(landing(account, target), status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, max_age=rt.settings.auth.session_max_hours * 3600, httponly=True, samesite="lax",
        secure=rt.settings.https, path="/",
    )  # fmt: skip
    return response


@router.post("/logg-ut")
def sign_out(
    request: Request, rt: RuntimeDep, user: SignedIn, csrf_token: Annotated[str, Form(max_length=200)] = ""
) -> Response:
    """Sign out: every session of this person ends on the server (other browsers too), and the cookie is forgotten."""
    check_csrf(user, csrf_token)
    with rt.session() as session:
        account = session.get(UserAccount, user.id)
        if account is not None:
            end_all_sessions(session, account)
    response = RedirectResponse(f"{SIGN_IN}?ok=signed_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
