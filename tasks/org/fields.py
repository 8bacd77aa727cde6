"""Checks of single values in the import files; each returns the clean value or a bokmål message."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from domain.models import UnitLevel
from tasks.org.reading.values import checked_email, control_character
from tasks.org.types import ImportProblem, RawRow

T = TypeVar("T")

LEVEL_WORDS: dict[str, UnitLevel] = {
    "kommune": UnitLevel.KOMMUNE,
    "sektor": UnitLevel.SEKTOR,
    "tjenesteområde": UnitLevel.SEKTOR,
    "tjenesteomrade": UnitLevel.SEKTOR,
    "programområde": UnitLevel.SEKTOR,
    "programomrade": UnitLevel.SEKTOR,
    "virksomhet": UnitLevel.VIRKSOMHET,
    "enhet": UnitLevel.VIRKSOMHET,
    "tjenestested": UnitLevel.VIRKSOMHET,
    "avdeling": UnitLevel.AVDELING,
    "team": UnitLevel.AVDELING,
}
LEVEL_RANK: dict[UnitLevel, int] = {level: rank for rank, level in enumerate(UnitLevel)}
LANGUAGE_WORDS: dict[str, str] = {
    "nb": "nb",
    "bokmål": "nb",
    "bokmal": "nb",
    "no": "nb",
    "nn": "nn",
    "nynorsk": "nn",
    "en": "en",
    "engelsk": "en",
    "english": "en",
}
MAX_LENGTH = {"unit_id": 64, "name": 200, "leader_name": 200, "union": 100, "email": 254, "leader_email": 254}
MAX_LENGTH["kind"] = 64  # the unit kind: skole, barnehage, sykehjem ...
MAX_LENGTH |= {"body": 200, "role": 64}  # the table «organer»: a body's name and a member's role
# More than any unit of a Norwegian municipality has (Oslo has about 50 000 employees in all); also keeps the
# value far inside SQLite's and PostgreSQL's 64-bit INTEGER.
MAX_EMPLOYEES = 100_000


def parse_level(value: str) -> UnitLevel:
    """The level, accepting Norwegian synonyms in any case; raises ValueError with a bokmål message."""
    level = LEVEL_WORDS.get(value.strip().lower())
    if level is None:
        allowed = "kommune, sektor, virksomhet eller avdeling"
        raise ValueError(f"'{value}' er ikke et gyldig nivå (bruk {allowed})")
    return level


def parse_email(value: str) -> str:
    """The address lower-cased; raises ValueError with a bokmål message if it is not one."""
    return checked_email(value)


def parse_employees(value: str) -> int:
    """An empty cell is 0; anything but a whole number, 0 or more, raises ValueError with a bokmål message."""
    text = value.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return 0
    if not text.isdigit() or not text.isascii():
        raise ValueError(f"'{value}' er ikke et gyldig antall ansatte (skriv et helt tall, 0 eller mer)")
    if len(text.lstrip("0")) > len(str(MAX_EMPLOYEES)) or int(text) > MAX_EMPLOYEES:
        shown = value if len(value) <= 30 else f"{value[:27]}…"
        limit = f"{MAX_EMPLOYEES:,}".replace(",", " ")
        raise ValueError(f"'{shown}' er ikke et mulig antall ansatte for én enhet (høyst {limit})")
    return int(text)


def parse_language(value: str) -> str | None:
    """nb, nn or en; None for an empty cell; raises ValueError with a bokmål message otherwise."""
    if not value.strip():
        return None
    language = LANGUAGE_WORDS.get(value.strip().lower())
    if language is None:
        raise ValueError(f"'{value}' er ikke et gyldig språk (bruk nb, nn eller en)")
    return language


def parse_kind(value: str) -> str | None:
    """The unit kind trimmed, inner spaces single and lower-cased ('Skole ' -> 'skole'); None for an empty cell."""
    return " ".join(value.split()).lower() or None


def too_long(column: str, value: str) -> str | None:
    limit = MAX_LENGTH.get(column)
    if limit is not None and len(value) > limit:
        return f"teksten er for lang ({len(value)} tegn, høyst {limit})"
    return None


def same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


@dataclass
class RowReader:
    """Reads one row's cells, collecting a problem (with source, row and column) for every bad one."""

    source: str
    row: RawRow
    columns: tuple[str, ...]
    problems: list[ImportProblem]
    dirty: set[str] = field(default_factory=set)  # columns already reported for a control character

    def has(self, column: str) -> bool:
        return column in self.columns

    def text(self, column: str, *, required: bool = True) -> str:
        value = self.row.values.get(column, "")
        if not self._clean(column):
            return value
        if required and not value and self.has(column):
            self.fail(column, "mangler verdi")
        elif (message := too_long(column, value)) is not None:
            self.fail(column, message)
        return value

    def parse(self, column: str, parser: Callable[[str], T]) -> T | None:
        if not self._clean(column):
            return None
        try:
            return parser(self.row.values.get(column, ""))
        except ValueError as error:
            self.fail(column, str(error))
            return None

    def _clean(self, column: str) -> bool:
        """False (once reported) when the cell holds a control character: CR, LF, NUL, TAB, VT and the like."""
        if column in self.dirty:
            return False
        message = control_character(self.row.values.get(column, ""))
        if message is not None:
            self.dirty.add(column)
            self.fail(column, message)
        return message is None

    def fail(self, column: str, message: str) -> None:
        self.problems.append(ImportProblem(self.source, self.row.number, column, message))
