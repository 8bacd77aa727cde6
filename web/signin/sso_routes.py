"""Single sign-on: to the municipality's OpenID Connect provider and back, then a session like any other sign-in."""

from __future__ import annotations

import base64
import json
import logging
from typing import Final

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from tasks.identity.oidc import Flow, SsoFailed, begin, finish
from tasks.identity.sso_accounts import account_for_sign_on
from tasks.runtime import Runtime
from web.deps import RuntimeDep
from web.rendering import error_page
from web.security import csrf_ok, csrf_token
from web.signin.auth import safe_next, start_and_redirect

router = APIRouter()
FLOW_COOKIE: Final = "arshjul_sso"
CALLBACK: Final = "/logg-inn/sso/svar"
log = logging.getLogger(__name__)


def _redirect_uri(rt: Runtime) -> str:
    return rt.settings.base_url.rstrip("/") + CALLBACK


def _seal(rt: Runtime, flow: Flow, neste: str) -> str:
    """The flow as a cookie value, MAC'd with the secret key so the browser can carry but not change it."""
    body = base64.urlsafe_b64encode(json.dumps([flow.state, flow.nonce, flow.verifier, neste]).encode()).decode()
    return f"{body}.{csrf_token(rt, 'sso:' + body)}"


def _unseal(rt: Runtime, value: str) -> tuple[Flow, str] | None:
    body, _, mac = value.partition(".")
    if not csrf_ok(rt, "sso:" + body, mac):
        return None
    try:
        state, nonce, verifier, neste = json.loads(base64.urlsafe_b64decode(body))
    except (ValueError, TypeError):
        return None
    return Flow(str(state), str(nonce), str(verifier)), str(neste)


@router.get("/logg-inn/sso")
def sso_start(request: Request, rt: RuntimeDep, neste: str = "/hr") -> Response:
    """Leave for the provider's sign-in with a fresh state, nonce and PKCE challenge."""
    if not rt.settings.oidc.enabled:
        raise HTTPException(status_code=404)
    try:
        url, flow = begin(rt.settings.oidc, _redirect_uri(rt))
    except SsoFailed as failed:
        log.warning("single sign-on could not start: %s", failed)
        return error_page(request, 502, "sso", detail="Innloggingstjenesten svarer ikke. Prøv igjen om litt.")
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(
        FLOW_COOKIE, _seal(rt, flow, safe_next(neste)), max_age=600, httponly=True, samesite="lax",
        secure=rt.settings.base_url.startswith("https://"), path=CALLBACK,
    )  # fmt: skip
    return response


@router.get(CALLBACK)
def sso_return(request: Request, rt: RuntimeDep, code: str = "", state: str = "") -> Response:
    """Back from the provider: check state, exchange the code with the verifier, verify the ID token, sign in."""
    if not rt.settings.oidc.enabled:
        raise HTTPException(status_code=404)
    sealed = _unseal(rt, request.cookies.get(FLOW_COOKIE, ""))
    if sealed is None or not code or state != sealed[0].state:
        return error_page(request, 400, "sso", detail="Innloggingen ble avbrutt eller er for gammel. Prøv igjen.")
    flow, neste = sealed
    try:
        claims = finish(rt.settings.oidc, _redirect_uri(rt), code, flow)
    except SsoFailed as failed:
        log.warning("single sign-on refused: %s", failed)
        return error_page(request, 400, "sso", detail="Innloggingen kunne ikke bekreftes. Prøv igjen.")
    with rt.session() as session:
        account = account_for_sign_on(session, rt.settings.oidc, claims, rt.now())
        session.flush()
        if account is not None:
            session.expunge(account)
    if account is None:
        return error_page(request, 403, "sso", detail="Du har ikke tilgang til Årshjul. Be HR om tilgang.")
    response = start_and_redirect(request, rt, account, neste)
    response.delete_cookie(FLOW_COOKIE, path=CALLBACK)
    return response
