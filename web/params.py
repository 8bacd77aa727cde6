"""One parser for the whole numbers that come in from outside: ids in paths, revisions and row numbers in forms.

Python's `int` has no limit, but a database column has: `9223372036854775808` bound to SQLite raises
OverflowError, and PostgreSQL refuses anything over its 4-byte INTEGER. `str.isdigit()` is no guard either:
`"²".isdigit()` is True and `int("²")` raises. So every number from a path, query or form goes through here,
ASCII digits only and bounded to what every database we run on can store.
"""

from __future__ import annotations

import re
from typing import Annotated, Final

from fastapi import Form, Path, Query

DB_INT_MAX: Final = 2**31 - 1  # PostgreSQL INTEGER, the narrowest integer column we store ids in
_DIGITS: Final = re.compile(r"[0-9]{1,10}")  # ASCII only, never longer than DB_INT_MAX has digits


def whole_number(text: object, *, high: int = DB_INT_MAX) -> int | None:
    """A non-negative whole number from text (`"0"` … `high`), or None for anything else; never raises."""
    if not isinstance(text, str) or not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if value <= high else None


# Path and query parameters: out of range is a validation error, which the app answers with 404 (path) or 400.
Id = Annotated[int, Path(ge=0, le=DB_INT_MAX)]
QueryId = Annotated[int, Query(ge=1, le=DB_INT_MAX)]
FormYear = Annotated[int, Form(ge=0, le=9999)]
