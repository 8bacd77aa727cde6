"""One message in SMTP's three steps (MAIL, RCPT, DATA), with a word to the caller before DATA.

aiosmtplib's `sendmail` does the same in one call; the outbox needs the moment before DATA to record that the
message is being handed over (tasks/outbox_feed.py). What `sendmail` adds is kept: EHLO once per connection, the
SIZE option where the server offers it, and RSET after a refusal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import aiosmtplib
from aiosmtplib.protocol import normalize_message_line_endings

from notifications.wire import WireMessage

CONNECTION_ERRORS = (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPConnectError, OSError)


async def greet(client: aiosmtplib.SMTP) -> None:
    """EHLO (HELO if the server refuses it) once per connection, as sendmail does, to know the extensions."""
    if client.is_ehlo_or_helo_needed:
        try:
            await client.ehlo()
        except aiosmtplib.SMTPHeloError:
            if not client.is_connected:
                raise
            await client.helo()


async def reset(client: aiosmtplib.SMTP) -> None:
    """After a refusal, reset the envelope for the next message (as sendmail does); a failure here is no news."""
    try:
        await client.rset()
    except (*CONNECTION_ERRORS, aiosmtplib.SMTPException):
        client.close()


async def send_in_steps(
    client: aiosmtplib.SMTP, message: WireMessage, before_data: Callable[[str], Awaitable[bool]]
) -> aiosmtplib.SMTPResponse | None:
    """The server's reply to the data; None if `before_data` said not to send it.

    `before_data` is given the server's reply to MAIL and runs while the last RCPT is on its way: the outbox writes
    its hand-over mark there (tasks/outbox/feed.py), so that one small transaction per message overlaps a round trip
    to the server instead of adding to it. DATA is sent only after both: the mark was written and the recipient was
    accepted. Raises as sendmail does: SMTPResponseException for a refusal (after an RSET), SMTPNotSupported or
    ValueError for a message this server cannot take, connection errors as they come. Every recipient must be
    accepted.
    """
    try:
        await greet(client)
        options = []
        if client.supports_extension("size"):  # RFC 1870: the size as DATA will carry it
            options.append(f"SIZE={len(normalize_message_line_endings(message.data))}")
        accepted = await client.mail(message.sender, options=options)
        *others, last = message.recipients
        for recipient in others:
            await client.rcpt(recipient)
        last_rcpt = asyncio.ensure_future(client.rcpt(last))
        await asyncio.sleep(0)  # the RCPT command is written before the mark's transaction blocks the loop
        try:
            mine = await before_data(f"{accepted.code} {accepted.message}")
        except BaseException:
            last_rcpt.cancel()
            await asyncio.gather(last_rcpt, return_exceptions=True)
            raise
        try:
            await last_rcpt  # a refusal raises here, before any of the message's data was sent
        except (*CONNECTION_ERRORS, aiosmtplib.SMTPException):
            if mine:
                raise
        if not mine:  # not ours to send any more, whatever the server said: no outcome to report
            await reset(client)
            return None
        return await client.data(message.data)
    except aiosmtplib.SMTPResponseException:
        await reset(client)
        raise
