"""One message in SMTP's three steps (MAIL, RCPT, DATA), with a word to the caller between RCPT and DATA.

aiosmtplib's `sendmail` does the same in one call; the outbox needs the moment before DATA to record that the
message is being handed over (tasks/outbox_feed.py). What `sendmail` adds is kept: EHLO once per connection, the
SIZE option where the server offers it, and RSET after a refusal.
"""

from __future__ import annotations

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
    """The server's reply to the data; None if `before_data` (given the reply to RCPT) said not to send it.

    Raises as sendmail does: SMTPResponseException for a refusal (after an RSET), SMTPNotSupported or ValueError
    for a message this server cannot take, connection errors as they come. Every recipient must be accepted.
    """
    try:
        await greet(client)
        options = []
        if client.supports_extension("size"):  # RFC 1870: the size as DATA will carry it
            options.append(f"SIZE={len(normalize_message_line_endings(message.data))}")
        await client.mail(message.sender, options=options)
        reply = None
        for recipient in message.recipients:
            reply = await client.rcpt(recipient)
        if not await before_data(f"{reply.code} {reply.message}" if reply else ""):
            await reset(client)
            return None
        return await client.data(message.data)
    except aiosmtplib.SMTPResponseException:
        await reset(client)
        raise
