"""HR login: one password, a signed HttpOnly session cookie, and CSRF on every HR form."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from web.deps import RuntimeDep
from web.hr.login_limit import client_address, minutes, throttle_of
from web.rendering import error_page, page_language, render, runtime
from web.security import (
    SESSION_COOKIE,
    SESSION_LIFETIME,
    csrf_ok,
    csrf_token,
    new_session,
    password_ok,
    session_ok,
    tokens_match,
)

router = APIRouter()
LOGIN_SUBJECT = "hr-login"
log = logging.getLogger(__name__)


class HrLoginRequired(Exception):
    """No valid HR session: the person is sent to the login page."""

    def __init__(self, next_path: str) -> None:
        self.next_path = next_path
        super().__init__(next_path)


class CsrfFailed(Exception):
    """A form without the token this session or link gave it."""


@dataclass(frozen=True)
class HrSession:
    csrf: str
    actor: str


def hr_session(request: Request) -> HrSession:
    """The HR session from the cookie, or a redirect to the login page."""
    rt = runtime(request)
    value = request.cookies.get(SESSION_COOKIE)
    if value is None or not session_ok(rt, value, rt.now()):
        raise HrLoginRequired(request.url.path)
    return HrSession(csrf=csrf_token(rt, value), actor=f"HR ({rt.settings.hr_email})")


HrDep = Annotated[HrSession, Depends(hr_session)]


def check_csrf(hr: HrSession, token: str) -> None:
    """Refuse an HR form without this session's CSRF token (CsrfFailed: a 400 page)."""
    if not tokens_match(hr.csrf, token):
        raise CsrfFailed()


def safe_next(path: str) -> str:
    """Only an HR page of our own may be the place to return to after login."""
    return path if path.startswith("/hr") and not path.startswith("/hr/login") and "\\" not in path else "/hr"


def login_redirect(request: Request, exc: Exception) -> Response:
    """Exception handler: to the login page, remembering where the person was going."""
    target = safe_next(exc.next_path if isinstance(exc, HrLoginRequired) else "/hr")
    return RedirectResponse(f"/hr/login?neste={target}", status_code=303)


def csrf_failed(request: Request, exc: Exception) -> Response:
    """Exception handler: the form is stale or forged."""
    return error_page(request, 400, "csrf")


def _login_page(request: Request, neste: str, wrong: bool = False, wait_minutes: int = 0) -> HTMLResponse:
    rt = runtime(request)
    return render(
        request,
        "hr_login.html",
        {"csrf": csrf_token(rt, LOGIN_SUBJECT), "neste": safe_next(neste), "wrong": wrong, "wait": wait_minutes},
        language=page_language(request),
        status=429 if wait_minutes else 401 if wrong else 200,
    )


@router.get("/hr/login", response_class=HTMLResponse)
def login_form(request: Request, neste: str = "/hr") -> HTMLResponse:
    """The HR login page."""
    return _login_page(request, neste)


@router.post("/hr/login", response_class=HTMLResponse)
def login(
    request: Request, rt: RuntimeDep,
    passord: Annotated[str, Form(max_length=500)] = "",
    csrf_token: Annotated[str, Form(max_length=200)] = "",
    neste: Annotated[str, Form(max_length=500)] = "/hr",
) -> Response:
    """Check the HR password and start a session; too many failures from one address make it wait."""
    if not csrf_ok(rt, LOGIN_SUBJECT, csrf_token):
        return error_page(request, 400, "csrf")
    throttle, address, now = throttle_of(request), client_address(request), rt.now()
    if (wait := throttle.wait(address, now)) is not None:
        log.warning("HR login from %s refused: too many failed attempts", address)
        return _login_page(request, neste, wait_minutes=minutes(wait))
    if not password_ok(rt, passord):
        throttle.failed(address, now)
        return _login_page(request, neste, wrong=True)
    throttle.succeeded(address)
    response = RedirectResponse(safe_next(neste), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        new_session(rt, rt.now()),
        max_age=int(SESSION_LIFETIME.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=rt.settings.https,
        path="/",
    )
    return response


@router.post("/hr/logout")
def logout(hr: HrDep, csrf_token: Annotated[str, Form(max_length=200)] = "") -> Response:
    """End the HR session."""
    check_csrf(hr, csrf_token)
    response = RedirectResponse("/hr/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
