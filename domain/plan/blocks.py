"""The building blocks of a plan document: headings, paragraphs, bullet lists and tables."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from domain.plan.content import PlanContent

if TYPE_CHECKING:
    from domain.plan.comments import Remark


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""  # "lead": a short lead-in in bold; "note": a small remark


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    wide: bool = False  # the measures table: many columns, small type
    caption: str = ""  # what the table holds, for a screen reader and the printed page ("" in the stored text)


@dataclass(frozen=True)
class Rich:
    """Narrative text already as HTML (escaped when it was made): p, ul/ol/li, h3/h4, strong, em, br."""

    html: str


Block = Heading | Paragraph | Bullets | Table | Rich
Blocks = list[Block]
Places = dict[str, list["Remark"]]  # `measure:<key>` or `section:<key>` -> the comments made there
SectionBuilder = Callable[[PlanContent, Places], Blocks]


def kroner(amount: int | float) -> str:
    """50000 -> '50 000 kr' (Norwegian digit grouping)."""
    return f"{round(amount):,} kr".replace(",", " ")


def count_text(counts: dict[str, int]) -> str:
    """{'høy': 2, 'lav': 1} -> 'høy 2, lav 1'."""
    return ", ".join(f"{key} {value}" for key, value in counts.items() if value)
