"""Migration 0013 on an outbox written before it: messages keep their rows and carry no files; down again drops both."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from tasks.store.db import make_engine
from tests.support.migrations import move_to

INSERT_MESSAGE = (
    "INSERT INTO outbox_message (idempotency_key, message_id, kind, to_address, to_name, subject, body_text, "
    "body_html, assignment_ids, status, attempts, last_error, created_at, next_attempt_at, relay_reply, uncertain, "
    "waiting_for_relay) VALUES ('step:2027:x:1', '<a@b>', 'notice', 'kari@testvik.no', 'Kari', 'Emne', 'T', 'H', "
    "'[]', 'PENDING', 0, '', '2027-02-01 08:00:00', '2027-02-01 08:00:00', '', 0, 0)"
)


def _shape(url: str) -> tuple[list[str], bool]:
    engine = make_engine(url)
    found = inspect(engine)
    shape = ([c["name"] for c in found.get_columns("outbox_message")], found.has_table("outbox_attachment"))
    engine.dispose()
    return shape


def test_the_files_come_with_0013_and_go_with_its_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    move_to(url, "0012")
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text(INSERT_MESSAGE))
    engine.dispose()
    columns, has_files = _shape(url)
    assert "attachment_ids" not in columns and not has_files
    move_to(url, "0013")
    engine = make_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT idempotency_key, attachment_ids FROM outbox_message")).all() == [
            ("step:2027:x:1", None)
        ]
        connection.execute(
            text("INSERT INTO outbox_attachment (sha256, filename, content_type, data) VALUES ('ab', 'a.pdf', "
                 "'application/pdf', x'25504446')")
        )  # fmt: skip
        connection.execute(text("UPDATE outbox_message SET attachment_ids = '[1]'"))
    engine.dispose()
    move_to(url, "0012", down=True)
    columns, has_files = _shape(url)
    assert "attachment_ids" not in columns and not has_files
    engine = make_engine(url)
    with engine.begin() as connection:
        assert connection.execute(text("SELECT idempotency_key, subject FROM outbox_message")).all() == [
            ("step:2027:x:1", "Emne")
        ]
    engine.dispose()
