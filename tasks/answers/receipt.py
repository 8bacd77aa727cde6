"""The receipt for a submitted answer: a readable copy of it, e-mailed to whoever submitted."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from domain.models import Answer, Person
from tasks.outbox.mail import queue_plain
from tasks.runtime import Runtime


def queue_receipt(
    session: Session, rt: Runtime, *, person: Person, answer: Answer, task_title: str, unit_name: str, link: str,
    now: datetime,
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
            "sections": receipt_sections(answer.content),
            "link": link,
        },
    )


def receipt_sections(content: dict[str, Any]) -> list[dict[str, Any]]:
    """A readable copy of an answer for the receipt email: one section per list, one row per field."""
    sections: list[dict[str, Any]] = []
    plain = [(key, str(value)) for key, value in content.items() if not isinstance(value, list)]
    if plain:
        sections.append({"heading": "Svar", "rows": plain})
    for key, value in content.items():
        if isinstance(value, list):
            for index, item in enumerate(value, start=1):
                rows = [(k, str(v)) for k, v in item.items()] if isinstance(item, dict) else [("", str(item))]
                sections.append({"heading": f"{key} {index}", "rows": rows})
    return sections
