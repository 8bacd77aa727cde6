"""The plan period (e.g. Kompetanseplan 2027–2030) and the draft of its narrative, which HR edits in the console.

A period covers plan years `first_year`..`last_year`; its narrative is carried from year to year, and a new period
starts from the previous one's text. Each row of `plan_text` is the current draft of one section: every compiled
version copies the drafts into its own (immutable) content, so an edit reaches the next version and no earlier one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from domain.types import UtcDateTime


def _when() -> Any:
    return Field(default=None, sa_type=UtcDateTime, nullable=False)


class PlanPeriod(SQLModel, table=True):
    __tablename__ = "plan_period"
    id: int | None = Field(default=None, primary_key=True)
    first_year: int = Field(index=True, unique=True)  # plan years, inclusive
    last_year: int
    created_by: str = Field(max_length=200)
    created_at: datetime = _when()

    @property
    def label(self) -> str:
        return f"{self.first_year}–{self.last_year}" if self.last_year != self.first_year else str(self.first_year)


class PlanText(SQLModel, table=True):
    """The draft of one narrative section of a period; `revision` counts saves, so two editors cannot overwrite
    each other unseen."""

    __tablename__ = "plan_text"
    __table_args__ = (UniqueConstraint("period_id", "key", name="uq_plan_text_key"),)
    id: int | None = Field(default=None, primary_key=True)
    period_id: int = Field(foreign_key="plan_period.id", index=True)
    key: str = Field(max_length=64)
    position: int
    title: str = Field(max_length=200)
    markdown: str = Field(default="", sa_column=Column(Text, nullable=False))
    revision: int = 1
    updated_by: str = Field(max_length=200)
    updated_at: datetime = _when()
