"""Plain data passed between reading, validating and importing the organisation files."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from domain.models import UnitLevel

TableKind = Literal["units", "tillitsvalgte", "ansatte", "organer"]


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with the import files; the message is for the user, in bokmål."""

    source: str
    row: int | None
    field: str | None
    message: str

    def __post_init__(self) -> None:
        # Messages quote cells and headers; a line break or escape code in one must not reach the terminal raw
        object.__setattr__(self, "source", visible(self.source))
        object.__setattr__(self, "message", visible(self.message))

    def __str__(self) -> str:
        parts = [self.source]
        if self.row is not None:
            parts.append(f"rad {self.row}")
        where = ", ".join(parts)
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


def visible(text: str) -> str:
    """Control characters as their Unicode pictures (LF as ␊, NUL as ␀), the rest of C1 and separators as �."""
    return _CONTROL.sub(lambda found: _PICTURES.get(found.group(), "\ufffd"), text)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_PICTURES = {chr(code): chr(0x2400 + code) for code in range(0x20)} | {"\x7f": "\u2421"}


@dataclass(frozen=True)
class RawRow:
    number: int  # the row number as the user sees it in Excel or the file; the header is row 1
    values: dict[str, str]  # canonical column name -> trimmed text


@dataclass(frozen=True)
class RawTable:
    kind: TableKind
    source: str  # file name, plus ":sheet" for xlsx
    rows: list[RawRow]
    columns: tuple[str, ...] = ()  # canonical columns present in the header


@dataclass(frozen=True)
class UnitSpec:
    id: str
    name: str
    parent_id: str | None
    level: UnitLevel
    employees: int
    leader_name: str | None
    leader_email: str | None  # lower-cased
    leader_language: str | None  # None when the file does not say
    source: str = ""
    row: int = 0
    kind: str | None = None  # skole, barnehage, ... lower case
    kind_given: bool = False  # the file has the kind column; without it an import keeps the kinds already stored


@dataclass(frozen=True)
class RepSpec:
    name: str
    email: str  # lower-cased
    union: str
    unit_id: str
    source: str = ""
    row: int = 0


@dataclass(frozen=True)
class EmployeeSpec:
    """An employee from the optional table of employees: name, e-mail and unit only (nothing else from HR)."""

    name: str
    email: str  # lower-cased
    unit_id: str
    source: str = ""
    row: int = 0


@dataclass(frozen=True)
class MemberSpec:
    """A seat in a body from the optional table «organer»: the body as named in plan_bodies, the person, the role."""

    body: str  # the body's name in plan_bodies (an alias in the file is stored as the name)
    name: str
    email: str  # lower-cased
    role: str  # lower case; "medlem" when the file does not say
    source: str = ""
    row: int = 0


@dataclass(frozen=True)
class OrgData:
    """A validated organisation: units parent-first, tillitsvalgte, employees and body members (None: no table)."""

    units: list[UnitSpec]
    representatives: list[RepSpec] | None
    files: list[str] = field(default_factory=list)
    employees: list[EmployeeSpec] | None = None
    members: list[MemberSpec] | None = None  # None when the files have no table «organer»: keep the stored ones


@dataclass
class Changes:
    """Bokmål lines describing what changed, and which units in the files were touched."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    touched: set[str] = field(default_factory=set)

    @property
    def any(self) -> bool:
        return bool(self.created or self.updated or self.deactivated)
