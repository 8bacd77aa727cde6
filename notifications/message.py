"""Building one outgoing email: headers that cannot be injected, text+HTML bodies, an ICS deadline, attached files.

`build_message` assembles an `EmailMessage` with the email package; it defines what we send.
`notifications.wire.render_message` writes the same message straight to its SMTP bytes, for the outbox.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import base64mime, quoprimime
from email.charset import RFC2047_CHROME_LEN, Charset
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr
from functools import lru_cache
from typing import Any, Final

from domain.aarshjul.ics import IcsEvent, render_calendar
from notifications.templating import Language

_FORBIDDEN_IN_HEADERS: Final = ("\r", "\n", "\x00")
_FORBIDDEN_IN_ADDRESSES: Final = frozenset(' \t,;<>"()[]\\')
MAX_LINE: Final = 78
_DEADLINE_PREFIX: Final[dict[str, str]] = {"nb": "Frist", "nn": "Frist", "en": "Deadline"}


class HeaderInjectionError(ValueError):
    """A header value would break out of its header line or name more than one mailbox."""


@dataclass(frozen=True)
class MailAttachment:
    """A file attached to a message (a notice's form, a plan PDF): its name, MIME type and bytes."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class OutgoingMail:
    idempotency_key: str
    to_address: str
    to_name: str
    subject: str
    text: str
    html: str
    ics: str | None = None
    ics_filename: str = "frist.ics"
    reply_to: str | None = None
    attachments: tuple[MailAttachment, ...] = ()


def _check_line(field: str, value: str) -> str:
    if any(char in value for char in _FORBIDDEN_IN_HEADERS):
        raise HeaderInjectionError(f"{field} contains a line break or NUL: {value!r}")
    return value


def check_address(field: str, address: str) -> str:
    """Exactly one plain mailbox (local@domain), nothing that could smuggle a second recipient."""
    _check_line(field, address)
    if not address or any(char in _FORBIDDEN_IN_ADDRESSES for char in address):
        raise HeaderInjectionError(f"{field} is not a single plain address: {address!r}")
    if address.count("@") != 1:
        raise HeaderInjectionError(f"{field} must contain exactly one '@': {address!r}")
    _, parsed = parseaddr(address)
    local, _, domain = parsed.partition("@")
    if parsed != address or not local or not domain or domain.startswith(".") or domain.endswith("."):
        raise HeaderInjectionError(f"{field} is not a valid address: {address!r}")
    return address


class _Utf8(Charset):
    """UTF-8 exactly as email.charset.Charset("utf-8") encodes header text, but in linear time.

    The stdlib splits a long value into encoded words by re-encoding and re-measuring the whole growing word for
    every character (quadratic: ~0.15 ms for a subject). Q-encoded length is a sum over the octets and B-encoded
    length a function of their count, so both can be kept as running totals; the words, and where they split,
    stay the same (tests/unit/test_message_wire.py compares the two on thousands of strings).
    """

    def __init__(self) -> None:
        super().__init__("utf-8")

    def header_encode_lines(self, string: str, maxlengths: Iterator[int]) -> list[str | None]:
        octets = string.encode("utf-8")
        # Charset("utf-8").header_encoding is SHORTEST: B if strictly shorter, else Q (Charset._get_encoder).
        q = not base64mime.header_length(octets) < quoprimime.header_length(octets)
        encode = quoprimime.header_encode if q else base64mime.header_encode
        extra = len("utf-8") + RFC2047_CHROME_LEN
        lines: list[str | None] = []
        word: list[str] = []
        size = 0  # Q: the encoded length of `word`; B: its octet count
        maxlen = next(maxlengths) - extra
        for character in string:
            cost = _q_length(character) if q else len(character.encode("utf-8"))
            length = size + cost if q else -(-(size + cost) // 3) * 4
            if length > maxlen:  # this character does not fit: it starts the next word
                if not lines and not word:
                    lines.append(None)  # nothing fits on the first line
                else:
                    lines.append(encode("".join(word).encode("utf-8"), charset="utf-8"))
                word, size = [character], cost
                maxlen = next(maxlengths) - extra
            else:
                word.append(character)
                size += cost
        lines.append(encode("".join(word).encode("utf-8"), charset="utf-8"))
        return lines


_UTF8: Final = _Utf8()


@lru_cache(maxsize=4096)
def _q_length(character: str) -> int:
    return quoprimime.header_length(character.encode("utf-8"))


def encoded(header: str, text: str) -> str:
    """RFC 2047 encoded words, folded to 78 columns by us.

    The values are stored raw: CPython's own refolding of encoded words can double or insert spaces.
    """
    return Header(text, "us-ascii" if text.isascii() else _UTF8, header_name=header).encode()


def mailbox(header: str, name: str, address: str) -> str:
    display = formataddr((name, address))  # RFC 2047-encodes a non-ASCII name such as "Årshjul"
    if name.isascii() or len(header) + 2 + len(display) <= MAX_LINE:
        return display
    words = encoded(header, name)
    last_line = words.rsplit("\n", 1)[-1]
    fits = len(last_line) + len(address) + 3 + (len(header) + 2 if "\n" not in words else 0) <= MAX_LINE
    separator = " " if fits else "\n "  # fold before the address when it would not fit
    return f"{words}{separator}<{address}>"


def message_id_for(idempotency_key: str, domain: str) -> str:
    """A Message-ID derived only from the key, so a resend of the same logical message keeps it."""
    _check_line("domain", domain)
    if not domain or any(char in _FORBIDDEN_IN_ADDRESSES or char == "@" for char in domain):
        raise HeaderInjectionError(f"invalid Message-ID domain: {domain!r}")
    digest = hashlib.sha256(idempotency_key.encode("utf-8")).hexdigest()[:32]
    return f"<{digest}@{domain.lower()}>"


# The sender and Reply-To are the same for every message of a delivery round: parse them once.
_checked_address: Final = lru_cache(maxsize=64)(check_address)


def check_mail(mail: OutgoingMail, from_address: str, from_name: str, sent_at: datetime) -> None:
    if sent_at.tzinfo is None:
        raise ValueError("sent_at must be time-zone aware")
    _checked_address("from_address", from_address)
    check_address("to_address", mail.to_address)
    if mail.reply_to is not None:
        _checked_address("reply_to", mail.reply_to)
    for field, value in (
        ("from_name", from_name),
        ("to_name", mail.to_name),
        ("subject", mail.subject),
        ("idempotency_key", mail.idempotency_key),
        ("ics_filename", mail.ics_filename),
    ):
        _check_line(field, value)
    for file in mail.attachments:
        _check_line("attachment filename", file.filename)
        _check_line("attachment content_type", file.content_type)


def build_message(mail: OutgoingMail, *, from_address: str, from_name: str, sent_at: datetime) -> EmailMessage:
    """The complete MIME message; raises HeaderInjectionError before anything is assembled."""
    check_mail(mail, from_address, from_name, sent_at)

    message = EmailMessage()
    message.set_raw("From", mailbox("From", from_name, from_address))
    message.set_raw("To", mailbox("To", mail.to_name, mail.to_address))
    message.set_raw("Subject", encoded("Subject", mail.subject))
    message["Date"] = format_datetime(sent_at)
    message["Message-ID"] = message_id_for(mail.idempotency_key, from_address.rpartition("@")[2])
    if mail.reply_to:
        message["Reply-To"] = mail.reply_to
    message["X-Arshjul-Key"] = mail.idempotency_key
    message["Auto-Submitted"] = "auto-generated"
    # Ask Exchange not to answer with out-of-office and similar automatic replies.
    message["X-Auto-Response-Suppress"] = "All"

    # Quoted-printable keeps the bodies 7-bit clean for relays without 8BITMIME.
    message.set_content(mail.text, charset="utf-8", cte="quoted-printable")
    message.add_alternative(mail.html, subtype="html", charset="utf-8", cte="quoted-printable")
    if mail.ics is not None:
        # As bytes with base64, so the CRLF line endings of the calendar survive untouched.
        message.add_attachment(
            mail.ics.encode("utf-8"),
            maintype="text",
            subtype="calendar",
            filename=mail.ics_filename,
            params={"method": "PUBLISH", "charset": "utf-8"},
        )
    for file in mail.attachments:
        maintype, _, subtype = file.content_type.partition("/")
        message.add_attachment(file.data, maintype=maintype, subtype=subtype, filename=file.filename)
    return message


def deadline_ics(tasks: Sequence[Mapping[str, Any]], *, stamp: datetime, language: Language, uid_domain: str) -> str:
    """One calendar event per task deadline (keys as in the `task_notice` template context).

    The UID comes from the task's optional `uid`, else from its title and unit, so that a reminder
    updates the event an invitation created instead of adding a second one.
    """
    events = []
    for task in tasks:
        uid = str(task.get("uid") or hashlib.sha256(f"{task['title']}|{task['unit_name']}".encode()).hexdigest()[:24])
        summary = f"{_DEADLINE_PREFIX[language]}: {task['title']} – {task['unit_name']}"
        description = "\n\n".join(part for part in (str(task.get("what", "")), str(task.get("link", ""))) if part)
        events.append(
            IcsEvent(
                uid=f"{uid}@{uid_domain}",
                summary=summary,
                start=task["deadline"],
                description=description,
                sequence=int(task.get("sequence", 0)),
                url=task.get("link"),
            )
        )
    return render_calendar(events, stamp=stamp, method="PUBLISH")
