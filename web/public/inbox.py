"""The development mail inbox: what the local SMTP catcher received, newest first."""

from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from notifications.catcher import MailCatcher
from web.params import Id
from web.rendering import error_page, page_language, render

router = APIRouter()
URL = re.compile(r"https?://[^\s<>\"']+")
# The HTML part is shown in a sandboxed iframe (no scripts); its inline styles need 'unsafe-inline'.
INBOX_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'none'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def _catcher(request: Request) -> MailCatcher:
    catcher: MailCatcher = request.app.state.catcher
    return catcher


def _part(message: EmailMessage, subtype: str) -> str:
    part = message.get_body(preferencelist=(subtype,))
    return str(part.get_content()) if part is not None else ""


def linkify(text: str) -> Markup:
    """Plain text made safe for HTML, with its web addresses clickable."""
    escaped = str(escape(text))
    return Markup(URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped))


def summary(number: int, message: EmailMessage) -> dict[str, Any]:
    return {
        "n": number,
        "from": str(message.get("From", "")),
        "to": str(message.get("To", "")),
        "subject": str(message.get("Subject", "")),
        "date": str(message.get("Date", "")),
    }


@router.get("/innboks", response_class=HTMLResponse)
def inbox(request: Request) -> HTMLResponse:
    """Every message the development mail catcher has received, newest first."""
    messages = _catcher(request).messages()
    rows = [summary(number, message) for number, message in enumerate(messages, start=1)]
    return render(request, "inbox.html", {"rows": list(reversed(rows))}, language=page_language(request))


@router.get("/innboks/{number}", response_class=HTMLResponse)
def inbox_message(request: Request, number: Id) -> HTMLResponse:
    """One received message: its text with clickable links, and its HTML part in a sandboxed frame."""
    messages = _catcher(request).messages()
    if not 1 <= number <= len(messages):
        return error_page(request, 404, "404")
    message = messages[number - 1]
    response = render(
        request,
        "inbox_message.html",
        {
            "m": summary(number, message),
            "text": linkify(_part(message, "plain")),
            "html": _part(message, "html"),
        },
        language=page_language(request),
    )
    response.headers["Content-Security-Policy"] = INBOX_CSP
    return response
