"""The dispatcher: for one moment, do whatever the årshjul says is due."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from prefect import flow, get_run_logger
from prefect.states import State

from flows.december_adoption import december_adoption
from flows.generic_phase import phase
from flows.january_evaluation import january_evaluation
from flows.naming import dispatcher_run_name
from flows.september_draft import september_draft
from flows.spring_input import spring_input
from tasks.cycle.dispatch import deliver_outbox_task, moment_of, plan_tick, queue_notices_task

PHASE_FLOWS: dict[str, Callable[..., dict[str, Any]]] = {
    "january-evaluation": january_evaluation,
    "spring-input": spring_input,
    "september-draft": september_draft,
    "december-adoption": december_adoption,
}


class PhaseStepsFailed(RuntimeError):
    """One or more phases could not open or close; everything else in the tick still ran."""


@flow(name="dispatcher", flow_run_name=dispatcher_run_name)
def dispatcher(as_of: datetime | None = None) -> dict[str, Any]:
    """Open and close due phases, queue reminders and escalations, deliver the outbox; idempotent per moment."""
    moment = moment_of(as_of)
    phases, failed = [], []
    for step in plan_tick(moment):
        runner = PHASE_FLOWS.get(step.key)
        state = cast(
            "State[dict[str, Any]]",
            runner(year=step.year, as_of=moment, return_state=True)
            if runner
            else phase(key=step.key, year=step.year, as_of=moment, return_state=True),
        )
        # A phase that fails (a broken plan frame, say) must not stop the reminders and mail of every other task.
        if state.is_completed():
            phases.append(state.result())
        else:
            failed.append(f"{step.key} {step.year}: {state.message or state.name}")
    notices = queue_notices_task(moment)
    steps, digests = notices.pop("steps"), notices.pop("digests")
    if steps_failed := notices.pop("steps_failed"):
        failed.append(f"årshjul-steg: {steps_failed}")
    delivery = deliver_outbox_task(moment)
    get_run_logger().info(
        "as of %s: %d phase steps, notices %s, digests %s, delivery %s",
        moment, len(phases), notices, digests, delivery,
    )  # fmt: skip
    if failed:
        raise PhaseStepsFailed("fasesteg feilet (alt annet ble gjort): " + "; ".join(failed))
    return {
        "as_of": moment.isoformat(),
        "phases": phases,
        "steps": steps,
        "notices": notices,
        "digests": digests,
        "delivery": delivery,
    }
