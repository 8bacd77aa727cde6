"""Guessing the HR password: after five failures in fifteen minutes, one address waits (on the injected clock)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from domain.aarshjul.workdays import OSLO
from tests.integration.test_web_answers import World, world_at
from web.hr.login_limit import LoginThrottle, minutes


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as opened:
        yield opened


def _try(world: World, password: str) -> tuple[int, str, str]:
    page = world.client.get("/hr/login")
    csrf = re.search(r'name="csrf_token" value="([0-9a-f]+)"', page.text)
    assert csrf
    response = world.client.post("/hr/login", data={"csrf_token": csrf.group(1), "passord": password})
    return response.status_code, response.text, response.headers.get("set-cookie", "")


def test_five_wrong_passwords_make_the_login_wait_fifteen_minutes(world: World) -> None:
    password = world.rt.settings.hr_password.get_secret_value()
    for attempt in range(5):
        world.clock.advance(timedelta(minutes=1))
        status, text, _ = _try(world, f"gjett-{attempt}")
        assert status == 401 and "Feil passord" in text
    status, text, cookie = _try(world, password)  # even the right password waits now
    assert status == 429 and "For mange mislykkede innloggingsforsøk" in text and "vente 11 min." in text
    assert "arshjul_hr" not in cookie and world.client.get("/hr").status_code == 303
    world.clock.advance(timedelta(minutes=11))  # the first failure is fifteen minutes old: one more try is allowed
    status, _, cookie = _try(world, password)
    assert status == 303 and "arshjul_hr" in cookie


def test_a_successful_login_clears_the_count() -> None:
    throttle, now = LoginThrottle(limit=3, window=timedelta(minutes=15)), datetime(2027, 3, 2, 10, 0, tzinfo=OSLO)
    for _ in range(2):
        throttle.failed("10.0.0.1", now)
    throttle.succeeded("10.0.0.1")
    for _ in range(2):
        throttle.failed("10.0.0.1", now)
    assert throttle.wait("10.0.0.1", now) is None
    throttle.failed("10.0.0.1", now)
    wait = throttle.wait("10.0.0.1", now + timedelta(minutes=5))
    assert wait == timedelta(minutes=10) and minutes(wait) == 10
    assert throttle.wait("10.0.0.2", now) is None  # another address is not affected
    assert throttle.wait("10.0.0.1", now + timedelta(minutes=15)) is None
