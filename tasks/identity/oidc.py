"""OpenID Connect sign-in: the authorization code flow with PKCE (Authlib) and a verified ID token (joserfc)."""

from __future__ import annotations

import secrets
import warnings
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.deprecate import AuthlibDeprecationWarning
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from config.settings import OidcSettings

with warnings.catch_warnings():
    # Authlib 1.9 says at import that it falls back to httpx, as its httpx2 fork is not installed; httpx is the client
    # this module's own calls and errors use, Authlib is pinned in constraints.txt, and the note otherwise reached
    # every command's output.
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client

TIMEOUT = 10.0


class SsoFailed(Exception):
    """The provider refused, or its answer could not be trusted; the message is for the log, not the person."""


@dataclass(frozen=True)
class Flow:
    """What the browser carries between leaving for the provider and coming back (in a signed cookie)."""

    state: str
    nonce: str
    verifier: str


def _metadata(settings: OidcSettings) -> dict[str, Any]:
    url = f"{str(settings.issuer).rstrip('/')}/.well-known/openid-configuration"
    try:
        response = httpx.get(url, timeout=TIMEOUT)
        response.raise_for_status()
        found: dict[str, Any] = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise SsoFailed(f"discovery at {url} failed: {error}") from error
    return found


def _client(settings: OidcSettings, redirect_uri: str) -> OAuth2Client:
    return OAuth2Client(
        client_id=settings.client_id, client_secret=settings.client_secret.get_secret_value() or None,
        scope=settings.scopes, redirect_uri=redirect_uri, code_challenge_method="S256", timeout=TIMEOUT,
        token_endpoint_auth_method="client_secret_post" if settings.client_secret.get_secret_value() else "none",
    )  # fmt: skip


def begin(settings: OidcSettings, redirect_uri: str) -> tuple[str, Flow]:
    """The provider's sign-in address for a fresh state, nonce and PKCE verifier (S256 challenge)."""
    flow = Flow(secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48))
    with _client(settings, redirect_uri) as client:
        url, _ = client.create_authorization_url(
            _metadata(settings)["authorization_endpoint"],
            state=flow.state,
            nonce=flow.nonce,
            code_verifier=flow.verifier,
        )
    return str(url), flow


def finish(settings: OidcSettings, redirect_uri: str, code: str, flow: Flow) -> dict[str, Any]:
    """Exchange the code (with the verifier) and return the ID token's claims once signature and claims check out."""
    meta = _metadata(settings)
    try:
        with _client(settings, redirect_uri) as client:
            token = client.fetch_token(meta["token_endpoint"], code=code, code_verifier=flow.verifier)
        keys = KeySet.import_key_set(httpx.get(meta["jwks_uri"], timeout=TIMEOUT).raise_for_status().json())
        decoded = jwt.decode(str(token["id_token"]), keys)
        jwt.JWTClaimsRegistry(
            iss={"essential": True, "value": meta["issuer"]},
            aud={"essential": True, "value": settings.client_id},
            nonce={"essential": True, "value": flow.nonce},
            exp={"essential": True},
            sub={"essential": True},
        ).validate(decoded.claims)
    except (httpx.HTTPError, JoseError, KeyError, ValueError) as error:
        raise SsoFailed(f"token exchange or ID token check failed: {error}") from error
    except Exception as error:  # Authlib's OAuth errors (invalid_grant when PKCE does not match) share no base here
        raise SsoFailed(f"the provider refused the code: {error}") from error
    return dict(decoded.claims)
