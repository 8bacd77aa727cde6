"""The web app alone, as `arshjul serve` runs it (one uvicorn process, no access log), on a prepared database and a
fixed clock: `python -m bench.answer_server --database DB --secret S --now ISO`. Prints `ready <port>`; runs until
terminated or --max-seconds have passed."""

from __future__ import annotations

import argparse
import threading
import time
from datetime import datetime
from pathlib import Path

import uvicorn


def main(argv: list[str] | None = None) -> int:
    from arshjul.bootstrap import bootstrap
    from bench.answers import settings_for
    from bench.common import free_port
    from domain.clock import ManualClock
    from tasks.runtime import install_runtime
    from web.app import create_app

    parser = argparse.ArgumentParser()
    parser.add_argument("--database", type=Path, required=True)
    parser.add_argument("--secret", required=True)
    parser.add_argument("--now", required=True, help="the app's clock, ISO 8601 with offset")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--max-seconds", type=float, default=900.0)
    args = parser.parse_args(argv)
    port = args.port or free_port()
    clock = ManualClock(datetime.fromisoformat(args.now))
    rt = bootstrap(settings_for(args.database, args.secret, port), clock=clock)
    install_runtime(rt)
    server = uvicorn.Server(
        uvicorn.Config(create_app(rt), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="bench-web", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and thread.is_alive() and time.monotonic() < deadline:
        thread.join(0.02)
    if not server.started:
        return 1
    print(f"ready {port}", flush=True)
    thread.join(args.max_seconds)
    server.should_exit = True
    thread.join(10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
