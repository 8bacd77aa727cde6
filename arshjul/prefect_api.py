"""Prefect's API for embedded mode: a local server started and stopped by us, quietly and cleanly."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from config.settings import Settings

# No internet here and no telemetry wanted in a municipality: set before Prefect reads its settings.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_UI_ENABLED", "false")

log = logging.getLogger(__name__)


@contextlib.contextmanager
def prefect_api(settings: Settings, *, quiet: bool = True) -> Iterator[str]:
    """Use PREFECT_API_URL if one is configured, else run a local Prefect server for the duration."""
    import prefect.settings as ps

    updates: dict[Any, Any] = {}
    if not settings.prefect_heartbeats:
        # Heartbeats watch for crashed workers; in-process runs have none, and each costs a second at flow exit.
        updates[ps.PREFECT_FLOWS_HEARTBEAT_FREQUENCY] = None
    if quiet:
        # Run logs stay in the terminal and the log file; shipping them to an API about to stop only adds noise.
        updates[ps.PREFECT_LOGGING_TO_API_ENABLED] = False
    if os.environ.get("PREFECT_API_URL"):
        with ps.temporary_settings(updates=updates), _everywhere():
            yield os.environ["PREFECT_API_URL"]
        return
    with _local_server(settings, updates) as url:
        yield url


@contextlib.contextmanager
def _local_server(settings: Settings, updates: dict[Any, Any]) -> Iterator[str]:
    import prefect.settings as ps
    from prefect.server.api.server import SubprocessASGIServer

    home = (settings.data_dir / "prefect").resolve()
    home.mkdir(parents=True, exist_ok=True)
    database = f"sqlite+aiosqlite:///{Path(home, 'prefect.db')}"
    # The local API records task runs from events one at a time by default; on SQLite each of those writes can lock
    # out the next create-flow-run, which Prefect answers with 503 and its client retries after ~2 s. Batched
    # recording (still flushed every few seconds) took a 20-unit simulated year's dispatcher time from ~100 s to ~20 s.
    batched = {
        ps.PREFECT_SERVER_SERVICES_TASK_RUN_RECORDER_BATCH_SIZE: 500,
        ps.PREFECT_SERVER_SERVICES_EVENT_PERSISTER_BATCH_SIZE: 500,
    }
    with ps.temporary_settings(
        updates={
            ps.PREFECT_HOME: str(home),
            ps.PREFECT_SERVER_DATABASE_CONNECTION_URL: database,
            **batched,
            **updates,
        }
    ):
        # Our own port, and our server registered as the default (None) one only while we run, as Prefect's test
        # harness does: Prefect's internals call SubprocessASGIServer() and must find this one, but a plain
        # SubprocessASGIServer() here would return a default registered by an outer caller, and stopping it would
        # stop theirs (a demo run inside a test session stopped the session's server).
        server = SubprocessASGIServer(port=_free_port())
        prior_default = SubprocessASGIServer._instances.get(None)
        SubprocessASGIServer._instances[None] = server
        try:
            server.start(timeout=60)
            with ps.temporary_settings(updates={ps.PREFECT_API_URL: server.api_url}), _everywhere():
                try:
                    yield server.api_url
                finally:
                    _drain()
        finally:
            server.stop()
            SubprocessASGIServer._instances.pop(server.port, None)
            if prior_default is None:
                SubprocessASGIServer._instances.pop(None, None)
            else:
                SubprocessASGIServer._instances[None] = prior_default


def _free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def _everywhere() -> Iterator[None]:
    """Make these settings the process-wide default, so scheduler and web threads see the same API."""
    import prefect.context as pc

    with pc._temporary_global_settings_context(pc.get_settings_context()):
        yield


def _drain() -> None:
    """Flush Prefect's log and event workers before the server goes, so nothing complains at exit."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    async def drain() -> None:
        for worker in (APILogWorker, EventsWorker):
            with contextlib.suppress(Exception):
                result = worker.drain_all(timeout=5)
                if asyncio.iscoroutine(result):
                    await result

    with contextlib.suppress(Exception):
        asyncio.run(drain())
