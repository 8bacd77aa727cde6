from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any, cast

import pytest

from notifications.message import (
    HeaderInjectionError,
    OutgoingMail,
    build_message,
    deadline_ics,
    message_id_for,
)

SENT_AT = datetime(2027, 4, 20, 6, 0, tzinfo=UTC)
DEADLINE = datetime(2027, 4, 30, 14, 0, tzinfo=UTC)
FROM = {"from_address": "arshjul@kommune.example", "from_name": "Årshjul"}


def mail(**changes: Any) -> OutgoingMail:
    fields: dict[str, Any] = {
        "idempotency_key": "assignment:42:reminder:1",
        "to_address": "kari.nordmann@kommune.example",
        "to_name": "Kari Nordmann",
        "subject": "Påminnelse: kompetanseinnspill for Skolehelsetjenesten – frist fredag 30. april",
        "text": "Hei Kari,\n\nSvar her:\nhttps://arshjul.kommune.example/svar/abc\n",
        "html": "<p>Hei Kari, <a href='https://arshjul.kommune.example/svar/abc'>svar</a></p>",
        "reply_to": "hr@kommune.example",
    }
    fields.update(changes)
    return OutgoingMail(**fields)


def round_trip(message: EmailMessage) -> EmailMessage:
    raw = message.as_bytes(policy=policy.SMTP)
    return cast(EmailMessage, message_from_bytes(raw, policy=policy.default))


def unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_headers_and_bodies() -> None:
    parsed = round_trip(build_message(mail(), sent_at=SENT_AT, **FROM))
    assert parsed["From"].addresses[0].display_name == "Årshjul"
    assert parsed["From"].addresses[0].addr_spec == "arshjul@kommune.example"
    assert parsed["To"].addresses[0].display_name == "Kari Nordmann"
    assert parsed["Subject"] == mail().subject
    assert parsedate_to_datetime(parsed["Date"]) == SENT_AT
    assert parsed["Reply-To"] == "hr@kommune.example"
    assert parsed["X-Arshjul-Key"] == "assignment:42:reminder:1"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["Message-ID"] == message_id_for("assignment:42:reminder:1", "kommune.example")
    assert parsed.get_content_type() == "multipart/alternative"
    text = parsed.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    html = parsed.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert text.replace("\r\n", "\n") == mail().text
    assert html.strip() == mail().html


def test_wire_format_is_seven_bit_with_encoded_words() -> None:
    raw = build_message(mail(), sent_at=SENT_AT, **FROM).as_bytes(policy=policy.SMTP)
    raw.decode("ascii")  # no 8-bit bytes anywhere
    headers = raw.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert re.search(r"^From: =\?utf-8\?[bq]\?.+\?= <arshjul@kommune\.example>\r?$", headers, re.M | re.I)
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_long_non_ascii_names_and_subjects_are_folded_losslessly() -> None:
    name = "Kari Nordmann-Ødegård Østensen Bjørnstjerne Bjørnson Kjærlighet"
    subject = "Påminnelse: kompetanseinnspill for <script>alert(1)</script> – frist fredag 30. april 2027"
    message = build_message(mail(to_name=name, subject=subject), sent_at=SENT_AT, **FROM)
    raw = message.as_bytes(policy=policy.SMTP)
    assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n", 1)[0].split(b"\r\n"))
    # Decoded the RFC 2047 way, where whitespace between adjacent encoded words is not text.
    headers = message_from_bytes(raw, policy=policy.compat32)
    assert str(make_header(decode_header(headers["To"]))) == f"{name} <kari.nordmann@kommune.example>"
    assert str(make_header(decode_header(headers["Subject"]))) == subject
    assert round_trip(message)["Subject"] == subject


def test_no_reply_to_when_not_given() -> None:
    assert "Reply-To" not in build_message(mail(reply_to=None), sent_at=SENT_AT, **FROM)


def test_message_id_is_stable_per_key() -> None:
    first = message_id_for("assignment:42:reminder:1", "kommune.example")
    assert first == message_id_for("assignment:42:reminder:1", "Kommune.Example")
    assert first != message_id_for("assignment:42:reminder:2", "kommune.example")
    assert re.fullmatch(r"<[0-9a-f]{32}@kommune\.example>", first)
    later = build_message(mail(), sent_at=SENT_AT + timedelta(hours=3), **FROM)
    assert later["Message-ID"] == build_message(mail(), sent_at=SENT_AT, **FROM)["Message-ID"]


@pytest.mark.parametrize(
    "changes",
    [
        {"to_name": "Kari\r\nBcc: victim@example.org"},
        {"to_name": "Kari\nNordmann"},
        {"subject": "Hei\nBcc: victim@example.org"},
        {"subject": "Hei\r"},
        {"idempotency_key": "key\nX-Evil: 1"},
        {"to_address": "kari@kommune.example, victim@example.org"},
        {"to_address": "kari@kommune.example victim@example.org"},
        {"to_address": "kari@kommune.example\r\nBcc: victim@example.org"},
        {"to_address": "Kari <kari@kommune.example>"},
        {"to_address": "kari@kommune@example.org"},
        {"to_address": "kari.kommune.example"},
        {"to_address": "@kommune.example"},
        {"to_address": ""},
        {"reply_to": "hr@kommune.example;victim@example.org"},
    ],
)
def test_header_injection_is_refused(changes: dict[str, str]) -> None:
    with pytest.raises(HeaderInjectionError):
        build_message(mail(**changes), sent_at=SENT_AT, **FROM)


def test_sender_values_are_checked_too() -> None:
    with pytest.raises(HeaderInjectionError):
        build_message(mail(), sent_at=SENT_AT, from_address="a@x.example", from_name="Årshjul\nBcc: b@y.example")
    with pytest.raises(HeaderInjectionError):
        build_message(mail(), sent_at=SENT_AT, from_address="a@x.example,b@y.example", from_name="Årshjul")


def test_header_injection_error_is_a_value_error() -> None:
    assert issubclass(HeaderInjectionError, ValueError)


def test_naive_sent_at_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        build_message(mail(), sent_at=datetime(2027, 4, 20, 8, 0), **FROM)


def test_deadline_calendar_is_attached_and_parseable() -> None:
    tasks = [
        {"title": "Kompetanseinnspill", "unit_name": "Skolehelsetjenesten", "deadline": DEADLINE,
         "link": "https://arshjul.kommune.example/svar/abc", "what": "Beskriv behovet, kort; takk."},
    ]  # fmt: skip
    ics = deadline_ics(tasks, stamp=SENT_AT, language="nb", uid_domain="kommune.example")
    parsed = round_trip(build_message(mail(ics=ics), sent_at=SENT_AT, **FROM))

    assert parsed.get_content_type() == "multipart/mixed"
    assert parsed.get_body(("plain",)) is not None and parsed.get_body(("html",)) is not None
    (attachment,) = list(parsed.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_param("charset") == "utf-8"
    assert attachment.get_filename() == "frist.ics"
    payload = attachment.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert payload.decode("utf-8") == ics

    lines = unfold(ics)
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2:] == ["END:VCALENDAR", ""]
    assert "METHOD:PUBLISH" in lines and lines.count("BEGIN:VEVENT") == 1
    assert "DTSTART:20270430T140000Z" in lines
    assert "SUMMARY:Frist: Kompetanseinnspill – Skolehelsetjenesten" in lines
    uid = next(line for line in lines if line.startswith("UID:"))
    again = deadline_ics(tasks, stamp=SENT_AT + timedelta(days=3), language="en", uid_domain="kommune.example")
    assert uid in unfold(again), "a reminder must update the same calendar event"
