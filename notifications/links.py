"""Signed, expiring, single-purpose answer links; checked against the injected clock, never the wall clock."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum


class LinkProblem(StrEnum):
    MALFORMED = "malformed"
    TAMPERED = "tampered"
    EXPIRED = "expired"
    REVOKED = "revoked"
    WRONG_PURPOSE = "wrong_purpose"


class LinkError(ValueError):
    def __init__(self, problem: LinkProblem, assignment_id: int | None = None) -> None:
        self.problem = problem
        self.assignment_id = assignment_id
        super().__init__(problem.value)


@dataclass(frozen=True)
class LinkClaims:
    assignment_id: int
    person_id: int
    version: int
    expires_at: datetime
    purpose: str


class LinkSigner:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("arshjul-links:" + secret).encode()).digest()

    def sign(self, claims: LinkClaims) -> str:
        body = json.dumps(
            [
                claims.assignment_id,
                claims.person_id,
                claims.version,
                int(claims.expires_at.timestamp()),
                claims.purpose,
            ],
            separators=(",", ":"),
        ).encode()
        return f"{_b64(body)}.{_b64(self._mac(body))}"

    def verify(self, token: str, *, now: datetime, purpose: str) -> LinkClaims:
        try:
            body_part, mac_part = token.split(".")
            body = _unb64(body_part)
            mac = _unb64(mac_part)
        except (ValueError, TypeError):
            raise LinkError(LinkProblem.MALFORMED) from None
        if not hmac.compare_digest(mac, self._mac(body)):
            raise LinkError(LinkProblem.TAMPERED)
        assignment_id, person_id, version, expires, link_purpose = json.loads(body)
        claims = LinkClaims(assignment_id, person_id, version, datetime.fromtimestamp(expires, UTC), link_purpose)
        if claims.purpose != purpose:
            raise LinkError(LinkProblem.WRONG_PURPOSE, assignment_id)
        if now >= claims.expires_at:
            raise LinkError(LinkProblem.EXPIRED, assignment_id)
        return claims

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._key, body, hashlib.sha256).digest()[:18]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
