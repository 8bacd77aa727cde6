"""An answer's revisions for the person answering: who saved what, when, and for whom."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from domain.models import Answer, Person
from tasks.answers.submission import AnswerContext
from tasks.plan.versions import latest_version
from web.i18n import Translator


@dataclass(frozen=True)
class RevisionLine:
    """One row of the history: revision, draft or submitted, when, by whom (and for whom), and where to see it."""

    revision: int
    status: str  # the shown word: utkast / sendt inn
    when: str
    by: str
    url: str


def names_of(session: Session, answers: Iterable[Answer | None]) -> dict[int, str]:
    """The names of everyone who wrote, or was written for, in these answers."""
    ids = {i for a in answers if a is not None for i in (a.author_id, a.on_behalf_of_id) if i is not None}
    if not ids:
        return {}
    people = session.exec(select(Person).where(col(Person.id).in_(ids))).all()
    return {person.id or 0: person.name for person in people}


def author_of(answer: Answer, names: dict[int, str], t: Translator) -> str:
    """'Kari Nordmann', or 'Vera Vikar på vegne av Kari Nordmann' when a substitute saved it."""
    author = names.get(answer.author_id, "?")
    if answer.on_behalf_of_id is None:
        return author
    return t("answer.history.on_behalf", author=author, owner=names.get(answer.on_behalf_of_id, "?"))


def revision_url(token: str, revision: int, asked: str | None) -> str:
    return f"/svar/{token}/revisjon/{revision}" + (f"?lang={asked}" if asked else "")


def revision_lines(
    session: Session, ctx: AnswerContext, token: str, t: Translator, asked: str | None
) -> list[RevisionLine]:
    """Every revision of the answer, newest first."""
    names = names_of(session, ctx.answers)
    return [
        RevisionLine(
            revision=answer.revision,
            status=t(f"answer.kind.{answer.status.value}"),
            when=t.when(answer.created_at),
            by=author_of(answer, names, t),
            url=revision_url(token, answer.revision, asked),
        )
        for answer in reversed(ctx.answers)
    ]


def plan_measures(session: Session, ctx: AnswerContext) -> dict[str, dict[str, Any]]:
    """For a consultation: the draft plan's measures by key, so a comment shows which measure it is about."""
    if ctx.assignment.form != "consultation":
        return {}
    version = latest_version(session, ctx.year)
    measures = version.content.get("measures", []) if version else []
    return {str(m["key"]): {"title": str(m.get("title", ""))} for m in measures if isinstance(m, dict)}
