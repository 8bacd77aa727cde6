"""An unexpected error behind an answer link is logged without the link's working token."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.integration.test_web_answers import World, link_for, world_at
from web.log_redaction import MASK


@pytest.fixture
def world(tmp_path: Path) -> Iterator[World]:
    with world_at(tmp_path) as opened:
        yield opened


def test_the_unexpected_error_log_line_has_no_token(world: World, caplog: pytest.LogCaptureFixture) -> None:
    token = link_for(world, "kari@kommune.example")
    with world.rt.engine.begin() as connection:  # a real failure deep in the request: the answers table is gone
        connection.execute(text("DROP TABLE answer"))
    with caplog.at_level(logging.INFO):
        response = world.client.get(f"/svar/{token}/revisjon/1?lang=nb&token={token}")
    assert response.status_code == 500 and "Noe gikk galt" in response.text
    (line,) = [r for r in caplog.records if r.name == "web.middleware"]
    assert line.getMessage() == f"unexpected error on GET /svar/{MASK}/revisjon/1"
    ours = [r for r in caplog.records if not r.name.startswith("httpx")]  # the test's own client logs the URL
    formatted = "\n".join(logging.Formatter().format(record) for record in ours)
    assert "no such table: answer" in formatted  # the traceback is still there for the operator
    assert token not in formatted and token.split(".")[0] not in formatted and token.split(".")[1] not in formatted
