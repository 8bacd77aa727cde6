"""The process-wide SQLite write lock: taken at a connection's first write, released when its transaction ends."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

import tasks.store.db
from tasks.store.db import _LockingConnection, _write_lock_for, _WriteLock, make_engine


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE t (x INTEGER)"))
    yield engine
    engine.dispose()


def _lock(engine: Engine) -> _WriteLock:
    assert engine.url.database is not None
    return _write_lock_for(Path(engine.url.database))


def _held(engine: Engine) -> bool:
    return _lock(engine)._lock.locked()


def test_reads_take_no_lock_and_a_write_holds_it_until_commit(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("SELECT count(*) FROM t"))
        assert not _held(engine)
        connection.execute(text("INSERT INTO t VALUES (1)"))
        assert _held(engine)
        connection.commit()
        assert not _held(engine)
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 1


def test_rollback_and_a_connection_given_back_uncommitted_release_it(engine: Engine) -> None:
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO t VALUES (1)"))
        connection.rollback()
        assert not _held(engine)
        connection.execute(text("UPDATE t SET x = 2"))
        assert _held(engine)
    assert not _held(engine)  # the pool rolls back what was left open
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM t")).scalar_one() == 0


def test_engines_on_the_same_file_share_one_lock(engine: Engine, tmp_path: Path) -> None:
    other = make_engine(f"sqlite:///{tmp_path / 'lock.db'}")
    try:
        with other.connect() as connection:
            connection.execute(text("INSERT INTO t VALUES (1)"))
            assert _held(engine)
            connection.commit()
        assert not _held(engine)
    finally:
        other.dispose()


def test_a_second_writer_waits_for_the_first_and_both_rows_are_kept(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    about_to_wait = threading.Event()
    acquire = _WriteLock.acquire

    def announced(lock: _WriteLock) -> bool:
        if threading.current_thread().name == "second-writer":
            about_to_wait.set()
        return acquire(lock)

    monkeypatch.setattr(tasks.store.db._WriteLock, "acquire", announced)
    errors: list[BaseException] = []

    def second() -> None:
        try:
            with engine.begin() as connection:
                connection.execute(text("INSERT INTO t VALUES (2)"))
        except BaseException as exc:  # reported to the test below
            errors.append(exc)

    with engine.connect() as first:
        first.execute(text("INSERT INTO t VALUES (1)"))
        writer = threading.Thread(target=second, name="second-writer")
        writer.start()
        assert about_to_wait.wait(10)
        assert _held(engine)  # held by `first`: the second writer queues on the lock, not in SQLite's busy handler
        first.commit()
    writer.join(10)
    assert not writer.is_alive() and errors == []
    with engine.connect() as connection:
        assert sorted(connection.execute(text("SELECT x FROM t")).scalars()) == [1, 2]
    assert not _held(engine)


def test_a_thread_that_already_writes_does_not_wait_for_itself(engine: Engine) -> None:
    with engine.connect() as first:
        first.execute(text("INSERT INTO t VALUES (1)"))
        second = engine.raw_connection()
        try:
            dbapi = second.dbapi_connection
            assert isinstance(dbapi, _LockingConnection)
            dbapi.take_write_lock()  # returns at once: the same thread holds the lock through `first`
            assert not dbapi.holds_write_lock
        finally:
            second.close()
        assert _held(engine)
        first.commit()
    assert not _held(engine)
