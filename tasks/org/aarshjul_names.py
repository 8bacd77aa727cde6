"""The sector and unit-kind names an årshjul file writes, checked against an organisation.

The årshjul file loads without a database, so a misspelt `sectors: [Oppvekts]` or a `due_by_kind` key no unit has
would silently match nothing. This module finds every such name, with the file's line and field and the nearest
existing name, against the stored organisation (`arshjul check-config`, the HR overview) or the one an import is
about to store (the import's preview). Names match as the audiences and per-sector dates do
(tasks/org/audiences.py, domain/aarshjul/schedule.py): a sector by id or name, a kind by itself, any case.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import inspect
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from config.yaml_lines import ConfigFileError, line_of, load_with_lines
from domain.aarshjul.model import Aarshjul
from domain.aarshjul.parts import suggestion
from domain.models import OrgUnit, UnitLevel
from tasks.org.types import OrgData
from tasks.store.db import make_engine

What = Literal["sector", "kind"]
Location = tuple[str | int, ...]
WORDS: dict[What, str] = {"sector": "sektoren", "kind": "enhetstypen"}


@dataclass(frozen=True)
class NameUse:
    """One sector or unit-kind name as the file writes it, where (`location` in the YAML) and in which field."""

    what: What
    name: str
    location: Location
    field: str  # e.g. phases[1 spring-input].audience[0].sectors[0]


@dataclass(frozen=True)
class KnownNames:
    """An organisation's active sectors (id and name) and unit kinds, as the names in the file are compared."""

    sectors: tuple[tuple[str, str], ...]  # (id, name)
    kinds: tuple[str, ...]

    def matches(self, use: NameUse) -> bool:
        if use.what == "sector":
            return norm(use.name) in {norm(text) for pair in self.sectors for text in pair}
        return norm(use.name) in {norm(kind) for kind in self.kinds}

    def choices(self, what: What) -> list[str]:
        return [name for _, name in self.sectors] if what == "sector" else sorted(set(self.kinds))


@dataclass(frozen=True)
class Unmatched:
    """A name that matches nothing, as one bokmål line: line, field, what is wrong and the nearest name."""

    use: NameUse
    line: int | None
    hint: str

    def __str__(self) -> str:
        where = f"linje {self.line}, {self.use.field}" if self.line else self.use.field
        return f"{where}: {WORDS[self.use.what]} «{self.use.name}» finnes ikke i organisasjonen. {self.hint}"


def norm(text: str) -> str:
    return " ".join(text.lower().split())


def name_uses(aarshjul: Aarshjul) -> list[NameUse]:
    """Every sector and unit-kind name in the file, in file order: audiences' filters and per-sector/kind dates."""
    uses: list[NameUse] = []
    for p, phase in enumerate(aarshjul.written):
        here: Location = ("phases", p)
        label = f"phases[{p} {phase.key}]"
        uses += _in_item(phase, here, label)
        for s, step in enumerate(phase.steps):
            uses += _in_item(step, (*here, "steps", s), f"{label}.steps[{s} {step.key}]")
    return uses


def _in_item(item: Any, here: Location, label: str) -> Iterator[NameUse]:
    for field in ("audience", "prepared_by"):
        for i, entry in enumerate(getattr(item, field, None) or []):
            for j, name in enumerate(entry.sectors):
                yield NameUse("sector", name, (*here, field, i, "sectors", j), f"{label}.{field}[{i}].sectors[{j}]")
            for j, name in enumerate(entry.kinds):
                yield NameUse("kind", name, (*here, field, i, "kinds", j), f"{label}.{field}[{i}].kinds[{j}]")
    for field, what in (("due_by_sector", "sector"), ("due_by_kind", "kind")):
        for name in getattr(item, field, None) or {}:
            yield NameUse(what, name, (*here, field, name), f"{label}.{field}.{name}")  # type: ignore[arg-type]


def unmatched(aarshjul: Aarshjul, known: KnownNames) -> list[Unmatched]:
    """The names in the file that match nothing in `known`, each with its line (when the file is as loaded)."""
    missing = [use for use in name_uses(aarshjul) if not known.matches(use)]
    if not missing:
        return []
    lines = _lines(aarshjul)
    return [Unmatched(use, line_of(lines, use.location) if lines else None, _hint(use, known)) for use in missing]


def _hint(use: NameUse, known: KnownNames) -> str:
    choices = known.choices(use.what)
    if not choices:
        return "Organisasjonen har ingen sektorer." if use.what == "sector" else "Ingen enheter har enhetstype."
    return suggestion(use.name, choices)


# Line maps by (file, digest of the loaded årshjul): parsing the file again took 125 ms, on every overview HR opens
# while a name matches nothing. Only a file whose bytes are the ones loaded is kept.
_LINE_MAPS: dict[tuple[str, str], dict[Location, int]] = {}


def _lines(aarshjul: Aarshjul) -> dict[Location, int]:
    """The file's line map, if the file on disk is still the one loaded (else its lines may point elsewhere)."""
    key = (aarshjul.source, aarshjul.digest)
    if not aarshjul.source or key in _LINE_MAPS:
        return _LINE_MAPS.get(key, {})
    path = Path(aarshjul.source)
    try:
        if hashlib.sha256(path.read_bytes()).hexdigest() != aarshjul.digest:
            return {}
        lines = load_with_lines(path)[1]
    except (OSError, ConfigFileError):
        return {}
    if len(_LINE_MAPS) >= 8:
        _LINE_MAPS.clear()
    _LINE_MAPS[key] = lines
    return lines


def stored_names(session: Session) -> KnownNames | None:
    """The stored organisation's active sectors and kinds; None when no organisation has been imported."""
    active = col(OrgUnit.active)
    # Two small answers rather than every unit: at 5 000 units reading them all took 95 ms per overview.
    if session.exec(select(OrgUnit.id).where(active).limit(1)).first() is None:
        return None
    sectors = session.exec(select(OrgUnit.id, OrgUnit.name).where(active, OrgUnit.level == UnitLevel.SEKTOR)).all()
    kinds = session.exec(select(OrgUnit.kind).where(active, col(OrgUnit.kind).is_not(None)).distinct()).all()
    return KnownNames(
        sectors=tuple((unit_id, name) for unit_id, name in sectors), kinds=tuple(sorted(k for k in kinds if k))
    )


def stored_unmatched(session: Session, aarshjul: Aarshjul) -> list[Unmatched]:
    """The file's names that match nothing in the stored organisation (none while no organisation is imported)."""
    if not name_uses(aarshjul):  # most files name no sector or kind: no query at all
        return []
    known = stored_names(session)
    return unmatched(aarshjul, known) if known is not None else []


def names_after_import(session: Session, data: OrgData) -> KnownNames:
    """The names an import of `data` would leave: its sectors, and its units' kinds (a unit the file gives no kind
    column for keeps the stored one, as tasks/org/upsert.py does)."""
    stored = dict(session.exec(select(OrgUnit.id, OrgUnit.kind)).all())
    kinds = {unit.kind if unit.kind_given else stored.get(unit.id) for unit in data.units}
    return KnownNames(
        sectors=tuple((unit.id, unit.name) for unit in data.units if unit.level == UnitLevel.SEKTOR),
        kinds=tuple(sorted(kind for kind in kinds if kind)),
    )


def import_unmatched(session: Session, aarshjul: Aarshjul, data: OrgData) -> list[Unmatched]:
    """The file's names that would match nothing once `data` is imported (a sector renamed, a kind dropped)."""
    return unmatched(aarshjul, names_after_import(session, data))


def names_in_database(url: str) -> KnownNames | None:
    """`stored_names` of the configured database, read only: None when it does not exist, is not migrated, cannot
    be reached or holds no organisation (check-config must work, and create nothing, without one)."""
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).is_file():
        return None
    engine = make_engine(url)
    try:
        if not inspect(engine).has_table(OrgUnit.__tablename__):
            return None
        with Session(engine) as session:
            return stored_names(session)
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()
