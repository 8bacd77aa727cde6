"""Checks across steps: bodies that exist, meetings that follow what they handle, per-sector dates after the opening.

Each problem comes with its location in the file (("phases", 2, "steps", 1, "body"), …) so the loader can name the
line; the model joins them into one message when it is built without the loader.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from domain.aarshjul.bodies import find_body
from domain.aarshjul.date_rules import DateRule, DateRuleError
from domain.aarshjul.parts import Audience, suggestion
from domain.aarshjul.steps import MeetingStep, NoticeStep, SectorReviewStep, TaskStep

Location = tuple[str | int, ...]
SAMPLE_YEAR = 2027  # the dates of a step are compared in one sample year; a rule that fails there is reported


def where_text(loc: Location) -> str:
    return ".".join(f"[{p}]" if isinstance(p, int) else str(p) for p in loc).replace(".[", "[")


def step_problems(aarshjul: Any) -> list[tuple[Location, str]]:
    """Every problem across the steps of an årshjul (duck-typed: `written`, `plan_bodies`, `calendar`)."""
    problems: list[tuple[Location, str]] = []
    cal = aarshjul.calendar(SAMPLE_YEAR)
    bodies = aarshjul.plan_bodies
    names = [b.name for b in bodies]
    seen: dict[str, Any] = {}  # key -> step (or the form phase), in file order
    drafts_before = False
    for p, phase in enumerate(aarshjul.written):
        problems += _sector_dates(("phases", p), phase, cal)
        if phase.form is not None:
            seen[phase.key] = phase
            drafts_before = drafts_before or phase.compiles_draft
            continue
        for s, step in enumerate(phase.steps):
            here: Location = ("phases", p, "steps", s)
            problems += _audience_bodies(here, getattr(step, "audience", []), bodies, names)
            if isinstance(step, TaskStep):
                problems += _sector_dates(here, step, cal)
                drafts_before = drafts_before or step.compiles_draft
            if isinstance(step, MeetingStep):
                problems += _audience_bodies(here, step.prepared_by, bodies, names, field="prepared_by")
                problems += _meeting(here, step, seen, drafts_before, bodies, names, cal)
            if (
                isinstance(step, NoticeStep)
                and step.attach_plan in ("consultation", "final_draft")
                and not drafts_before
            ):
                problems.append(((*here, "attach_plan"), _no_draft("varselet", step.attach_plan)))
            seen[step.key] = step
    return problems


def _meeting(
    here: Location, step: MeetingStep, seen: dict[str, Any], drafts: bool, bodies: Any, names: list[str], cal: Any
) -> list[tuple[Location, str]]:
    problems: list[tuple[Location, str]] = []
    if find_body(bodies, step.body) is None:
        problems.append(
            ((*here, "body"), f"«{step.body}» er ikke et organ under plan_bodies. {suggestion(step.body, names)}")
        )
    if step.sends in ("consultation", "final_draft") and not drafts:
        problems.append(((*here, "sends"), _no_draft("møtet", step.sends)))
    if step.after is not None:
        earlier = seen.get(step.after)
        if earlier is None:
            problems.append(((*here, "after"), _later_or_unknown(step, seen)))
        elif (when := _day(earlier, cal)) is not None and (day := _resolve(step.date, cal)) is not None and when > day:
            problems.append(
                (
                    (*here, "after"),
                    f"møtet «{step.key}» ({day:%d.%m.}) viser til «{step.after}», som først er ferdig {when:%d.%m.}; "
                    "et møte kan bare behandle det som kommer før det",
                )
            )
    return problems


def _no_draft(what: str, sends: str) -> str:
    verb = "behandle" if what == "møtet" else "legge ved"
    return (
        f"{what} skal {verb} {'endelig utkast' if sends == 'final_draft' else 'høringsutkastet'}, "
        f"men ingen oppgave før {what} lager et utkast (compiles_draft: true)"
    )


def _later_or_unknown(step: MeetingStep, seen: dict[str, Any]) -> str:
    return (
        f"møtet «{step.key}» viser til «{step.after}», som ikke er et tidligere steg i filen. Et møte kan bare "
        f"behandle et steg som kommer før det. {suggestion(step.after or '', list(seen) or ['(ingen)'])}"
    )


def _day(item: Any, cal: Any) -> date | None:
    """When a step's result is there: a meeting's or notice's day, a task's close (its draft), a review's due."""
    if isinstance(item, MeetingStep | NoticeStep):
        return _resolve(item.date, cal)
    if isinstance(item, SectorReviewStep):
        return _resolve(item.due, cal)
    rule = item.closes if getattr(item, "compiles_draft", False) else item.due
    return _resolve(rule, cal) if rule is not None else None


def _resolve(rule: DateRule, cal: Any) -> date | None:
    try:
        return rule.resolve(SAMPLE_YEAR, cal)  # type: ignore[no-any-return]
    except DateRuleError:
        return None


def _sector_dates(here: Location, item: Any, cal: Any) -> list[tuple[Location, str]]:
    problems: list[tuple[Location, str]] = []
    opens = _resolve(item.opens, cal) if item.opens is not None else None
    closes = _resolve(item.closes, cal) if item.closes is not None else None
    own = [("due_by_sector", *line) for line in item.due_by_sector.items()]
    own += [("due_by_kind", *line) for line in getattr(item, "due_by_kind", {}).items()]
    for field, sector, rule in own:
        day = _resolve(rule, cal)
        if day is None or opens is None or closes is None:
            continue
        if not opens <= day < closes:
            problems.append(
                (
                    (*here, field, sector),
                    f"fristen for {sector} ({day:%d.%m.%Y}) må ligge mellom åpning ({opens:%d.%m.%Y}) og "
                    f"lukking ({closes:%d.%m.%Y})",
                )
            )
    return problems


def _audience_bodies(
    here: Location, audience: list[Any], bodies: Any, names: list[str], field: str = "audience"
) -> list[tuple[Location, str]]:
    return [
        (
            (*here, field, i, "body"),
            f"«{entry.body}» er ikke et organ under plan_bodies. {suggestion(entry.body, names)}",
        )
        for i, entry in enumerate(audience)
        if entry.who == Audience.BODY_MEMBERS and entry.body and find_body(bodies, entry.body) is None
    ]
