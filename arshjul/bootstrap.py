"""The composition root: the one place that knows the concrete settings, database, clock, årshjul and handlers."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Final

from sqlmodel import Session

from arshjul.system_clock import SystemClock
from config.aarshjul import load_aarshjul
from config.settings import Settings, get_settings
from domain.clock import Clock
from domain.events import EventKind
from domain.models import Event
from tasks.cycle.reactions import close_phase_when_all_answered, tell_kommunalsjef_when_sector_complete
from tasks.events.log import Handler
from tasks.plan.adoption import adopt_plan_when_adoption_recorded
from tasks.plan.announce import announce_adopted_plan
from tasks.runtime import Handlers, Runtime
from tasks.store.db import make_engine

RuntimeHandler = Callable[[Runtime, Session, Event], None]

# What follows an event, in the order the handlers run; each runs in the unit of work that recorded the event.
HANDLERS: dict[EventKind, list[RuntimeHandler]] = {
    EventKind.ANSWER_SUBMITTED: [
        tell_kommunalsjef_when_sector_complete,
        adopt_plan_when_adoption_recorded,
        close_phase_when_all_answered,
    ],
    # A fritak for the last open task finishes a sektor or a phase as an answer would.
    EventKind.ASSIGNMENT_EXCUSED: [tell_kommunalsjef_when_sector_complete, close_phase_when_all_answered],
    EventKind.PLAN_ADOPTED: [announce_adopted_plan],
}


# The outbox records its delivery outcomes on a bare engine, some in bulk, without handlers (tasks/outbox/feed.py).
UNHANDLED: Final = frozenset(kind for kind in EventKind if kind.startswith("email."))


def bind_handlers(rt: Runtime, table: dict[EventKind, list[RuntimeHandler]]) -> Handlers:
    """Give every handler the runtime it needs, so `record()` calls it with the session and the event alone."""
    if handled := UNHANDLED & table.keys():
        raise ValueError(f"the outbox writes {sorted(handled)} without running handlers")
    bound: dict[EventKind, list[Handler]] = {
        kind: [partial(h, rt) for h in handlers] for kind, handlers in table.items()
    }
    return bound


def bootstrap(settings: Settings | None = None, *, clock: Clock | None = None) -> Runtime:
    """Build the runtime from settings: engine, årshjul, clock and the handler table (and Prefect's event mirror)."""
    settings = settings or get_settings()
    if settings.prefect_events:
        from tasks.events.prefect import install_prefect_emitter

        install_prefect_emitter()
    rt = Runtime(
        settings=settings,
        engine=make_engine(settings.database_url, echo=settings.db.echo),
        aarshjul=load_aarshjul(settings.aarshjul_file),
        clock=clock or SystemClock(),
    )
    rt.handlers = bind_handlers(rt, HANDLERS)
    return rt
