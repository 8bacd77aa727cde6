"""HR's actions on many tasks at once: what kinds there are, and the record of each confirmed run."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from domain.types import UtcDateTime


class BulkKind(StrEnum):
    """An action on the selected tasks; the value is the word in the console's forms."""

    REMIND = "purring"
    EXTEND = "frist"
    EXCUSE = "fritak"
    HAND_OVER = "stedfortreder"


BULK_TITLES = {
    BulkKind.REMIND: "Send påminnelse",
    BulkKind.EXTEND: "Flytt fristen",
    BulkKind.EXCUSE: "Frita oppgavene",
    BulkKind.HAND_OVER: "Gi oppgavene til en stedfortreder",
}
HR_ONLY_KINDS = frozenset({BulkKind.EXCUSE, BulkKind.HAND_OVER})  # as on the task page: a kommunalsjef cannot


class BulkRun(SQLModel, table=True):
    """One confirmed bulk action: its key (from the preview) makes a second submit of the same form a no-op."""

    __tablename__ = "bulk_run"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=64, unique=True, index=True)
    kind: str = Field(max_length=20)
    account_id: int = Field(foreign_key="user_account.id", index=True)
    actor: str = Field(max_length=200)
    created_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    # What was done and skipped per task, as the result page shows it (unit, person, state, done, text).
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
