"""The composition root: the one place that knows the concrete settings, database, clock and årshjul."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine

from arshjul.db import make_engine
from config.aarshjul import Aarshjul, load_aarshjul
from config.settings import Settings, get_settings
from domain.clock import Clock, SystemClock
from notifications.links import LinkSigner


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    aarshjul: Aarshjul
    clock: Clock = field(default_factory=SystemClock)

    @property
    def links(self) -> LinkSigner:
        return LinkSigner(self.settings.secret_key.get_secret_value())

    def now(self) -> datetime:
        return self.clock.now()

    def as_of(self, as_of: datetime | None) -> datetime:
        """`as_of` if a flow was given one, else the injected clock's now."""
        return as_of if as_of is not None else self.clock.now()


def build_runtime(settings: Settings | None = None, *, clock: Clock | None = None) -> Runtime:
    import tasks.reactions  # noqa: F401  (registers the handlers over the event log)

    settings = settings or get_settings()
    if settings.prefect_events:
        from tasks.prefect_events import install_prefect_emitter

        install_prefect_emitter()
    return Runtime(
        settings=settings,
        engine=make_engine(settings.database_url, echo=settings.db.echo),
        aarshjul=load_aarshjul(settings.aarshjul_file),
        clock=clock or SystemClock(),
    )


_installed: Runtime | None = None


def install_runtime(runtime: Runtime | None) -> None:
    """Make a runtime the one flows and tasks use in this process (embedded mode, the demo, tests)."""
    global _installed
    _installed = runtime


def current_runtime() -> Runtime:
    """The installed runtime, or one built from settings (a Prefect worker running a deployment)."""
    global _installed
    if _installed is None:
        _installed = build_runtime()
    return _installed
