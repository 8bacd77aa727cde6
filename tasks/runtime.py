"""What a task needs from the outside world: settings, database, clock, årshjul and the event handlers.

The composition root (`arshjul.bootstrap`) builds it; services receive it as a parameter. `current_runtime()` is read
only where Prefect or the web framework calls in (the Prefect task boundary and `web.deps`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session

from config.settings import Settings
from domain.aarshjul.model import Aarshjul
from domain.clock import Clock
from domain.events import EventKind
from notifications.links import LinkSigner
from tasks.events.log import Handler
from tasks.store.db import session_scope

Handlers = Mapping[EventKind, Sequence[Handler]]


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    aarshjul: Aarshjul
    clock: Clock
    handlers: Handlers = field(default_factory=dict)

    @property
    def links(self) -> LinkSigner:
        return LinkSigner(self.settings.secret_key.get_secret_value())

    def now(self) -> datetime:
        return self.clock.now()

    def as_of(self, as_of: datetime | None) -> datetime:
        """`as_of` if a flow was given one, else the injected clock's now."""
        return as_of if as_of is not None else self.clock.now()

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work whose recorded events run this runtime's handlers before it commits."""
        with session_scope(self.engine, self.handlers) as session:
            yield session


RuntimeFactory = Callable[[], Runtime]
_installed: Runtime | None = None
_factory: RuntimeFactory | None = None


def install_runtime(runtime: Runtime | None) -> None:
    """Make a runtime the one flows and tasks use in this process (embedded mode, the demo, tests)."""
    global _installed
    _installed = runtime


def build_on_first_use(factory: RuntimeFactory) -> None:
    """Let a process with no installed runtime (a Prefect worker) build one from settings when a task first needs it."""
    global _factory
    _factory = factory


def current_runtime() -> Runtime:
    """The installed runtime; read only at the Prefect task boundary and in the web's dependency layer."""
    global _installed
    if _installed is None:
        if _factory is None:
            raise RuntimeError("no runtime installed: start through the arshjul CLI or arshjul.worker")
        _installed = _factory()
    return _installed
