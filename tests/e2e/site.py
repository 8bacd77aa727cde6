"""The console's browser tests set up alike: a migrated database, the app on uvicorn with HR's account, Chromium."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlmodel import Session

from arshjul.bootstrap import bootstrap
from config.settings import Settings
from domain.clock import ManualClock
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate
from tests.e2e.browser import ARGS, AXE, CHROMIUM, free_port, serving
from tests.support.accounts import make_user

if TYPE_CHECKING:
    from playwright.sync_api import Browser

MARKS = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's Chromium is not installed at /usr/bin/chromium"),
]
Build = Callable[[Session, Runtime], None]


def require_axe() -> None:
    """A failure, not a skip: make test installs axe-core (make axe); make test-fast does not need it."""
    if not AXE.exists():
        pytest.fail(f"axe-core mangler: kjør `make axe` (fant ikke {AXE})")


@contextmanager
def fresh_runtime(folder: Path, now: datetime) -> Iterator[tuple[Runtime, int]]:
    """A runtime on a migrated SQLite file in `folder`, its clock at `now`, its links to a free port; closed after."""
    port = free_port()
    settings = Settings(data_dir=folder, env="test", base_url=f"http://127.0.0.1:{port}")
    rt = bootstrap(settings, clock=ManualClock(now))
    migrate(rt.engine)
    install_runtime(rt)
    try:
        yield rt, port
    finally:
        install_runtime(None)
        rt.engine.dispose()


@contextmanager
def hr_site(rt: Runtime, build: Build | None = None, port: int | None = None) -> Iterator[str]:
    """The municipality `build` makes, HR's console account, and the app on uvicorn; yields the base URL.

    Every browser test of the console runs axe-core, so a missing axe-core fails here, before any work.
    """
    require_axe()
    if build is not None:
        with rt.session() as session:
            build(session, rt)
    make_user(rt)
    with serving(rt, port or free_port()) as base_url:
        yield base_url


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's Chromium through Playwright, closed when the block ends."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()
