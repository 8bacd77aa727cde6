"""Engines, sessions and migrations; the only module that knows how to reach the database."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, event
from sqlmodel import Session, create_engine

from tasks.events.log import HANDLERS_KEY
from tasks.store.guards import install_guards

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
BUSY_TIMEOUT_SECONDS: Final = 30
# The web app runs sync routes on anyio's 40 worker threads, and the scheduler runs beside them. With fewer
# connections than threads, a burst of requests queues for a connection, and every connection beyond the pool's
# size is opened (with its PRAGMAs) and closed again per use. SQLite connections are cheap to keep.
SQLITE_POOL_SIZE: Final = 48
_WRITES: Final = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def make_engine(url: str, *, echo: bool = False) -> Engine:
    """An engine; for SQLite a file with WAL, foreign keys and a busy timeout, since web and scheduler share it.

    SQLite lets one connection write at a time; the others wait in its busy handler, which sleeps and retries
    (1, 2, 5, 10 … 100 ms), so under a burst of answers most of the wait is sleeping after the lock is free. Writers
    in this process therefore queue on a lock of our own first (`_WriteLock`), taken at a connection's first write
    and released when its transaction ends, and are woken the moment it is free (150 submits on 40 threads: half the
    wall time, and no CPU left idle). SQLite's own lock and busy timeout still guard against other processes (the
    CLI, a second worker).
    """
    install_guards()
    if url.startswith("sqlite:///"):
        path = Path(url.removeprefix("sqlite:///"))
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={
                "check_same_thread": False,
                "timeout": BUSY_TIMEOUT_SECONDS,
                "factory": _LockingConnection,
            },
            pool_size=SQLITE_POOL_SIZE,
            max_overflow=0,
        )
        lock = _write_lock_for(path)
        event.listen(engine, "connect", lambda connection, record: _sqlite_connected(connection, lock))
        event.listen(engine, "before_cursor_execute", _before_write)
        return engine
    return create_engine(url, echo=echo, pool_pre_ping=True)


def _sqlite_connected(dbapi_connection: Any, lock: _WriteLock) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
    cursor.close()
    if isinstance(dbapi_connection, _LockingConnection):
        dbapi_connection.write_lock = lock


class _WriteLock:
    """One writing transaction at a time per database file in this process; waiters wake as soon as it is free.

    Not re-entrant on purpose: a thread that already writes through another connection does not wait for itself
    (it goes straight to SQLite, as before), and a writer that waits longer than the busy timeout goes on to SQLite
    too, so this lock never turns a slow writer into a deadlock.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holder: int | None = None  # the thread ident of the holding connection's thread

    def acquire(self) -> bool:
        if self._holder == threading.get_ident():
            return False
        if not self._lock.acquire(timeout=BUSY_TIMEOUT_SECONDS):
            return False
        self._holder = threading.get_ident()
        return True

    def release(self) -> None:
        self._holder = None
        self._lock.release()


_write_locks: dict[str, _WriteLock] = {}
_write_locks_guard = threading.Lock()


def _write_lock_for(path: Path) -> _WriteLock:
    """The same lock for every engine on the same file (tests and tools may open several)."""
    key = str(path.resolve())
    with _write_locks_guard:
        return _write_locks.setdefault(key, _WriteLock())


class _LockingConnection(sqlite3.Connection):
    """A SQLite connection that holds its database's `_WriteLock` from its first write until commit or rollback.

    pysqlite begins a transaction only at the first INSERT/UPDATE/DELETE, so before that a session's reads hold no
    lock at all; the lock is released after SQLite's own commit or rollback has finished, and on close.
    """

    write_lock: _WriteLock | None = None
    holds_write_lock: bool = False

    def take_write_lock(self) -> None:
        if self.write_lock is not None and not self.holds_write_lock:
            self.holds_write_lock = self.write_lock.acquire()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self._release()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self._release()

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._release()

    def _release(self) -> None:
        if self.holds_write_lock and self.write_lock is not None:
            self.holds_write_lock = False
            self.write_lock.release()


def _before_write(connection: Any, _cursor: Any, statement: str, *_args: Any) -> None:
    """Take the write lock before a connection's first writing statement (cheap for reads: a prefix test)."""
    if statement.lstrip()[:7].upper().startswith(_WRITES):
        dbapi_connection = connection.connection.dbapi_connection
        if isinstance(dbapi_connection, _LockingConnection):
            dbapi_connection.take_write_lock()


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False))
    return config


def migrate(engine: Engine) -> None:
    """Create or upgrade the schema to the newest revision."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def session_scope(engine: Engine, handlers: Mapping[Any, Sequence[Any]] | None = None) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error.

    `handlers` are the event handlers that run when the unit records an event (`Runtime.session()` passes the
    composition root's table); a unit opened on a bare engine, such as outbox delivery, runs none.
    """
    with Session(engine, expire_on_commit=False) as session:
        session.info[HANDLERS_KEY] = handlers or {}
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
