"""Shared fixtures: a migrated SQLite file, a manual clock, a runtime, a real SMTP catcher, Prefect once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

from arshjul.bootstrap import bootstrap
from config.settings import Settings, SmtpSettings
from domain.clock import ManualClock
from notifications.catcher import MailCatcher
from tasks.runtime import Runtime, install_runtime
from tasks.store.db import migrate

OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(datetime(2027, 1, 1, 0, 0, tzinfo=OSLO))


@pytest.fixture
def catcher() -> Iterator[MailCatcher]:
    with MailCatcher() as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path, catcher: MailCatcher) -> Settings:
    return Settings(
        env="test",
        data_dir=tmp_path,
        municipality="Testvik kommune",
        hr_email="hr@testvik.no",
        base_url="http://127.0.0.1:9",
        smtp=SmtpSettings(port=catcher.port, from_address="arshjul@testvik.no", backoff_base_seconds=60),
    )


@pytest.fixture
def rt(settings: Settings, clock: ManualClock) -> Iterator[Runtime]:
    runtime = bootstrap(settings, clock=clock)
    migrate(runtime.engine)
    install_runtime(runtime)
    yield runtime
    install_runtime(None)
    runtime.engine.dispose()


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Prefect's engine for real, with a local API started once per test session."""
    from arshjul.prefect_api import prefect_api

    with prefect_api(Settings(env="test", data_dir=tmp_path_factory.mktemp("prefect"))):
        yield
