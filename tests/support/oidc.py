"""A real OpenID Connect provider for tests (oidc-provider-mock, Flask) on 127.0.0.1, with PKCE enforced.

oidc-provider-mock 0.3 issues codes without checking PKCE, so a small WSGI layer in front of it does what a real
provider does: it remembers each code's S256 challenge and refuses a token request whose verifier does not match.
It can also corrupt the ID token's signature, to show that the app checks it.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import oidc_provider_mock
import werkzeug.serving

Environ = dict[str, Any]
StartResponse = Callable[..., Any]


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()


@dataclass
class PkceProvider:
    app: Callable[[Environ, StartResponse], Iterable[bytes]]
    challenges: dict[str, tuple[str, str]] = field(default_factory=dict)
    verified: int = 0
    refused: int = 0
    corrupt_signature: bool = False

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        if path == "/oauth2/authorize" and method == "POST":
            return self._authorize(environ, start_response)
        if path == "/oauth2/token" and method == "POST":
            return self._token(environ, start_response)
        return self.app(environ, start_response)

    def _authorize(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        asked = parse_qs(environ.get("QUERY_STRING", ""))
        seen: dict[str, str] = {}

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen.update({k.lower(): v for k, v in headers})
            return start_response(status, headers, exc_info)

        body = list(self.app(environ, remember))
        code = parse_qs(urlsplit(seen.get("location", "")).query).get("code", [""])[0]
        if code:
            self.challenges[code] = (asked.get("code_challenge", [""])[0], asked.get("code_challenge_method", [""])[0])
        return body

    def _token(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        form = parse_qs(raw.decode())
        challenge, method = self.challenges.pop(form.get("code", [""])[0], ("", ""))
        verifier = form.get("code_verifier", [""])[0]
        if not (challenge and method == "S256" and verifier and s256(verifier) == challenge):
            self.refused += 1
            start_response("400 Bad Request", [("Content-Type", "application/json")])
            return [json.dumps({"error": "invalid_grant", "error_description": "PKCE verifier mismatch"}).encode()]
        self.verified += 1
        environ["wsgi.input"], environ["CONTENT_LENGTH"] = io.BytesIO(raw), str(len(raw))
        if not self.corrupt_signature:
            return self.app(environ, start_response)
        held: list[Any] = []
        body = b"".join(self.app(environ, lambda status, headers, exc_info=None: held.extend([status, headers])))
        token = json.loads(body)
        head, payload, signature = token["id_token"].split(".")
        token["id_token"] = f"{head}.{payload}.{signature[::-1]}"
        changed = json.dumps(token).encode()
        headers = [(k, str(len(changed)) if k.lower() == "content-length" else v) for k, v in held[1]]
        start_response(held[0], headers)
        return [changed]


@dataclass
class RunningProvider:
    url: str
    pkce: PkceProvider


@contextmanager
def oidc_provider(users: Iterable[oidc_provider_mock.User]) -> Iterator[RunningProvider]:
    """The provider on a free port of 127.0.0.1, in a thread, stopped when the block ends."""
    pkce = PkceProvider(oidc_provider_mock.app(require_nonce=True, user_claims=list(users)))
    server = werkzeug.serving.make_server("127.0.0.1", 0, pkce, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield RunningProvider(f"http://127.0.0.1:{server.server_port}", pkce)
    finally:
        server.shutdown()
        thread.join(5)
        server.server_close()
