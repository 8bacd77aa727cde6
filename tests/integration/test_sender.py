from __future__ import annotations

import socket
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import aiosmtplib
import pytest

from config.settings import SmtpSettings
from notifications.catcher import MailCatcher
from notifications.feed import DeliveryOutcome, DeliveryResult, Parcel, Sendable
from notifications.message import HeaderInjectionError, OutgoingMail, build_message, deadline_ics
from notifications.sender import MailDeliveryError, deliver, deliver_feed, send_test
from notifications.templating import LANGUAGES, Language, render_email
from notifications.wire import render_message

SENT_AT = datetime(2027, 4, 20, 6, 0, tzinfo=UTC)
DEADLINE = datetime(2027, 4, 30, 14, 0, tzinfo=UTC)
FROM = {"from_address": "arshjul@kommune.example", "from_name": "Årshjul"}


@pytest.fixture
def catcher(tmp_path: Path) -> Iterator[MailCatcher]:
    with MailCatcher(store_dir=tmp_path / "mail") as running:
        yield running


def settings(port: int, concurrency: int = 2) -> SmtpSettings:
    return SmtpSettings(host="127.0.0.1", port=port, concurrency=concurrency, timeout_seconds=5)


def plain(key: str, to: str = "kari@kommune.example") -> tuple[str, EmailMessage]:
    mail = OutgoingMail(key, to, "Kari Nordmann", f"Melding {key} – æøå", "Hei\n", "<p>Hei</p>")
    return key, build_message(mail, sent_at=SENT_AT, **FROM)


def keys_received(catcher: MailCatcher) -> list[str]:
    return [str(message["X-Arshjul-Key"]) for message in catcher.messages()]


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # closed again at once: nothing listens there


def task_notice(count: int) -> dict[str, Any]:
    tasks = [
        {
            "title": "Kompetanseinnspill",
            "unit_name": f"Enhet {number} <script>alert(1)</script>",
            "deadline": DEADLINE + timedelta(days=7 * number),
            "link": f"https://arshjul.kommune.example/svar/{number}?t=x&v=1",
            "what": "Beskriv kompetansebehovet.",
        }
        for number in range(count)
    ]
    return {
        "recipient_name": "Kari Nordmann",
        "kind": "reminder",
        "tasks": tasks,
        "contact_name": "Hanne HR",
        "contact_email": "hr@kommune.example",
        "municipality": "Eksempel kommune",
    }


async def test_twenty_messages_over_two_connections(catcher: MailCatcher) -> None:
    messages = [plain(f"key-{number:02d}") for number in range(20)]
    results = await deliver(messages, settings(catcher.port, concurrency=2))

    assert [result.key for result in results] == [key for key, _ in messages]
    assert {result.outcome for result in results} == {DeliveryOutcome.SENT}
    assert all(result.detail.startswith("250 ") for result in results)
    assert sorted(keys_received(catcher)) == sorted(key for key, _ in messages)
    assert len({port for _, port in catcher.peers()}) == 2
    assert catcher.store_dir is not None
    stored = sorted(path.name for path in catcher.store_dir.glob("*.eml"))
    assert len(stored) == 20 and stored[0].startswith("00001-melding-key-") and stored[-1].startswith("00020-")


async def test_a_451_is_transient_and_the_rest_still_goes(catcher: MailCatcher) -> None:
    catcher.fail_next(451)
    messages = [plain(f"k{number}") for number in range(5)]
    results = await deliver(messages, settings(catcher.port, concurrency=1))

    assert results[0].outcome is DeliveryOutcome.TRANSIENT
    assert results[0].detail == "451 simulated failure"
    assert [result.outcome for result in results[1:]] == [DeliveryOutcome.SENT] * 4
    assert keys_received(catcher) == ["k1", "k2", "k3", "k4"]


async def test_a_550_is_permanent(catcher: MailCatcher) -> None:
    catcher.fail_next(550, count=2)
    results = await deliver([plain("a"), plain("b"), plain("c")], settings(catcher.port, concurrency=1))

    assert [result.outcome for result in results] == [
        DeliveryOutcome.PERMANENT,
        DeliveryOutcome.PERMANENT,
        DeliveryOutcome.SENT,
    ]
    assert results[0].detail.startswith("550")
    assert keys_received(catcher) == ["c"]


async def test_a_dropped_connection_is_reopened_once(catcher: MailCatcher) -> None:
    catcher.drop_next()
    results = await deliver([plain(f"k{number}") for number in range(4)], settings(catcher.port, concurrency=1))

    assert [result.outcome for result in results] == [DeliveryOutcome.TRANSIENT] + [DeliveryOutcome.SENT] * 3
    assert "Disconnected" in results[0].detail
    assert keys_received(catcher) == ["k1", "k2", "k3"]
    assert len(set(catcher.peers())) == 1  # all three on the second connection


async def test_a_worker_gives_up_after_its_one_reconnect(catcher: MailCatcher) -> None:
    catcher.drop_next(count=2)
    results = await deliver([plain(f"k{number}") for number in range(4)], settings(catcher.port, concurrency=1))

    transient, unavailable = DeliveryOutcome.TRANSIENT, DeliveryOutcome.UNAVAILABLE
    assert [result.outcome for result in results] == [transient, transient, unavailable, unavailable]
    assert "budget" in results[2].detail and "budget" in results[3].detail
    assert catcher.messages() == []


async def test_no_server_means_everything_transient_without_raising() -> None:
    messages = [plain(f"k{number}") for number in range(5)]
    results = await deliver(messages, settings(unused_port(), concurrency=2))

    assert [result.key for result in results] == [key for key, _ in messages]
    assert {result.outcome for result in results} == {DeliveryOutcome.UNAVAILABLE}
    assert all(result.detail for result in results)


async def test_a_421_means_the_relay_is_unavailable_and_the_connection_is_opened_anew(catcher: MailCatcher) -> None:
    catcher.fail_next(421)
    messages = [plain(f"k{number}") for number in range(3)]
    results = await deliver(messages, settings(catcher.port, concurrency=1))

    assert [result.outcome for result in results] == [DeliveryOutcome.UNAVAILABLE] + [DeliveryOutcome.SENT] * 2
    assert results[0].detail == "421 simulated failure"
    assert keys_received(catcher) == ["k1", "k2"]


async def test_a_wire_message_goes_out_in_mail_rcpt_data_steps_with_the_feed_told_before_data(
    catcher: MailCatcher,
) -> None:
    class Told:
        def __init__(self) -> None:
            self.told: list[tuple[list[str], str, str, int]] = []
            self.waiting = [f"w{number}" for number in range(3)]

        async def exchange(self, done: Sequence[DeliveryResult], *, more: bool) -> Sequence[Parcel]:
            parcels, self.waiting = [Parcel.ready(key, wire(key)) for key in self.waiting if more], []
            return parcels  # all three on the first call, so that w0's outcome comes with w1's hand-over

        async def handing_over(self, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
            self.told.append(([r.key for r in done], key, reply, len(catcher.messages())))
            return key != "w1"  # w1 is no longer ours: it must not be sent

        async def give_up(self, reason: str) -> None:
            raise AssertionError(reason)

    def wire(key: str) -> Any:
        mail = OutgoingMail(key, "kari@kommune.example", "Kari", "Emne", "Hei\n", "<p>Hei</p>")
        return render_message(mail, sent_at=SENT_AT, **FROM)

    feed = Told()
    await deliver_feed(feed, settings(catcher.port, concurrency=1), connections=1)
    told = [(done, key, count) for done, key, _, count in feed.told]
    assert told == [([], "w0", 0), (["w0"], "w1", 1), ([], "w2", 1)]
    assert all(reply.startswith("250") for _, _, reply, _ in feed.told)
    assert keys_received(catcher) == ["w0", "w2"]


async def test_nothing_to_send() -> None:
    assert await deliver([], settings(unused_port())) == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("count", [1, 3])
async def test_task_notice_arrives_intact(catcher: MailCatcher, language: Language, count: int) -> None:
    context = task_notice(count)
    rendered = render_email("task_notice", language, context)
    ics = deadline_ics(context["tasks"], stamp=SENT_AT, language=language, uid_domain="kommune.example")
    mail = OutgoingMail(
        "notice-1",
        "kari@kommune.example",
        "Kari Nordmann",
        rendered.subject,
        rendered.text,
        rendered.html,
        ics=ics,
    )
    results = await deliver([("notice-1", build_message(mail, sent_at=SENT_AT, **FROM))], settings(catcher.port))
    assert results[0].outcome is DeliveryOutcome.SENT

    (received,) = catcher.messages()
    assert received["Subject"] == rendered.subject
    assert received["From"].addresses[0].display_name == "Årshjul"
    html = received.get_body(("html",)).get_content()  # type: ignore[union-attr]
    text = received.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;" in html
    for task in context["tasks"]:
        assert task["link"] in text.splitlines() or task["link"] in text.replace("\r\n", "\n").splitlines()
    (attachment,) = list(received.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = attachment.get_payload(decode=True)
    assert isinstance(calendar, bytes)
    assert calendar.decode("utf-8") == ics
    assert calendar.count(b"BEGIN:VEVENT") == count


async def test_rendered_messages_arrive_as_built(catcher: MailCatcher) -> None:
    """The outbox sends render_message's bytes with sendmail: the server gets the message build_message makes."""
    mail = OutgoingMail("k-wire", "kari@kommune.example", "Kari Nørdmann", "Påminnelse – frist", "Hei æøå\n", "<p/>")
    wire = render_message(mail, sent_at=SENT_AT, **FROM)
    (result,) = await deliver([("k-wire", wire)], settings(catcher.port))
    assert result.outcome is DeliveryOutcome.SENT
    (received,) = catcher.messages()
    built = build_message(mail, sent_at=SENT_AT, **FROM)
    for header in ("From", "To", "Subject", "Message-ID", "Date", "X-Arshjul-Key"):
        assert str(received[header]) == str(built[header])
    assert received.get_body(("plain",)).get_content() == "Hei æøå\r\n"  # type: ignore[union-attr]


class _OneFeed:
    """Hands out its parcels in one batch and keeps what comes back."""

    def __init__(self, parcels: list[Parcel]) -> None:
        self.parcels, self.results = parcels, list[DeliveryResult]()

    async def exchange(self, done: Sequence[DeliveryResult], *, more: bool) -> Sequence[Parcel]:
        self.results += done
        parcels, self.parcels = self.parcels, []
        return parcels if more else []

    async def handing_over(self, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        self.results += done
        return True

    async def give_up(self, reason: str) -> None:
        raise AssertionError(reason)


async def test_a_message_that_cannot_be_built_is_refused_and_the_rest_still_goes(catcher: MailCatcher) -> None:
    def unbuildable() -> Sendable:
        raise HeaderInjectionError("to_address contains a line break")

    feed = _OneFeed([Parcel("bad", unbuildable), Parcel.ready(*plain("good"))])
    await deliver_feed(feed, settings(catcher.port), connections=1)
    outcomes = [(result.key, result.outcome) for result in feed.results]
    assert outcomes == [("bad", DeliveryOutcome.REFUSED), ("good", DeliveryOutcome.SENT)]
    assert "line break" in feed.results[0].detail
    assert keys_received(catcher) == ["good"]


async def test_server_offers_smtputf8_and_8bitmime(catcher: MailCatcher) -> None:
    client = aiosmtplib.SMTP(hostname=catcher.host, port=catcher.port, timeout=5)
    await client.connect()
    try:
        await client.ehlo()
        assert client.supports_extension("smtputf8")
        assert client.supports_extension("8bitmime")
        raw = "Subject: Blåbær\r\n\r\nHei Kåre\r\n".encode()
        await client.sendmail("arshjul@kommune.example", ["kåre@kommune.example"], raw, mail_options=["SMTPUTF8"])
    finally:
        await client.quit()
    (received,) = catcher.messages()
    assert received["Subject"] == "Blåbær"


async def test_send_test_returns_the_server_reply(catcher: MailCatcher) -> None:
    reply = await send_test("kari@kommune.example", settings(catcher.port), sent_at=SENT_AT)

    assert reply.startswith("250")
    (received,) = catcher.messages()
    assert received["Subject"] == "Testmelding fra Årshjul"
    assert "kl. 08.00" in received.get_body(("plain",)).get_content()  # type: ignore[union-attr]


async def test_send_test_fails_in_norwegian() -> None:
    with pytest.raises(MailDeliveryError, match="ble ikke levert"):
        await send_test("kari@kommune.example", settings(unused_port()), sent_at=SENT_AT)
    with pytest.raises(MailDeliveryError, match="Ugyldig e-postadresse"):
        await send_test("kari@kommune.example, ola@kommune.example", settings(unused_port()), sent_at=SENT_AT)


async def test_stored_files_keep_numbering_across_restarts(tmp_path: Path) -> None:
    for _ in range(2):
        with MailCatcher(store_dir=tmp_path) as catcher:
            await deliver([plain("påminnelse")], settings(catcher.port))
    assert sorted(path.name for path in tmp_path.glob("*.eml")) == [
        "00001-melding-paminnelse-aeoa.eml",
        "00002-melding-paminnelse-aeoa.eml",
    ]


def test_fail_next_needs_an_error_code() -> None:
    with pytest.raises(ValueError, match="4xx or 5xx"):
        MailCatcher().fail_next(250)
