"""The january-evaluation phase of the årshjul."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow

from flows.naming import phase_run_name
from flows.phase import run_phase


@flow(name="january-evaluation", flow_run_name=phase_run_name, log_prints=False)
def january_evaluation(year: int | None = None, as_of: datetime | None = None) -> dict[str, Any]:
    """January evaluation of last year's measures by every unit leader."""
    return run_phase("january-evaluation", year, as_of)
