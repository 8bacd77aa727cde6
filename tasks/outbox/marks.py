"""The small transaction written once per message: the previous message sent, this one handed over.

It runs between two SMTP round trips of every message. On SQLite, where a transaction is CPU work in this process,
it is written on a plain DBAPI connection kept for the round, with statements SQLAlchemy compiled once (and their
types' bind processors applied to the values): through a Session it cost about 1 ms per message on the delivery
benchmark, through Core about half of that. Elsewhere (PostgreSQL: a round trip dominates, and its driver adapts
JSON itself) the same statements go through a Core connection kept for the round.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final, NamedTuple

from sqlalchemy import Connection, Engine
from sqlalchemy.engine.interfaces import Dialect
from sqlalchemy.pool import PoolProxiedConnection
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import UpdateBase


class Prepared:
    """A Core statement compiled once; executed with the bind processors its types would apply.

    The parameters are what `construct_params` and the processors would give, from a plan made at compile time:
    for each bind in the statement's order, the caller's key, or the value compiled in (already processed). Going
    through `construct_params` for every message cost about a quarter of the hand-over transaction's CPU time.
    """

    def __init__(self, statement: UpdateBase, dialect: Dialect, column_keys: list[str] | None = None) -> None:
        compiled = statement.compile(dialect=dialect, column_keys=column_keys)
        assert isinstance(compiled, SQLCompiler)  # a DML statement always compiles to one
        self.sql = compiled.string
        slots: dict[str, _Slot] = {}
        for bind, name in compiled.bind_names.items():
            processor = bind.type.bind_processor(dialect)
            fixed: Any = _REQUIRED
            if not bind.required:
                fixed = bind.effective_value if bind.callable else bind.value
                fixed = processor(fixed) if processor is not None else fixed
            slots[name] = _Slot(bind.key, name, processor, fixed)
        self._positional = bool(compiled.positional)
        order = compiled.positiontup if compiled.positional and compiled.positiontup is not None else list(slots)
        self._slots = tuple(slots[name] for name in order)

    def parameters(self, values: Mapping[str, Any]) -> Any:
        found: list[Any] = []
        for key, name, processor, fixed in self._slots:
            if key in values:
                value = values[key]
            elif name in values:
                value = values[name]
            elif fixed is _REQUIRED:
                raise KeyError(f"a value is required for bind parameter {key!r}")
            else:
                found.append(fixed)
                continue
            found.append(processor(value) if processor is not None else value)
        if self._positional:
            return tuple(found)
        return {slot.name: value for slot, value in zip(self._slots, found, strict=True)}


_REQUIRED: Final = object()


class _Slot(NamedTuple):
    key: str
    name: str
    processor: Callable[[Any], Any] | None
    fixed: Any


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
