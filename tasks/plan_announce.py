"""The adopted plan goes to every unit leader, once per version and person, whoever recorded the adoption."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from arshjul.runtime import Runtime
from domain.models import PlanVersion, RoleKind
from domain.plan_blocks import kroner
from domain.plan_content import PlanContent, plan_content
from tasks.mail import queue_plain
from tasks.people import leaders


def announce_adoption(
    session: Session, rt: Runtime, version: PlanVersion, *, year: int, handlings: list[dict[str, Any]], now: datetime
) -> int:
    """Queue the adoption email to each unit leader; returns how many were newly queued (a repeat queues none)."""
    decision = next((h for h in handlings if h["kind"] == "vedtak"), handlings[-1])
    recipients = {person.id: person for person, _ in leaders(session, RoleKind.UNIT_LEADER)}
    queued = 0
    for person in recipients.values():
        queued += (
            queue_plain(
                session,
                rt,
                person=person,
                template="plan_adopted",
                kind="plan_adopted",
                key=f"plan_adopted:{version.id}:{person.id}",
                now=now,
                context={
                    "plan_title": version.title,
                    "adopted_on": str(decision["held_on"]),
                    "body": decision["body"],
                    "case_number": decision.get("case_number", ""),
                    "summary_lines": summary_lines(plan_content(version.content)),
                    "link": f"{rt.settings.base_url.rstrip('/')}/plan/{year}",
                },
            )
            is not None
        )
    return queued


def summary_lines(content: PlanContent) -> list[str]:
    return [f"{len(content.measures)} tiltak", f"Samlet kostnad: {kroner(content.costs.total)}"]
