"""The organisation import in two steps, as the console runs it: preview what would change, then apply exactly that.

The preview reads and validates the files with the importer's own rules and messages (read_organisation) and
diffs them against the stored organisation without writing. Applying runs the ordinary import in one unit of work,
but only if the organisation is still as it was at the preview (its fingerprint); otherwise nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Final

from sqlmodel import Session

from domain.aarshjul.bodies import DEFAULT_BODIES, PlanBody
from domain.aarshjul.model import Aarshjul
from tasks.org.aarshjul_names import Unmatched, import_unmatched
from tasks.org.diff import ChangeSet, diff_organisation, fingerprint
from tasks.org.importer import ImportReport, import_organisation, read_organisation
from tasks.org.types import ImportProblem

STALE: Final = (
    "Organisasjonen er endret siden forhåndsvisningen (for eksempel av en annen import), så endringene du så, "
    "stemmer ikke lenger. Ingenting er lagret. Last opp filen på nytt for å se hva den vil endre nå."
)


class StalePreview(ValueError):
    """The organisation changed between the preview and the apply; the text is for the person, in bokmål."""

    def __init__(self) -> None:
        super().__init__(STALE)


@dataclass(frozen=True)
class Preview:
    changes: ChangeSet | None  # None when the files have problems
    problems: list[ImportProblem]
    # The årshjul file's sector and unit-kind names the new organisation would leave matching nothing.
    unmatched: tuple[Unmatched, ...] = ()


def preview_import(session: Session, paths: Sequence[Path], aarshjul: Aarshjul | None = None) -> Preview:
    """What importing the files would change, or every problem with them; writes nothing.

    Take the organisation's `fingerprint` in the same unit of work, before, to refuse a stale apply later. Given the
    årshjul, the preview also names the file's sector and kind names the new organisation would not have.
    """
    data, problems = read_organisation(paths, aarshjul.plan_bodies if aarshjul is not None else DEFAULT_BODIES)
    if data is None:
        return Preview(None, problems)
    unmatched = tuple(import_unmatched(session, aarshjul, data)) if aarshjul is not None else ()
    return Preview(diff_organisation(session, data), [], unmatched)


def apply_previewed(
    session: Session,
    paths: Sequence[Path],
    *,
    previewed: str,
    at: datetime,
    actor: str,
    bodies: Sequence[PlanBody] = DEFAULT_BODIES,
) -> ImportReport:
    """Import the files in the caller's unit of work, if the organisation is as it was at the preview.

    StalePreview otherwise. A report with problems means nothing was written (the caller shows them).
    """
    if fingerprint(session) != previewed:
        raise StalePreview()
    return import_organisation(session, paths, at=at, actor=actor, bodies=bodies)
