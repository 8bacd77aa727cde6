"""Rules an answer must meet at the moment it is saved, beyond its form's fields: the phase's closing time,
and comments only on what the plan version they concern contains."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from domain.aarshjul.workdays import to_local
from domain.models import Phase
from domain.plan.frame import GENERAL, section_of
from tasks.plan.queries import latest_version


def closed_problem(phase: Phase, now: datetime) -> str | None:
    """The phase closes at its configured moment, on the clock of the request, not at the dispatcher's next run."""
    if now < phase.closes_at:
        return None
    closed = to_local(phase.closes_at)
    return f"Fristen for denne fasen gikk ut {closed:%d.%m.%Y kl. %H.%M}. Svar kan ikke lenger lagres."


def _words(text: str) -> str:
    return " ".join(text.lower().split())


def comment_target_problem(session: Session, year: int, content: dict[str, Any]) -> str | None:
    """A comment must be aimed at a measure of the version it concerns (the newest), a section, or the plan as such."""
    comments = [c for c in content.get("comments") or [] if isinstance(c, dict)]
    if not comments:
        return None
    version = latest_version(session, year)
    measures = version.content.get("measures", []) if version is not None else []
    keys = {str(m.get("key", "")) for m in measures}
    titles = {_words(str(m.get("title", ""))) for m in measures}
    for comment in comments:
        target = str(comment.get("target", ""))
        if target in keys or _words(target) in titles or section_of(target) or _words(target) == GENERAL:
            continue
        number = f"versjon {version.number}" if version is not None else "planen"
        return (
            f"En kommentar gjelder et tiltak som ikke finnes i {number} («{target[:80]}»). "
            "Last inn siden på nytt og kommenter tiltakene som står der."
        )
    return None
