"""Building one outgoing email: headers that cannot be injected, text+HTML bodies, an ICS deadline.

`build_message` assembles an `EmailMessage` with the email package; it defines what we send. `render_message`
writes the very same message straight to the bytes that go over SMTP (what aiosmtplib's `send_message` would make
of `build_message`'s result) in a tenth of the time; tests/unit/test_message_wire.py holds the two to identical
bytes. The outbox sends thousands of messages in a row, so it uses `render_message`.
"""

from __future__ import annotations

import binascii
import hashlib
import random
import re
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from email import base64mime, policy, quoprimime
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
_MAX_LINE: Final = 78
_DEADLINE_PREFIX: Final[dict[str, str]] = {"nb": "Frist", "nn": "Frist", "en": "Deadline"}


_SMTP: Final = policy.SMTP  # what aiosmtplib's send_message flattens an EmailMessage with (7-bit content here)
_NL: Final = "\r\n"
# Values their header class (email.headerregistry) writes back unchanged: a message id as message_id_for makes it,
# and a key of plain characters (no whitespace, quotes, comments or encoded words). Others take the exact slow path.
_PLAIN_VALUES: Final = {
    "Message-ID": re.compile(r"<[0-9a-f]{32}@[a-z0-9-]+(?:\.[a-z0-9-]+)*>"),
    "X-Arshjul-Key": re.compile(r"[A-Za-z0-9:._@+/-]+"),
}
_PLAIN_FILENAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,40}")
_BOUNDARY_DIGITS: Final = len(repr(sys.maxsize - 1))  # as email.generator._width


class HeaderInjectionError(ValueError):
    """A header value would break out of its header line or name more than one mailbox."""


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


def _encoded(header: str, text: str) -> str:
    """RFC 2047 encoded words, folded to 78 columns by us.

    The values are stored raw: CPython's own refolding of encoded words can double or insert spaces.
    """
    return Header(text, "us-ascii" if text.isascii() else _UTF8, header_name=header).encode()


def _mailbox(header: str, name: str, address: str) -> str:
    display = formataddr((name, address))  # RFC 2047-encodes a non-ASCII name such as "Årshjul"
    if name.isascii() or len(header) + 2 + len(display) <= _MAX_LINE:
        return display
    words = _encoded(header, name)
    last_line = words.rsplit("\n", 1)[-1]
    fits = len(last_line) + len(address) + 3 + (len(header) + 2 if "\n" not in words else 0) <= _MAX_LINE
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


def _check_mail(mail: OutgoingMail, from_address: str, from_name: str, sent_at: datetime) -> None:
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


def build_message(mail: OutgoingMail, *, from_address: str, from_name: str, sent_at: datetime) -> EmailMessage:
    """The complete MIME message; raises HeaderInjectionError before anything is assembled."""
    _check_mail(mail, from_address, from_name, sent_at)

    message = EmailMessage()
    message.set_raw("From", _mailbox("From", from_name, from_address))
    message.set_raw("To", _mailbox("To", mail.to_name, mail.to_address))
    message.set_raw("Subject", _encoded("Subject", mail.subject))
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
    return message


@dataclass(frozen=True)
class WireMessage:
    """A message as SMTP carries it: the envelope and the exact bytes (7-bit, CRLF line endings)."""

    sender: str
    recipients: tuple[str, ...]
    data: bytes


def render_message(mail: OutgoingMail, *, from_address: str, from_name: str, sent_at: datetime) -> WireMessage:
    """`build_message` as it goes over the wire, byte for byte (but for the random MIME boundaries).

    Each piece is written the way email.generator writes it under policy.SMTP, from the same helpers and header
    classes; only values that those classes provably write back unchanged skip them (_PLAIN_VALUES). An unusual
    attachment file name (which would need RFC 2231 encoding) falls back to flattening `build_message`.
    """
    _check_mail(mail, from_address, from_name, sent_at)
    envelope = (from_address, (mail.to_address,))
    if mail.ics is not None and not _PLAIN_FILENAME.fullmatch(mail.ics_filename):
        data = build_message(mail, from_address=from_address, from_name=from_name, sent_at=sent_at).as_bytes(
            policy=_SMTP
        )
        return WireMessage(*envelope, data)
    head = [
        _header_block("From", _mailbox("From", from_name, from_address)),
        _SMTP.fold("To", _mailbox("To", mail.to_name, mail.to_address)),
        _SMTP.fold("Subject", _encoded("Subject", mail.subject)),
        _header_block("Date", format_datetime(sent_at), structured=True),
        _structured("Message-ID", message_id_for(mail.idempotency_key, from_address.rpartition("@")[2])),
    ]
    if mail.reply_to:
        head.append(_header_block("Reply-To", mail.reply_to, structured=True))
    head += [
        _structured("X-Arshjul-Key", mail.idempotency_key),
        _header_block("Auto-Submitted", "auto-generated", structured=True),
        _header_block("X-Auto-Response-Suppress", "All", structured=True),
        _header_block("MIME-Version", "1.0", structured=True),
    ]
    # The parts in the order and with the headers EmailMessage.set_content / add_alternative / add_attachment give
    # them: the moved text part keeps no MIME-Version, the added ones carry their own.
    text = _TEXT_PART_HEAD + _NL + _lines(_quoted_printable(mail.text))
    html = _HTML_PART_HEAD + _NL + _lines(_quoted_printable(mail.html))
    alternative = _multipart([text, html])
    if mail.ics is None:
        body = _multipart_head("alternative", alternative[0]) + _NL + alternative[1]
    else:
        attachment = (
            _header_block("Content-Transfer-Encoding", "base64", structured=True)
            + _header_block("Content-Disposition", f'attachment; filename="{mail.ics_filename}"', structured=True)
            + _header_block("Content-Type", 'text/calendar; method="PUBLISH"; charset="utf-8"', structured=True)
            + _header_block("MIME-Version", "1.0", structured=True)
            + _NL
            + _lines(_base64(mail.ics.encode("utf-8")))
        )
        inner = _multipart_head("alternative", alternative[0]) + _NL + alternative[1]
        mixed = _multipart([inner, attachment], avoid=alternative[0])
        body = _multipart_head("mixed", mixed[0]) + _NL + mixed[1]
    return WireMessage(*envelope, ("".join(head) + body).encode("ascii"))


@lru_cache(maxsize=256)
def _header_block(name: str, value: str, *, structured: bool = False) -> str:
    """One header exactly as the generator writes it; memoised, as From, Date and the constant ones repeat."""
    return _SMTP.fold(name, _SMTP.header_factory(name, value) if structured else value)


def _structured(name: str, value: str) -> str:
    """A header set with `message[name] = value`: parsed by its header class and folded back."""
    if len(name) + 2 + len(value) <= _MAX_LINE and _PLAIN_VALUES[name].fullmatch(value):
        return f"{name}: {value}{_NL}"
    return _SMTP.fold(name, _SMTP.header_factory(name, value))


_TEXT_PART_HEAD: Final = 'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n'
_HTML_PART_HEAD: Final = (
    'Content-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\nMIME-Version: 1.0\r\n'
)


def _quoted_printable(text: str) -> str:
    """As email.contentmanager encodes text with cte="quoted-printable" under the default policy (78 columns).

    That is quoprimime.body_encode of the lines joined with "\n", which encodes each line on its own; so we encode
    line by line and remember the lines, as most lines of a template repeat from one message to the next.
    """
    lines = text.encode("utf-8").splitlines()
    return "".join([_quoted_printable_line(line.decode("latin-1")) + "\n" for line in lines]) or "\n"


@lru_cache(maxsize=4096)
def _quoted_printable_line(line: str) -> str:
    return quoprimime.body_encode(line, _MAX_LINE)


def _base64(data: bytes) -> str:
    """As email.contentmanager encodes bytes with base64: 57 bytes, i.e. 76 characters, per line."""
    step = _MAX_LINE // 4 * 3
    return "".join(binascii.b2a_base64(data[i : i + step]).decode("ascii") for i in range(0, len(data), step))


def _lines(payload: str) -> str:
    """Generator._write_lines: every line ending becomes CRLF (a missing final one is not added).

    Our payloads are quoted-printable or base64, whose only line ending is "\n" (a CR in the text is a line break
    to splitlines, never part of a line): a plain replace does what the generator's regular expression does.
    """
    return payload.replace("\n", _NL)


def _boundary() -> str:
    """As email.generator.Generator._make_boundary: random; no QP or base64 line can look like one."""
    return f"{'=' * 15}{random.randrange(sys.maxsize):0{_BOUNDARY_DIGITS}d}=="


def _multipart(parts: list[str], avoid: str = "") -> tuple[str, str]:
    """(boundary, body) as Generator._handle_multipart writes them (no preamble, no epilogue).

    The only boundary line a part can contain is that of a nested multipart (`avoid`).
    """
    boundary = _boundary()
    while boundary == avoid:
        boundary = _boundary()
    separator = f"{_NL}--{boundary}{_NL}"
    return boundary, f"--{boundary}{_NL}{separator.join(parts)}{_NL}--{boundary}--{_NL}"


def _multipart_head(subtype: str, boundary: str) -> str:
    """The Content-Type header Message.set_boundary leaves; its folding depends only on the boundary's length."""
    template = _header_block("Content-Type", f'multipart/{subtype}; boundary="{_BOUNDARY_TEMPLATE}"', structured=True)
    return template.replace(_BOUNDARY_TEMPLATE, boundary)


_BOUNDARY_TEMPLATE: Final = f"{'=' * 15}{'0' * _BOUNDARY_DIGITS}=="


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
