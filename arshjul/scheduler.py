"""The embedded scheduler: APScheduler with its jobs in the application's own database."""

from __future__ import annotations

import logging

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tasks.runtime import Runtime

log = logging.getLogger(__name__)
JOB_ID = "arshjul-dispatcher"


def run_dispatcher_job() -> None:
    """The scheduled job: one dispatcher run for now (imported by reference, so the job store can persist it)."""
    from flows.dispatcher import dispatcher

    try:
        dispatcher()  # for the runtime clock's now
    except Exception:
        # The flow run is recorded as failed in Prefect; the next tick retries, as every tick is idempotent.
        log.exception("dispatcher run failed")


def start_scheduler(rt: Runtime) -> BackgroundScheduler:
    """Start APScheduler with the dispatcher every few minutes; missed runs coalesce into one."""
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=rt.engine, tablename="apscheduler_jobs")},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600},
        timezone="Europe/Oslo",
    )
    scheduler.add_job(
        "arshjul.scheduler:run_dispatcher_job",
        IntervalTrigger(minutes=rt.settings.dispatcher_interval_minutes),
        id=JOB_ID,
        name="Årshjul dispatcher",
        replace_existing=True,
        next_run_time=rt.now(),
    )
    scheduler.start()
    return scheduler
