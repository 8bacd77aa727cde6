"""An outgoing email written straight to the bytes that go over SMTP, byte-identical to `build_message`.

`render_message` makes what aiosmtplib's `send_message` would make of `build_message`'s result, in a tenth of the
time; tests/unit/test_message_wire.py holds the two to identical bytes. The outbox sends thousands of messages in a
row, so it uses this.
"""

from __future__ import annotations

import binascii
import random
import re
import sys
from dataclasses import dataclass
from datetime import datetime
from email import policy, quoprimime
from email.utils import format_datetime
from functools import lru_cache
from typing import Final

from notifications.message import MAX_LINE, OutgoingMail, build_message, check_mail, encoded, mailbox, message_id_for

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
    ICS file name (which would need RFC 2231 encoding), or attached files, fall back to flattening `build_message`.
    """
    check_mail(mail, from_address, from_name, sent_at)
    envelope = (from_address, (mail.to_address,))
    # Attached files (rare: a notice's form or plan) take the email package's own path, so the hot path for the
    # thousands of task emails stays as it is.
    if mail.attachments or (mail.ics is not None and not _PLAIN_FILENAME.fullmatch(mail.ics_filename)):
        data = build_message(mail, from_address=from_address, from_name=from_name, sent_at=sent_at).as_bytes(
            policy=_SMTP
        )
        return WireMessage(*envelope, data)
    head = [
        _header_block("From", mailbox("From", from_name, from_address)),
        _SMTP.fold("To", mailbox("To", mail.to_name, mail.to_address)),
        _SMTP.fold("Subject", encoded("Subject", mail.subject)),
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
    if len(name) + 2 + len(value) <= MAX_LINE and _PLAIN_VALUES[name].fullmatch(value):
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
    return quoprimime.body_encode(line, MAX_LINE)


def _base64(data: bytes) -> str:
    """As email.contentmanager encodes bytes with base64: 57 bytes, i.e. 76 characters, per line."""
    step = MAX_LINE // 4 * 3
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
