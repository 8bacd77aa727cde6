"""Readable flow run names: what ran, for which year, as of when."""

from __future__ import annotations

from datetime import datetime

from prefect.runtime import flow_run

from domain.aarshjul.workdays import to_local


def _stamp(value: object) -> str:
    if isinstance(value, datetime):
        return to_local(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, str) and value:
        return value[:16].replace("T", " ")
    return "nå"


def phase_run_name() -> str:
    params = flow_run.parameters
    return f"{flow_run.flow_name} {params.get('year')} as of {_stamp(params.get('as_of'))}"


def dispatcher_run_name() -> str:
    return f"dispatcher as of {_stamp(flow_run.parameters.get('as_of'))}"
