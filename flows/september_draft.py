"""The september-draft phase of the årshjul."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from prefect import flow

from flows.naming import phase_run_name
from flows.phase import run_phase


@flow(name="september-draft", flow_run_name=phase_run_name, log_prints=False)
def september_draft(year: int | None = None, as_of: datetime | None = None) -> dict[str, Any]:
    """September draft compiled by HR and sent to the tillitsvalgte for consultation."""
    return run_phase("september-draft", year, as_of)
