"""What the demo leaves behind: the timeline, every plan version, the adopted plan and summary.json."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from sqlmodel import col, func, select

from arshjul.demo.people import Behaviour
from arshjul.demo.year_report import year_entries
from domain.aarshjul.workdays import to_local
from domain.events import EventKind
from domain.models import (
    Assignment,
    AssignmentState,
    Cycle,
    Event,
    OrgUnit,
    OutboxMessage,
    OutboxStatus,
    Phase,
    PlanStatus,
    PlanVersion,
    UnitLevel,
)
from tasks.runtime import Runtime

WEEKDAYS = ("man", "tir", "ons", "tor", "fre", "lør", "søn")
NOTABLE = {
    EventKind.PHASE_OPENED,
    EventKind.PHASE_COMPLETED,
    EventKind.PLAN_VERSION_CREATED,
    EventKind.PLAN_ADOPTED,
    EventKind.PLAN_HANDLING_RECORDED,
    EventKind.SECTOR_COMPLETED,
    EventKind.EMAIL_DEAD,
}


def write_outputs(
    rt: Runtime,
    out: Path,
    *,
    years: range,
    behaviours: dict[int, Behaviour],
    ticks: int,
    wall_seconds: float,
    timings: dict[str, float] | None = None,
) -> dict[str, Any]:
    with rt.session() as session:
        events = list(session.exec(select(Event).order_by(col(Event.id))))
        (out / "timeline.md").write_text(_timeline(events, years), encoding="utf-8")
        versions = list(
            session.exec(
                select(PlanVersion)
                .where(col(PlanVersion.cycle_year).in_(list(years)))
                .order_by(col(PlanVersion.cycle_year), col(PlanVersion.number))
            )
        )
        _write_plans(out, versions, several=len(years) > 1)
        summary = _summary(session, rt, years, events, versions, behaviours, ticks, wall_seconds)
        summary["years"] = year_entries(session, years)
    if timings is not None:
        summary["timings"] = timings
    (out / "summary.json").write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return summary


def _timeline(events: list[Event], years: range) -> str:
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    lines = [f"# Tidslinje for årshjulet {span}", ""]
    by_day: dict[str, list[Event]] = defaultdict(list)
    for event in events:
        local = to_local(event.at)
        by_day[f"{local:%Y-%m-%d} ({WEEKDAYS[local.weekday()]})"].append(event)
    for day, day_events in by_day.items():
        lines.append(f"## {day}")
        counts = Counter(e.kind for e in day_events if e.kind not in NOTABLE)
        for event in day_events:
            if event.kind in NOTABLE:
                lines.append(f"- {to_local(event.at):%H:%M} **{event.kind}** {_describe(event)}")
        if counts:
            lines.append("- " + ", ".join(f"{kind} × {n}" for kind, n in sorted(counts.items())))
        lines.append("")
    return "\n".join(lines)


def _describe(event: Event) -> str:
    parts = [event.phase_key or "", event.unit_id or ""]
    parts += [
        f"{k}={v}"
        for k, v in event.payload.items()
        if k in ("number", "status", "reason", "body", "kind", "case_number", "units", "unanswered")
    ]
    return " ".join(p for p in parts if p)


def _write_plans(out: Path, versions: list[PlanVersion], *, several: bool) -> None:
    folder = out / "plans"
    folder.mkdir(exist_ok=True)
    for version in versions:
        # Over several years each year's plan numbers its versions from 1: the plan year tells them apart.
        prefix = f"kompetanseplan-{version.plan_year}-" if several else ""
        stem = f"{prefix}plan-v{version.number}-{version.status.value}"
        (folder / f"{stem}.md").write_text(version.rendered, encoding="utf-8")
        (folder / f"{stem}.json").write_text(
            json.dumps(version.content, indent=2, ensure_ascii=False), encoding="utf-8"
        )
        if version.status == PlanStatus.ADOPTED:
            (out / "adopted-plan.md").write_text(version.rendered, encoding="utf-8")


def _summary(
    session: Any,
    rt: Runtime,
    years: range,
    events: list[Event],
    versions: list[PlanVersion],
    behaviours: dict[int, Behaviour],
    ticks: int,
    wall_seconds: float,
) -> dict[str, Any]:
    rows = session.exec(select(Assignment, Phase).join(Phase).join(Cycle).where(col(Cycle.year).in_(list(years)))).all()
    answered_on_time = sum(1 for a, _ in rows if a.answered_at and a.answered_at <= a.due_at)
    answered_late = sum(1 for a, _ in rows if a.answered_at and a.answered_at > a.due_at)
    never = sum(1 for a, _ in rows if a.state not in (AssignmentState.ANSWERED, AssignmentState.EXCUSED))
    sent = Counter(  # count by kind in SQL: loading every sent message would load every body too
        dict(
            session.exec(
                select(OutboxMessage.kind, func.count())
                .where(OutboxMessage.status == OutboxStatus.SENT)
                .group_by(OutboxMessage.kind)
            ).all()
        )
    )
    kinds = Counter(e.kind for e in events)
    units = session.exec(select(func.count()).select_from(OrgUnit).where(OrgUnit.level == UnitLevel.VIRKSOMHET)).one()
    adopted = next((v for v in reversed(versions) if v.status == PlanStatus.ADOPTED), None)  # the last year's
    return {
        "municipality": rt.settings.municipality,
        "year": years[0],
        "units": units,
        "employees": session.exec(select(func.sum(OrgUnit.employees))).one() or 0,
        "assignments": len(rows),
        "assignments_by_phase": dict(Counter(p.key for _, p in rows)),
        "answers": {"on_time": answered_on_time, "late": answered_late, "never": never},
        "response_model": dict(Counter(b.value for b in behaviours.values())),
        "reminders": kinds[EventKind.REMINDER_QUEUED],
        "overdue_notices": kinds[EventKind.ASSIGNMENT_OVERDUE],
        "escalations": kinds[EventKind.ASSIGNMENT_ESCALATED],
        "emails": {
            "sent": sum(sent.values()),
            "by_kind": dict(sorted(sent.items())),
            "cancelled": kinds[EventKind.EMAIL_CANCELLED],
            "dead": kinds[EventKind.EMAIL_DEAD],
        },
        "plan_versions": len(versions),
        "adopted_version": adopted.number if adopted else None,
        "adopted_measures": len(adopted.content["measures"]) if adopted else 0,
        "dispatcher_runs": ticks,
        "events": len(events),
        "wall_seconds": round(wall_seconds, 1),
    }
