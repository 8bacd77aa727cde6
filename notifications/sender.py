"""Delivery over SMTP with aiosmtplib: a few reused connections, every outcome classified, never raising."""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict, deque
from collections.abc import Sequence
from datetime import datetime
from email.message import EmailMessage
from typing import Final

import aiosmtplib

from config.settings import SmtpSettings
from notifications.feed import DeliveryOutcome, DeliveryResult, Feed, Parcel, Sendable
from notifications.message import HeaderInjectionError, OutgoingMail, build_message
from notifications.smtp_steps import CONNECTION_ERRORS as _CONNECTION_ERRORS
from notifications.smtp_steps import send_in_steps
from notifications.templating import Language, render_email
from notifications.wire import WireMessage

log = logging.getLogger(__name__)

# One connection attempt plus one reconnect per connection and round.
_CONNECTION_ATTEMPTS: Final = 2


class MailDeliveryError(RuntimeError):
    """`send_test` could not hand the message to the server; the message is Norwegian, for the CLI."""


def _summary(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


def _from_response(code: int) -> DeliveryOutcome:
    if 500 <= code < 600:
        return DeliveryOutcome.PERMANENT
    # 421: the server is closing the channel (RFC 5321 4.2.3): about the relay, not about this message.
    return DeliveryOutcome.UNAVAILABLE if code == 421 else DeliveryOutcome.TRANSIENT


def _client(smtp: SmtpSettings) -> aiosmtplib.SMTP:
    return aiosmtplib.SMTP(
        hostname=smtp.host,
        port=smtp.port,
        username=smtp.username,
        password=smtp.password.get_secret_value() if smtp.password else None,
        timeout=smtp.timeout_seconds,
        use_tls=smtp.security == "tls",
        start_tls=smtp.security == "starttls",
    )


async def _send_one(client: aiosmtplib.SMTP, key: str, message: EmailMessage) -> DeliveryResult:
    """One EmailMessage on a connected client; connection failures are left to the caller."""
    try:
        refused, reply = await client.send_message(message)
    except aiosmtplib.SMTPRecipientsRefused as exc:
        first = exc.recipients[0]
        return DeliveryResult(key, _from_response(first.code), f"{first.code} {first.message}")
    except aiosmtplib.SMTPResponseException as exc:
        return DeliveryResult(key, _from_response(exc.code), f"{exc.code} {exc.message}")
    except (aiosmtplib.SMTPNotSupported, ValueError) as exc:
        # The message cannot be sent as it is (e.g. needs SMTPUTF8 the server lacks): a retry won't help.
        return DeliveryResult(key, DeliveryOutcome.PERMANENT, _summary(exc))
    if refused:
        code, text = next(iter(refused.values()))
        return DeliveryResult(key, _from_response(code), f"{code} {text}")
    return DeliveryResult(key, DeliveryOutcome.SENT, f"250 {reply}")


async def _send_wire(
    client: aiosmtplib.SMTP, key: str, message: WireMessage, feed: Feed, done: list[DeliveryResult]
) -> DeliveryResult | None:
    """MAIL, RCPT and DATA, with the feed told right before DATA (and `done` handed to it then)."""

    async def told(reply: str) -> bool:
        mine = await feed.handing_over(list(done), key, reply)
        done.clear()
        return mine

    try:
        response = await send_in_steps(client, message, told)
    except aiosmtplib.SMTPResponseException as exc:
        return DeliveryResult(key, _from_response(exc.code), f"{exc.code} {exc.message}")
    except (aiosmtplib.SMTPNotSupported, ValueError) as exc:
        return DeliveryResult(key, DeliveryOutcome.PERMANENT, _summary(exc))
    if response is None:
        return None
    return DeliveryResult(key, DeliveryOutcome.SENT, f"{response.code} {response.message}")


async def _hand_over(
    client: aiosmtplib.SMTP, parcel: Parcel, feed: Feed, done: list[DeliveryResult]
) -> DeliveryResult | None:
    try:
        message = parcel.build()
    except ValueError as exc:  # HeaderInjectionError, or text that is not even valid Unicode
        return DeliveryResult(parcel.key, DeliveryOutcome.REFUSED, str(exc))
    try:
        if isinstance(message, WireMessage):
            result = await _send_wire(client, parcel.key, message, feed, done)
        else:
            result = await _send_one(client, parcel.key, message)
    except (*_CONNECTION_ERRORS, aiosmtplib.SMTPException) as exc:
        # Lost mid-transaction: the server may or may not have taken it; the key makes a retry safe.
        client.close()
        return DeliveryResult(parcel.key, DeliveryOutcome.TRANSIENT, _summary(exc))
    if result is not None and result.outcome is DeliveryOutcome.UNAVAILABLE:
        client.close()  # the server said it is closing the channel: a new connection, within the budget
    return result


async def _ensure_connected(client: aiosmtplib.SMTP, smtp: SmtpSettings, attempts_left: int) -> tuple[int, str]:
    """Connect if needed within the attempt budget; (attempts left, "" or why we gave up)."""
    error = "connection lost and the reconnect budget is used up"
    while not client.is_connected:
        if attempts_left <= 0:
            return attempts_left, error
        attempts_left -= 1
        try:
            await client.connect()
        except (*_CONNECTION_ERRORS, aiosmtplib.SMTPException) as exc:
            client.close()
            error = _summary(exc)
            log.warning("SMTP connection to %s:%s failed: %s", smtp.host, smtp.port, error)
            if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
                return 0, error
    return attempts_left, ""


async def _lane(feed: Feed, smtp: SmtpSettings) -> str:
    """One connection (plus at most one reconnect) sending what the feed hands it; "" or why it gave up."""
    client = _client(smtp)  # connects lazily, in _ensure_connected
    attempts_left, gave_up = _CONNECTION_ATTEMPTS, ""
    done: list[DeliveryResult] = []
    try:
        while True:
            attempts_left, gave_up = await _ensure_connected(client, smtp, attempts_left)
            if gave_up:
                break
            parcels = await feed.exchange(done, more=True)
            done = []
            if not parcels:
                return ""
            for parcel in parcels:
                if not gave_up:
                    attempts_left, gave_up = await _ensure_connected(client, smtp, attempts_left)
                if gave_up:
                    done.append(DeliveryResult(parcel.key, DeliveryOutcome.UNAVAILABLE, gave_up))
                elif (result := await _hand_over(client, parcel, feed, done)) is not None:
                    done.append(result)
        if done:
            await feed.exchange(done, more=False)
        return gave_up
    finally:
        if client.is_connected:
            try:
                await client.quit()
            except (*_CONNECTION_ERRORS, aiosmtplib.SMTPException):
                client.close()


async def deliver_feed(feed: Feed, smtp: SmtpSettings, *, connections: int) -> None:
    """Send what `feed` hands out over `connections` (at most `smtp.concurrency`) connections.

    Never raises for SMTP problems (the feed may raise). Every parcel's outcome reaches the feed; when every
    connection has given up, the feed hears why, for whatever it has not handed out.
    """
    lanes = max(1, min(smtp.concurrency, connections))
    reasons = await asyncio.gather(*(_lane(feed, smtp) for _ in range(lanes)))
    if all(reasons):
        await feed.give_up(reasons[-1])


class _ListFeed:
    """A fixed list of messages, one at a time to whichever connection is free; results in input order."""

    def __init__(self, messages: Sequence[tuple[str, Sendable]]) -> None:
        self._waiting = deque(enumerate(messages))
        self._handed: dict[str, deque[int]] = defaultdict(deque)  # a key may occur twice: first out, first back
        self.results: dict[int, DeliveryResult] = {}

    async def exchange(self, done: Sequence[DeliveryResult], *, more: bool) -> Sequence[Parcel]:
        for result in done:
            self.results[self._handed[result.key].popleft()] = result
        if not (more and self._waiting):
            return []
        index, (key, message) = self._waiting.popleft()
        self._handed[key].append(index)
        return [Parcel.ready(key, message)]

    async def handing_over(self, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        await self.exchange(done, more=False)
        return True

    async def give_up(self, reason: str) -> None:
        while self._waiting:
            index, (key, _) = self._waiting.popleft()
            self.results[index] = DeliveryResult(key, DeliveryOutcome.UNAVAILABLE, reason)


async def deliver(messages: Sequence[tuple[str, Sendable]], smtp: SmtpSettings) -> list[DeliveryResult]:
    """Send (key, message) pairs over at most `smtp.concurrency` connections.

    Returns one result per input, in input order, and never raises for SMTP problems.
    """
    if not messages:
        return []
    feed = _ListFeed(messages)
    await deliver_feed(feed, smtp, connections=len(messages))
    return [feed.results[index] for index in range(len(messages))]


async def send_test(address: str, smtp: SmtpSettings, *, sent_at: datetime, language: Language = "nb") -> str:
    """Send the `test` template to `address`; the server's reply, or MailDeliveryError in Norwegian."""
    rendered = render_email("test", language, {"sent_at": sent_at})
    mail = OutgoingMail(
        idempotency_key=f"test:{address}:{sent_at.isoformat()}",
        to_address=address,
        to_name="",
        subject=rendered.subject,
        text=rendered.text,
        html=rendered.html,
        reply_to=smtp.reply_to,
    )
    try:
        message = build_message(mail, from_address=smtp.from_address, from_name=smtp.from_name, sent_at=sent_at)
    except HeaderInjectionError as exc:
        raise MailDeliveryError(f"Ugyldig e-postadresse for testmeldingen: {exc}") from exc
    (result,) = await deliver([(mail.idempotency_key, message)], smtp)
    if result.outcome is not DeliveryOutcome.SENT:
        kind = "varig feil" if result.outcome is DeliveryOutcome.PERMANENT else "midlertidig feil"
        raise MailDeliveryError(
            f"Testmeldingen til {address} ble ikke levert via {smtp.host}:{smtp.port} ({kind}): {result.detail}"
        )
    return result.detail
