"""Delivery over SMTP with aiosmtplib: a few reused connections, every outcome classified, never raising."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from enum import StrEnum
from typing import Final

import aiosmtplib

from config.settings import SmtpSettings
from notifications.message import HeaderInjectionError, OutgoingMail, build_message
from notifications.templating import Language, render_email

log = logging.getLogger(__name__)

# One connection attempt plus one reconnect per worker and round.
_CONNECTION_ATTEMPTS: Final = 2
_CONNECTION_ERRORS: Final = (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPConnectError, OSError)


class DeliveryOutcome(StrEnum):
    SENT = "sent"
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    SKIPPED = "skipped"  # the claim hook said no: another sender holds it, or it is no longer wanted


@dataclass(frozen=True)
class DeliveryResult:
    key: str
    outcome: DeliveryOutcome
    detail: str


Claim = Callable[[str], bool]
OnResult = Callable[[DeliveryResult], None]


@dataclass(frozen=True)
class Hooks:
    """Called around each message, in a worker thread: `claim` right before the hand-over, `on_result` after it."""

    claim: Claim | None = None
    on_result: OnResult | None = None

    async def claimed(self, key: str) -> bool:
        return self.claim is None or await asyncio.to_thread(self.claim, key)

    async def report(self, result: DeliveryResult) -> DeliveryResult:
        if self.on_result is not None:
            await asyncio.to_thread(self.on_result, result)
        return result


class MailDeliveryError(RuntimeError):
    """`send_test` could not hand the message to the server; the message is Norwegian, for the CLI."""


def _summary(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}".strip()


def _from_response(code: int) -> DeliveryOutcome:
    return DeliveryOutcome.PERMANENT if 500 <= code < 600 else DeliveryOutcome.TRANSIENT


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
    """One message on a connected client; connection failures are left to the caller."""
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


async def _worker(
    batch: Sequence[tuple[int, str, EmailMessage]], smtp: SmtpSettings, hooks: Hooks
) -> dict[int, DeliveryResult]:
    """One connection (plus at most one reconnect) for a share of the messages, sent one after another."""
    client = _client(smtp)  # connects lazily, in _ensure_connected
    results: dict[int, DeliveryResult] = {}
    attempts_left = _CONNECTION_ATTEMPTS
    gave_up = ""
    try:
        for index, key, message in batch:
            if not gave_up:
                attempts_left, gave_up = await _ensure_connected(client, smtp, attempts_left)
            if gave_up:
                results[index] = await hooks.report(DeliveryResult(key, DeliveryOutcome.TRANSIENT, gave_up))
                continue
            if not await hooks.claimed(key):
                results[index] = DeliveryResult(key, DeliveryOutcome.SKIPPED, "not claimed")
                continue
            try:
                result = await _send_one(client, key, message)
            except (*_CONNECTION_ERRORS, aiosmtplib.SMTPException) as exc:
                # Lost mid-transaction: the server may or may not have taken it; the key makes a retry safe.
                client.close()
                result = DeliveryResult(key, DeliveryOutcome.TRANSIENT, _summary(exc))
            results[index] = await hooks.report(result)
    finally:
        if client.is_connected:
            try:
                await client.quit()
            except (*_CONNECTION_ERRORS, aiosmtplib.SMTPException):
                client.close()
    return results


async def deliver(
    messages: Sequence[tuple[str, EmailMessage]], smtp: SmtpSettings, hooks: Hooks | None = None
) -> list[DeliveryResult]:
    """Send (key, message) pairs over at most `smtp.concurrency` connections.

    Returns one result per input, in input order, and never raises for SMTP problems (a hook may raise).
    A message is claimed through `hooks.claim` only once a connection is up, right before it is handed over,
    and `hooks.on_result` hears every outcome but SKIPPED as soon as it is known.
    """
    if not messages:
        return []
    hooks = hooks or Hooks()
    workers = min(smtp.concurrency, len(messages))
    numbered = [(index, key, message) for index, (key, message) in enumerate(messages)]
    finished = await asyncio.gather(*(_worker(numbered[w::workers], smtp, hooks) for w in range(workers)))
    by_index = {index: result for part in finished for index, result in part.items()}
    return [by_index[index] for index in range(len(messages))]


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
