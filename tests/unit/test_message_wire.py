"""render_message writes what build_message + aiosmtplib's send_message put on the wire, byte for byte."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta, timezone
from email import message_from_bytes, policy
from email.header import Header
from email.message import EmailMessage
from typing import Any, cast
from zoneinfo import ZoneInfo

import pytest
from aiosmtplib.email import flatten_message

from notifications.message import _UTF8, HeaderInjectionError, OutgoingMail, build_message, deadline_ics
from notifications.wire import WireMessage, render_message

SENT_AT = datetime(2027, 4, 20, 6, 0, tzinfo=UTC)
FROM = {"from_address": "arshjul@kommune.example", "from_name": "Årshjul"}
BOUNDARY = re.compile(rb"={15}\d{19}==")
ICS = deadline_ics(
    [
        {"title": "Kompetanseinnspill", "unit_name": "Skolehelsetjenesten", "deadline": SENT_AT + timedelta(days=10),
         "link": "https://arshjul.kommune.example/svar/abc", "what": "Beskriv behovet, kort; takk."},
    ],
    stamp=SENT_AT,
    language="nb",
    uid_domain="kommune.example",
)  # fmt: skip
TEXT = "Hei Kari,\n\nDu har fått en ny oppgave i årshjulet – frist fredag.\nSvar her:\nhttps://arshjul.kommune.example/svar/abc\n"
HTML = '<!DOCTYPE html>\n<html lang="nb">\n<p style="margin:0">Hei Kari, <a href="https://x.example/?a=1&b=2">svar</a></p>\n'


def mail(**changes: Any) -> OutgoingMail:
    fields: dict[str, Any] = {
        "idempotency_key": "invitation:1:42",
        "to_address": "kari.nordmann@kommune.example",
        "to_name": "Kari Nordmann",
        "subject": "Ny oppgave: evaluering av fjorårets tiltak for Furugården ungdomsskole – frist fredag 26. februar",
        "text": TEXT,
        "html": HTML,
        "ics": ICS,
        "reply_to": "hr@kommune.example",
    }
    fields.update(changes)
    return OutgoingMail(**fields)


def same_boundaries(raw: bytes) -> bytes:
    """The MIME boundaries are random in both builders: number them in order of appearance."""
    seen: dict[bytes, bytes] = {}
    return BOUNDARY.sub(lambda m: seen.setdefault(m.group(), b"BOUNDARY-%d" % len(seen)), raw)


def as_sent_before(message: OutgoingMail, **sender: Any) -> bytes:
    """What the outbox sent before render_message: build_message, flattened by aiosmtplib's send_message."""
    return flatten_message(build_message(message, **(FROM | sender)), utf8=False, cte_type="8bit")


def parsed(raw: bytes) -> EmailMessage:
    return cast(EmailMessage, message_from_bytes(raw, policy=policy.default))


VARIANTS: list[dict[str, Any]] = [
    {},
    {"ics": None},
    {"reply_to": None},
    {"ics": None, "reply_to": None},
    {"subject": "Kort emne"},
    {"subject": "A plain ASCII subject that is long enough to be folded by the header encoder at some point, surely"},
    {"subject": "Påminnelse: <script>alert(1)</script> – frist 😀 漢字 " * 4},
    {"to_name": ""},
    {"to_name": "Nordmann, Kari (HR)"},
    {"to_name": "Kari Nordmann-Ødegård Østensen Bjørnstjerne Bjørnson Kjærlighet Åsmund Ærlig"},
    {"to_name": "A" * 90},
    {"text": "", "html": ""},
    {"text": "no final newline", "html": "<p>no final newline</p>"},
    {"text": "trailing space \nand tab\t\n.leading dot\nFrom the start\n=equals= and =3D\n\n\n"},
    {"text": "windows\r\nline\r\nendings\rand a lone CR\r\n", "html": "<p>\r\nx</p>\r\n"},
    {"text": "x" * 200 + "\n" + "æ" * 100 + "\n" + "=" * 100 + "\n" + " " * 90 + "\n"},
    {"html": '<a href="' + "https://e.example/" + "é" * 40 + '">lang</a> ' * 30},
    {"idempotency_key": "test:kari@kommune.example:2027-04-20T06:00:00+00:00"},
    {"idempotency_key": "reminder:" + "x" * 80},
    {"idempotency_key": "nøkkel:æøå"},
    {"idempotency_key": "two words"},
    {"idempotency_key": "=?utf-8?q?x?="},
    {"ics": ""},
    {"ics_filename": "frist.ics"},
    {"ics_filename": "frist for høsten.ics"},
    {"ics": ICS.replace("Skolehelsetjenesten", "Skolehelsetjenesten " * 20)},
]


@pytest.mark.parametrize("changes", VARIANTS, ids=range(len(VARIANTS)))
def test_the_wire_bytes_are_what_send_message_made_of_build_message(changes: dict[str, Any]) -> None:
    message = mail(**changes)
    wire = render_message(message, sent_at=SENT_AT, **FROM)
    assert same_boundaries(wire.data) == same_boundaries(as_sent_before(message, sent_at=SENT_AT))
    assert wire.sender == FROM["from_address"] and wire.recipients == (message.to_address,)
    wire.data.decode("ascii")  # 7-bit: no server needs 8BITMIME or SMTPUTF8 for it


@pytest.mark.parametrize(
    "sender",
    [
        {"sent_at": datetime(2027, 3, 28, 1, 59, 59, 999999, tzinfo=ZoneInfo("Europe/Oslo"))},
        {"sent_at": datetime(2027, 10, 31, 2, 30, tzinfo=ZoneInfo("Europe/Oslo"))},
        {"sent_at": datetime(2027, 1, 1, tzinfo=timezone(timedelta(hours=-3, minutes=-30)))},
        {"sent_at": SENT_AT, "from_name": "Arshjul"},
        {"sent_at": SENT_AT, "from_name": ""},
        {"sent_at": SENT_AT, "from_name": "Årshjul – kompetanseplanlegging for Fjordvik kommune og omegn"},
        {"sent_at": SENT_AT, "from_address": "no-reply@Kommune.Example"},
        {"sent_at": SENT_AT, "from_address": "arshjul@kommune_x.example"},
        {"sent_at": SENT_AT, "from_address": "arshjul@" + "lang-kommune." * 5 + "example"},
    ],
)
def test_the_same_for_other_senders_and_moments(sender: dict[str, Any]) -> None:
    args = FROM | sender
    wire = render_message(mail(), **args)
    assert same_boundaries(wire.data) == same_boundaries(as_sent_before(mail(), **sender))
    assert wire.sender == args["from_address"]


def test_it_parses_back_to_the_same_message() -> None:
    message = mail()
    before = parsed(as_sent_before(message, sent_at=SENT_AT))
    after = parsed(render_message(message, sent_at=SENT_AT, **FROM).data)
    for header in ("Subject", "From", "To", "Message-ID", "Date", "Reply-To", "X-Arshjul-Key", "Auto-Submitted"):
        assert str(after[header]) == str(before[header]), header
    assert after["Subject"] == message.subject
    assert after["To"].addresses[0].display_name == "Kari Nordmann"
    assert after["From"].addresses[0].display_name == "Årshjul"
    assert after.get_content_type() == before.get_content_type() == "multipart/mixed"
    text, html = after.get_body(("plain",)), after.get_body(("html",))
    assert text is not None and html is not None
    assert text.get_content().replace("\r\n", "\n") == message.text
    assert html.get_content().replace("\r\n", "\n") == message.html
    (attachment,) = list(after.iter_attachments())
    (attachment_before,) = list(before.iter_attachments())
    assert attachment.get_filename() == attachment_before.get_filename() == "frist.ics"
    assert attachment.get_content_type() == "text/calendar" and attachment.get_param("method") == "PUBLISH"
    assert attachment.get_payload(decode=True) == ICS.encode("utf-8")
    assert [part.get_content_type() for part in after.walk()] == [part.get_content_type() for part in before.walk()]


def test_two_renderings_differ_only_in_their_boundaries() -> None:
    first, second = (render_message(mail(), sent_at=SENT_AT, **FROM).data for _ in range(2))
    assert first != second and same_boundaries(first) == same_boundaries(second)


@pytest.mark.parametrize(
    "changes",
    [
        {"to_name": "Kari\r\nBcc: victim@example.org"},
        {"subject": "Hei\nBcc: victim@example.org"},
        {"idempotency_key": "key\nX-Evil: 1"},
        {"to_address": "kari@kommune.example, victim@example.org"},
        {"to_address": "Kari <kari@kommune.example>"},
        {"reply_to": "hr@kommune.example;victim@example.org"},
        {"ics_filename": "frist.ics\r\nX-Evil: 1"},
    ],
)
def test_header_injection_is_refused_here_too(changes: dict[str, str]) -> None:
    with pytest.raises(HeaderInjectionError):
        render_message(mail(**changes), sent_at=SENT_AT, **FROM)


def test_what_cannot_be_built_fails_as_before() -> None:
    with pytest.raises(ValueError, match="aware"):
        render_message(mail(), sent_at=datetime(2027, 4, 20, 8, 0), **FROM)
    for changes in ({"to_address": "kåre@kommune.example"}, {"text": "half a surrogate \ud800"}):
        with pytest.raises(ValueError):
            build_message(mail(**changes), sent_at=SENT_AT, **FROM)
        with pytest.raises(ValueError):
            render_message(mail(**changes), sent_at=SENT_AT, **FROM)


def test_the_linear_utf8_charset_encodes_headers_exactly_as_the_stdlib() -> None:
    rng = random.Random(2027)
    pools = ["abcdefghij klmnopqrstuvwxyzæøå", "abc æøåÆØÅ–—é€😀漢字\u0301=?_:.,;\"'()<> ", "æøå😀漢字€\u0301ab "]
    for _ in range(3000):
        text = "".join(rng.choice(rng.choice(pools)) for _ in range(rng.choice([1, 3, 20, 45, 70, 76, 90, 200])))
        if text.isascii():
            continue
        for name in ("Subject", "To", "X-Quite-A-Long-Header-Name"):
            for width in (None, 40):
                expected = Header(text, "utf-8", header_name=name, maxlinelen=width).encode()
                assert Header(text, _UTF8, header_name=name, maxlinelen=width).encode() == expected, text


def test_wire_message_is_immutable() -> None:
    wire = render_message(mail(), sent_at=SENT_AT, **FROM)
    assert isinstance(wire, WireMessage)
    with pytest.raises(AttributeError):
        wire.data = b""  # type: ignore[misc]
