"""A new link for someone whose link expired or stopped working, asked for by e-mail address only.

The request does the same work whoever asks: it checks the form and records the request, nothing more. The
dispatcher looks the address up and queues the e-mail (tasks.answers.link_requests), so the page's answer and its
timing are the same for a registered address and an unknown one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Final

from sqlmodel import Session

from domain.text_rules import has_control
from tasks.answers.link_requests import record_link_request

# The same sentence whether or not the address is known, so the page does not reveal who exists.
NEUTRAL: Final = "Hvis adressen er registrert hos oss, får du en ny lenke på e-post."


def request_new_link(session: Session, email: str, *, now: datetime) -> bool:
    """Record the request (False, and nothing recorded, for text no address can hold: control characters)."""
    if has_control(email):
        return False
    record_link_request(session, email, now=now)
    return True
