"""The demo's Prefect: a local API started from a cached template database, and quiet logs."""

from __future__ import annotations

import logging
import os
import shutil
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from arshjul.demo.stopwatch import Stopwatch
from arshjul.prefect_api import prefect_api
from tasks.runtime import Runtime


@contextmanager
def prefect_for_demo(rt: Runtime, watch: Stopwatch) -> Iterator[None]:
    """Prefect's API for the year, and one API client reused by every dispatcher run (as a long-lived worker)."""
    from prefect.context import SyncClientContext

    entered = time.perf_counter()
    leaving = entered
    external = bool(os.environ.get("PREFECT_API_URL"))
    if not external:
        _seed_prefect_database(rt)
    with prefect_api(rt.settings), SyncClientContext.get_or_create():
        watch.seconds["prefect_start"] = time.perf_counter() - entered
        if not external:
            _keep_prefect_template(rt)
        try:
            yield
        finally:
            leaving = time.perf_counter()
    watch.seconds["prefect_stop"] = time.perf_counter() - leaving


def prefect_template() -> Path:
    """Where the demo keeps a started, empty Prefect database for its next run (per Prefect version)."""
    import prefect

    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "arshjul" / f"prefect-{prefect.__version__}-started.db"


def _seed_prefect_database(rt: Runtime) -> None:
    """Start the demo's local Prefect API on a copy of one that has started before (see `_keep_prefect_template`)."""
    template = prefect_template()
    if template.is_file():
        target = rt.settings.data_dir / "prefect" / "prefect.db"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(template, target)


def _keep_prefect_template(rt: Runtime) -> None:
    """Keep the just-started, still empty Prefect database: migrating a new one costs ~6 s of each demo's start.

    Kept per Prefect version in the user's cache; taken with SQLite's backup API, so the live database is never
    copied half-written. Without a cache (read-only home) every demo simply migrates its own.
    """
    template = prefect_template()
    source = rt.settings.data_dir / "prefect" / "prefect.db"
    if template.exists() or not source.is_file():
        return
    partial = template.with_name(f"{template.name}.{os.getpid()}.partial")
    try:
        template.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(source)) as live, closing(sqlite3.connect(partial)) as copy:
            live.backup(copy)
        partial.replace(template)
    except (OSError, sqlite3.Error):
        partial.unlink(missing_ok=True)


def quiet_prefect() -> None:
    """The demo prints its own progress line per tick; Prefect's per-run INFO lines would drown it."""
    for name in ("prefect", "prefect.flow_runs", "prefect.task_runs", "prefect.server", "prefect.client"):
        logging.getLogger(name).setLevel(logging.WARNING)
