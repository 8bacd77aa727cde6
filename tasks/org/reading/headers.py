"""Column names of the import tables, their Norwegian aliases, and telling the tables apart."""

from __future__ import annotations

import re
from collections.abc import Sequence

from tasks.org.types import ImportProblem, TableKind

UNIT_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_id": ("enhet_id", "enhetsid", "id"),
    "name": ("navn",),
    "parent_id": ("overordnet", "overordnet_id", "forelder"),
    "level": ("nivå", "niva"),
    "leader_name": ("leder", "leder_navn", "ledernavn"),
    "leader_email": ("e-post", "epost", "leder_e-post", "leder_epost", "email"),
    "employees": ("ansatte", "antall_ansatte"),
    "leader_language": ("språk", "sprak", "leder_språk", "målform"),
    "kind": ("enhetstype", "type"),  # optional: skole, barnehage, sykehjem ... for audience filters and deadlines
}
REP_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("navn",),
    "email": ("e-post", "epost"),
    "union": ("forbund", "organisasjon"),
    "unit_id": ("enhet_id", "enhet", "omfang"),
}
EMPLOYEE_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("navn",),
    "email": ("e-post", "epost"),
    "unit_id": ("enhet_id", "enhet"),
}
MEMBER_ALIASES: dict[str, tuple[str, ...]] = {
    "body": ("organ", "utvalg", "forum"),
    "name": ("navn", "medlem"),
    "email": ("e-post", "epost"),
    "role": ("rolle", "verv", "funksjon"),  # optional: leder, sekretær, medlem …
}
REQUIRED: dict[TableKind, tuple[str, ...]] = {
    "units": ("unit_id", "name", "parent_id", "level", "leader_name", "leader_email"),
    "tillitsvalgte": ("name", "email", "union", "unit_id"),
    "ansatte": ("name", "email", "unit_id"),
    "organer": ("body", "name", "email"),
}
ALIASES: dict[TableKind, dict[str, tuple[str, ...]]] = {
    "units": UNIT_ALIASES,
    "tillitsvalgte": REP_ALIASES,
    "ansatte": EMPLOYEE_ALIASES,
    "organer": MEMBER_ALIASES,
}
SHEET_NAMES: dict[str, TableKind] = {
    "enheter": "units",
    "units": "units",
    "organisasjon": "units",
    "tillitsvalgte": "tillitsvalgte",
    "union_representatives": "tillitsvalgte",
    "ansatte": "ansatte",  # the optional table of employees, told apart by the sheet's or the CSV file's name
    "employees": "ansatte",
    "organer": "organer",  # the optional table of body members, by name or by its «organ» column
    "bodies": "organer",
    "body_members": "organer",
}
KIND_LABEL: dict[TableKind, str] = {
    "units": "enheter",
    "tillitsvalgte": "tillitsvalgte",
    "ansatte": "ansatte",
    "organer": "medlemmer av organer",
}


def normalise(header: str) -> str:
    """Trimmed, lower-case, inner spaces as underscores: ' Leder e-post ' -> 'leder_e-post'."""
    return re.sub(r"\s+", "_", header.replace("\ufeff", "").strip().lower())


def column_map(kind: TableKind, headers: Sequence[str]) -> dict[int, str]:
    """Position -> canonical column for the headers this kind of table knows; first occurrence wins."""
    lookup = {name: name for name in ALIASES[kind]}
    lookup.update({alias: name for name, aliases in ALIASES[kind].items() for alias in aliases})
    found: dict[int, str] = {}
    for position, header in enumerate(headers):
        canonical = lookup.get(normalise(header))
        if canonical is not None and canonical not in found.values():
            found[position] = canonical
    return found


def guess_kind(headers: Sequence[str]) -> TableKind | None:
    """Which table the headers describe, or None when they fit neither well enough."""
    units = set(column_map("units", headers).values())
    reps = set(column_map("tillitsvalgte", headers).values())
    if "body" in column_map("organer", headers).values() and not units & {"parent_id", "level"} and "union" not in reps:
        return "organer"
    if "union" in reps and not units & {"parent_id", "level", "leader_name"}:
        return "tillitsvalgte"
    if len(units) >= 3 and len(units) >= len(reps):
        return "units"
    if len(reps) >= 3:
        return "tillitsvalgte"
    return None


def kind_of_sheet(title: str) -> TableKind | None:
    return SHEET_NAMES.get(normalise(title))


def missing_columns(kind: TableKind, columns: Sequence[str], source: str) -> list[ImportProblem]:
    """One problem per required column the header row lacks, naming the accepted spellings."""
    problems = []
    for name in REQUIRED[kind]:
        if name not in columns:
            accepted = ", ".join((name, *ALIASES[kind][name]))
            message = f"kolonnen mangler i overskriftsraden (godtatte navn: {accepted})"
            problems.append(ImportProblem(source, 1, name, message))
    return problems


def unknown_headers(headers: Sequence[str], source: str) -> ImportProblem:
    shown = ", ".join(h for h in headers if h.strip()) or "(ingen)"
    units, reps = ", ".join(REQUIRED["units"]), ", ".join(REQUIRED["tillitsvalgte"])
    expected = f"enheter ({units}) eller tillitsvalgte ({reps})"
    message = f"kjenner ikke igjen kolonnene ({shown}); forventet en tabell med {expected}"
    return ImportProblem(source, 1, None, message)
