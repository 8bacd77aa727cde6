"""Reading the caught mail as a leader would: find the invitations and the answer links in their text."""

from __future__ import annotations

import re
from email.message import Message
from typing import Final

LINK: Final = re.compile(r"https?://[^\s<>\"]+/svar/[A-Za-z0-9_\-.]+")


def plain_text(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            return payload.decode(part.get_content_charset() or "utf-8") if isinstance(payload, bytes) else ""
    return ""


INVITATION_HEADER: Final = re.compile(rb"^X-Arshjul-Key:[ \t]*invitation:", re.IGNORECASE | re.MULTILINE)


def header_end(raw: bytes) -> int:
    end = raw.find(b"\r\n\r\n")
    return end if end >= 0 else len(raw)
