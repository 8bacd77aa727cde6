"""HR's answer to each tillitsvalgt comment in a final draft: accepted, partly or not, with the reason."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session, select

from domain.events import EventKind
from domain.models import CommentAnswer, CommentVerdict, PlanStatus, PlanVersion
from domain.plan.comment_diff import Answers, comment_rows
from domain.plan.content import plan_content
from tasks.events.log import record
from tasks.plan.sources import PlanError

VERDICT_WORDS = {"ja": "accepted", "delvis": "partly", "nei": "not", **{v.value: v.value for v in CommentVerdict}}


def answer_comment(
    session: Session, version: PlanVersion, key: str, verdict: str, reason: str, *, now: datetime, actor: str
) -> CommentAnswer:
    """Record (or change, until the version is adopted) HR's answer to the comment `key` of this version."""
    places = {k: place for k, place, _ in comment_rows(plan_content(version.content))}
    if key not in places:
        known = ", ".join(places) or "ingen"
        raise PlanError(f"Versjon {version.number} har ingen merknad «{key}» (merknadene er: {known}).")
    if verdict.strip().lower() not in VERDICT_WORDS:
        raise PlanError(f"«{verdict}» er ikke et svar; velg ja (tatt til følge), delvis eller nei.")
    if not reason.strip():
        raise PlanError("Skriv en begrunnelse for svaret på merknaden.")
    if version.status in (PlanStatus.ADOPTED, PlanStatus.SUPERSEDED):
        raise PlanError(f"Versjon {version.number} er vedtatt; svarene på merknadene kan ikke endres lenger.")
    found = session.exec(
        select(CommentAnswer).where(CommentAnswer.plan_version_id == version.id, CommentAnswer.comment_key == key)
    ).first()
    answer = found or CommentAnswer(
        plan_version_id=version.id or 0,
        comment_key=key,
        verdict=CommentVerdict.NOT,
        reason="",
        answered_by=actor,
        answered_at=now,
    )
    answer.verdict = CommentVerdict(VERDICT_WORDS[verdict.strip().lower()])
    answer.reason, answer.answered_by, answer.answered_at = reason.strip()[:4000], actor, now
    session.add(answer)
    session.flush()
    record(
        session,
        EventKind.PLAN_COMMENT_ANSWERED,
        at=now,
        cycle_year=version.cycle_year,
        actor=actor,
        number=version.number,
        comment=key,
        verdict=answer.verdict.value,
    )
    return answer


def answers_of(session: Session, version: PlanVersion) -> Answers:
    """comment key -> (verdict, reason) for this version."""
    rows = session.exec(select(CommentAnswer).where(CommentAnswer.plan_version_id == version.id))
    return {a.comment_key: (a.verdict.value, a.reason) for a in rows}
