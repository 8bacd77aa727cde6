"""A local aiosmtpd server that accepts and counts every message, in its own process so it competes with neither
the outbox nor the bare loop for the GIL: `python -m bench.smtp_sink` prints `port <n>` once it listens, and runs
until it is terminated or --max-seconds have passed."""

from __future__ import annotations

import argparse
import time
from typing import Any

from aiosmtpd.controller import Controller


class Counting:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        self.bytes += len(envelope.original_content or envelope.content or b"")
        return "250 Message accepted for delivery"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=1800.0)
    args = parser.parse_args(argv)
    handler = Counting()
    port = args.port
    if port == 0:
        from bench.common import free_port

        port = free_port()
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        server_hostname="bench-sink",  # no reverse lookup per connection
        enable_SMTPUTF8=True,
        decode_data=False,
    )
    controller.start()
    print(f"port {port}", flush=True)
    deadline = time.monotonic() + args.max_seconds
    try:
        while time.monotonic() < deadline:
            time.sleep(1.0)
    finally:
        controller.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
