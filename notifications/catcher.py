"""A development SMTP server that keeps every message: for local runs, demos and integration tests."""

from __future__ import annotations

import re
import socket
import threading
import unicodedata
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self, cast

from aiosmtpd.controller import Controller

_SLUG_TRANSLATION: Final = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})
_NUMBERED: Final = re.compile(r"^(\d+)-")
_DROP: Final = "421 connection dropped"
_HEADERS: Final = BytesParser(policy=policy.default)


def slugify(text: str, *, limit: int = 40) -> str:
    """ASCII file-name part from a subject: 'Påminnelse: frist' -> 'paminnelse-frist'."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_SLUG_TRANSLATION))
    ascii_text = ascii_text.encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:limit].rstrip("-")
    return slug or "melding"


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])


class _Handler:
    """aiosmtpd handler; runs on the controller's event-loop thread."""

    def __init__(self, catcher: MailCatcher) -> None:
        self._catcher = catcher

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        reply = self._catcher._receive(envelope.original_content or envelope.content, session.peer)
        if reply == _DROP:
            server.transport.close()  # no reply at all: the client sees the connection vanish
        return reply


class MailCatcher:
    """Accepts SMTP (with SMTPUTF8 and 8BITMIME) on `host:port` and stores what it receives."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, store_dir: Path | None = None) -> None:
        self.host = host
        self.port = port
        self.store_dir = store_dir
        self._lock = threading.Lock()
        # Raw bytes as received; parsed on first `messages()`. Parsing in the SMTP handler held the GIL for ~3 ms per
        # message while the sender (often in this same process) needed it to deliver the next one.
        self._raw: list[bytes] = []
        self._parsed: list[EmailMessage] = []
        self._peers: list[tuple[str, int]] = []
        self._failures: list[int] = []
        self._counter = 0
        self._controller: Controller | None = None

    # -- lifecycle -------------------------------------------------------------------------------
    def start(self) -> None:
        if self._controller is not None:
            raise RuntimeError("the mail catcher is already running")
        if self.port == 0:
            self.port = _free_port(self.host)
        if self.store_dir is not None:
            self.store_dir.mkdir(parents=True, exist_ok=True)
            self._counter = max(
                (int(m.group(1)) for p in self.store_dir.glob("*.eml") if (m := _NUMBERED.match(p.name))),
                default=0,
            )
        controller = Controller(
            _Handler(self),
            hostname=self.host,
            port=self.port,
            server_hostname="arshjul-mailcatcher",
            enable_SMTPUTF8=True,
            decode_data=False,  # keeps raw bytes and advertises 8BITMIME
        )
        controller.start()
        self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # -- inspection and control ------------------------------------------------------------------
    def messages(self) -> list[EmailMessage]:
        """Everything received so far, in arrival order."""
        with self._lock:
            for raw in self._raw[len(self._parsed) :]:
                self._parsed.append(cast(EmailMessage, message_from_bytes(raw, policy=policy.default)))
            return list(self._parsed)

    def raw_since(self, start: int) -> list[bytes]:
        """The raw bytes of every message after the first `start`, unparsed (cheap to scan, nothing kept)."""
        with self._lock:
            return self._raw[start:]

    def peers(self) -> list[tuple[str, int]]:
        """The client (host, port) each message came from, in arrival order: one port per connection."""
        with self._lock:
            return list(self._peers)

    def clear(self) -> None:
        with self._lock:
            self._raw.clear()
            self._parsed.clear()
            self._peers.clear()
            self._failures.clear()

    def fail_next(self, code: int, count: int = 1) -> None:
        """Answer the next `count` DATA commands with `<code> simulated failure`, storing nothing."""
        if not 400 <= code < 600:
            raise ValueError(f"a simulated failure needs a 4xx or 5xx code, not {code}")
        with self._lock:
            self._failures.extend([code] * count)

    def drop_next(self, count: int = 1) -> None:
        """Close the connection instead of answering the next `count` DATA commands, storing nothing."""
        with self._lock:
            self._failures.extend([0] * count)

    # -- called by the handler -------------------------------------------------------------------
    def _receive(self, raw: bytes, peer: Any) -> str:
        with self._lock:
            if self._failures:
                code = self._failures.pop(0)
                return f"{code} simulated failure" if code else _DROP
            self._raw.append(raw)
            self._peers.append((str(peer[0]), int(peer[1])) if peer else ("", 0))
            self._counter += 1
            number = self._counter
        if self.store_dir is not None:
            subject = _HEADERS.parsebytes(raw, headersonly=True).get("Subject", "")
            name = f"{number:05d}-{slugify(str(subject))}.eml"
            (self.store_dir / name).write_bytes(raw)
        return "250 Message accepted for delivery"
