"""The spring-input phase of the årshjul."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow

from flows.naming import phase_run_name
from flows.phase import run_phase


@flow(name="spring-input", flow_run_name=phase_run_name, log_prints=False)
def spring_input(year: int | None = None, as_of: datetime | None = None) -> dict[str, Any]:
    """Spring input from every unit leader, with tillitsvalgte invited to give input."""
    return run_phase("spring-input", year, as_of)
