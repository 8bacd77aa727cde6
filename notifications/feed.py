"""What a sender and its source of messages say to each other: parcels to send, and what became of each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from enum import StrEnum
from typing import Protocol

from notifications.wire import WireMessage


class DeliveryOutcome(StrEnum):
    SENT = "sent"
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    REFUSED = "refused"  # the message could not be built safely (see notifications.message); nothing was sent
    # The relay is not taking mail now: no connection, or "421 service not available". Nothing of this message was
    # accepted; the whole queue waits for the relay together (tasks/outbox_retry.py).
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class DeliveryResult:
    key: str
    outcome: DeliveryOutcome
    detail: str


Sendable = EmailMessage | WireMessage


@dataclass(frozen=True)
class Parcel:
    """One message handed to a connection: its key, and how to build it.

    Built only right before it is sent, on the event loop between two SMTP round trips, so that building one
    message overlaps the server's work on another instead of delaying the first hand-over.
    """

    key: str
    build: Callable[[], Sendable]

    @classmethod
    def ready(cls, key: str, message: Sendable) -> Parcel:
        return cls(key, lambda: message)


class Feed(Protocol):
    """Where the connections get their messages and report what became of them; called on the event loop.

    A connection asks for parcels only once it is connected, sends them one after another, and reports their
    outcomes (in the order it got them) with its next request, so a feed can record the last outcomes and hand
    out the next parcels in one go (the outbox does both in one transaction).
    """

    async def exchange(self, done: Sequence[DeliveryResult], *, more: bool) -> Sequence[Parcel]:
        """Take these outcomes; then, if `more`, the next parcels for this connection ([] when there are none)."""
        ...

    async def handing_over(self, done: Sequence[DeliveryResult], key: str, reply: str) -> bool:
        """Take these outcomes; then note that `key` goes to the server now (`reply`: its answer to MAIL).

        Called for a message that is a WireMessage while its last RCPT is on its way, before its DATA; the DATA
        follows only after this has returned True and the recipient was accepted. False: the message is no longer
        this sender's to send (its claim was taken back); it is then not sent and no outcome is reported for it.
        """
        ...

    async def give_up(self, reason: str) -> None:
        """Every connection gave up: what was never handed out cannot be sent in this round either."""
        ...
