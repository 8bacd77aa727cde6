"""The receipt for a submitted answer: a readable copy of it, e-mailed to whoever submitted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from domain.aarshjul.terms import DEFAULT_TERMS, Terms
from domain.answer_copy import answer_sections
from domain.models import Answer, Person
from tasks.outbox.mail import queue_plain
from tasks.runtime import Runtime


def queue_receipt(
    session: Session,
    rt: Runtime,
    *,
    person: Person,
    answer: Answer,
    task_title: str,
    unit_name: str,
    link: str,
    now: datetime,
    form: str = "",
) -> None:
    """Queue the receipt in the same unit of work as the answer (once per answer row)."""
    queue_plain(
        session,
        rt,
        person=person,
        template="receipt",
        kind="receipt",
        key=f"receipt:{answer.id}",
        now=now,
        context={
            "task_title": task_title,
            "unit_name": unit_name,
            "submitted_at": now,
            "sections": receipt_sections(answer.content, form, person.language, rt.aarshjul.terms),
            "link": link,
        },
    )


def receipt_sections(
    content: dict[str, Any], form: str = "", language: str = "nb", terms: Terms = DEFAULT_TERMS
) -> list[dict[str, Any]]:
    """A readable copy of an answer for the receipt email: the form's labels in the person's language."""
    return answer_sections(form, content, language if language in ("nb", "nn", "en") else "nb", terms)
