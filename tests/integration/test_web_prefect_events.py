"""In server mode an answer's events reach Prefect's events API, where deployment triggers can react to them."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from tests.integration.test_web_answers import assignment_of, input_fields, link_for, world_at


@pytest.mark.e2e  # a real Prefect server (the session's harness)
def test_a_submitted_answer_reaches_prefects_events_api(tmp_path: Path, prefect_harness: None) -> None:
    """Read back over Prefect's event stream (`/events/out`): it delivers what the server received, without waiting
    for the event persister's flush interval that `read_events` (the stored events) would need."""
    from prefect.events.clients import get_events_subscriber
    from prefect.events.filters import EventFilter, EventNameFilter, EventResourceFilter
    from prefect.events.worker import EventsWorker

    async def submit_and_listen() -> tuple[int, int, Any]:
        with world_at(tmp_path, prefect_events=True) as world:
            task = assignment_of(world, world.leaders["solsiden"]).id
            wanted = EventFilter(
                event=EventNameFilter(name=["arshjul.answer.submitted"]),
                resource=EventResourceFilter(id=[f"arshjul.assignment.{task}"]),
            )
            async with get_events_subscriber(filter=wanted) as subscriber:
                token = link_for(world, "kari@kommune.example")
                fields = input_fields(token, world, action="submit")
                response = await asyncio.to_thread(world.client.post, f"/svar/{token}", data=fields)
                await asyncio.to_thread(EventsWorker.drain_all, 30)  # flush what the web request emitted
                received = await asyncio.wait_for(anext(subscriber), timeout=30)
            return response.status_code, task or 0, received

    status, task, event = asyncio.run(submit_and_listen())
    assert status == 303
    assert event.event == "arshjul.answer.submitted"
    assert event.resource.id == f"arshjul.assignment.{task}"
    assert event.payload["phase"] == "spring-input" and event.payload["unit"] == "solsiden"
    assert event.payload["year"] == 2027 and event.payload["revision"] == 1
    assert event.payload["actor"] == "kari@kommune.example" and event.payload["at"].startswith("2027-03-02T")


def test_nothing_is_emitted_once_the_emitter_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    emitted: list[str] = []
    monkeypatch.setattr("prefect.events.emit_event", lambda event, **_kwargs: emitted.append(event))
    with world_at(tmp_path, prefect_events=True) as world:
        token = link_for(world, "kari@kommune.example")
        assert world.client.post(f"/svar/{token}", data=input_fields(token, world)).status_code == 303
    assert "arshjul.answer.draft_saved" in emitted
    emitted.clear()
    with world_at(tmp_path / "off") as world:  # prefect_events=False, and the previous runtime removed its emitter
        token = link_for(world, "kari@kommune.example")
        assert world.client.post(f"/svar/{token}", data=input_fields(token, world)).status_code == 303
    assert emitted == []
