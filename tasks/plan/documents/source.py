"""A stored plan version, with its handlings, as the neutral document every format renders."""

from __future__ import annotations

from sqlmodel import Session

from domain.aarshjul.workdays import to_local
from domain.models import PlanVersion
from domain.plan.comment_diff import answer_text
from domain.plan.content import plan_content
from domain.plan.document import HandlingRow, PlanDocument, VersionMeta, plan_document
from domain.plan.privacy import without_names
from tasks.plan.comment_answers import answers_of
from tasks.plan.queries import handlings_of, parent_number


def version_meta(session: Session, version: PlanVersion) -> VersionMeta:
    return VersionMeta(
        number=version.number,
        status=version.status.value,
        created_at=to_local(version.created_at),
        created_by=version.created_by,
        content_hash=version.content_hash,
        parent_number=parent_number(session, version),
    )


def version_document(session: Session, version: PlanVersion, *, names: bool = True) -> PlanDocument:
    """The whole plan as written in this version, plus the handlings and HR's comment answers recorded on it since;
    `names=False` shows the tillitsvalgte by union only (the public plan's default)."""
    handlings = [
        HandlingRow(h.body, h.held_on, h.kind.value, h.case_number, h.outcome) for h in handlings_of(session, version)
    ]
    answers = {key: answer_text(*given) for key, given in answers_of(session, version).items()}
    content = plan_content(version.content)
    content = content if names else without_names(content)
    return plan_document(content, version_meta(session, version), handlings, answers)
