"""The small transaction written once per message: the previous message sent, this one handed over.

It runs between two SMTP round trips of every message. On SQLite, where a transaction is CPU work in this process,
it is written on a plain DBAPI connection kept for the round, with statements SQLAlchemy compiled once (and their
types' bind processors applied to the values): through a Session it cost about 1 ms per message on the delivery
benchmark, through Core about half of that. Elsewhere (PostgreSQL: a round trip dominates, and its driver adapts
JSON itself) the same statements go through a Core connection kept for the round.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase


class Prepared:
    """A Core statement compiled once; executed with the bind processors its types would apply."""

    def __init__(self, statement: UpdateBase, dialect: Dialect, column_keys: list[str] | None = None) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        assert isinstance(compiled, SQLCompiler)  # a DML statement always compiles to one
        self._compiled = compiled
        self.sql = self._compiled.string
        self._order = self._compiled.positiontup if self._compiled.positional else None
        self._processors: dict[str, Callable[[Any], Any]] = {}
        for name, bind in self._compiled.binds.items():
            processor = bind.type.bind_processor(dialect)
            if processor is not None:
                self._processors[name] = processor

    def parameters(self, values: Mapping[str, Any]) -> Any:
        params = dict(self._compiled.construct_params(dict(values)) or {})
        for name, processor in self._processors.items():
            if name in params:
                params[name] = processor(params[name])
        return tuple(params[name] for name in self._order) if self._order is not None else params


class Marks:
    """One DBAPI connection for the round's per-message transactions (SQLite: WAL, the commit does not fsync)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._raw: PoolProxiedConnection | None = None
        self._core: Connection | None = None
        self._prepared: dict[int, Prepared] = {}

    def transaction(self) -> Transaction | CoreTransaction:
        if self._engine.dialect.name != "sqlite":
            if self._core is None:
                self._core = self._engine.connect()
            return CoreTransaction(self._core)
        if self._raw is None:
            self._raw = self._engine.raw_connection()
        return Transaction(self, self._raw)

    def prepared(self, statement: UpdateBase, column_keys: list[str] | None = None) -> Prepared:
        found = self._prepared.get(id(statement))
        if found is None:
            found = self._prepared[id(statement)] = Prepared(statement, self._engine.dialect, column_keys)
        return found

    def close(self) -> None:
        if self._raw is not None:
            self._raw.close()
            self._raw = None
        if self._core is not None:
            self._core.close()
            self._core = None


class Transaction:
    """Statements on the kept connection, committed together when the `with` block ends, rolled back on error."""

    def __init__(self, marks: Marks, raw: PoolProxiedConnection) -> None:
        self._marks, self._raw = marks, raw
        self._cursor = raw.cursor()
        # Our SQLite connections queue for the database's write lock before their first write (arshjul/db.py);
        # plain DBAPI calls pass the hook that takes it, so take it here.
        take_write_lock = getattr(raw.driver_connection, "take_write_lock", None)
        if take_write_lock is not None:
            take_write_lock()

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        self._cursor.close()
        if exc_type is None:
            self._raw.commit()
        else:
            self._raw.rollback()

    def execute(self, statement: UpdateBase, values: Mapping[str, Any], column_keys: list[str] | None = None) -> int:
        """Run one statement; its row count."""
        prepared = self._marks.prepared(statement, column_keys)
        self._cursor.execute(prepared.sql, prepared.parameters(values))
        return int(self._cursor.rowcount)


class CoreTransaction:
    """The same, through SQLAlchemy Core."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._transaction = connection.begin()

    def __enter__(self) -> CoreTransaction:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *_: object) -> None:
        if exc_type is None:
            self._transaction.commit()
        else:
            self._transaction.rollback()

    def execute(self, statement: UpdateBase, values: Mapping[str, Any], column_keys: list[str] | None = None) -> int:
        return int(self._connection.execute(statement, dict(values)).rowcount)
