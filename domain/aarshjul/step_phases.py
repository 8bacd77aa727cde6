"""How a task or meeting step runs: as a phase of its own (tasks, reminders, escalation), built from the step."""

from __future__ import annotations

from typing import Any

from domain.aarshjul.date_rules import DateRule, WorkingDayOffset
from domain.aarshjul.parts import Audience, AudienceEntry, FormKind, Texts
from domain.aarshjul.steps import MeetingStep, TaskStep

HANDLING_NN = {"drøfting": "drøfting", "orientering": "orientering", "til etterretning": "til etterretning",
               "vedtak": "vedtak"}  # fmt: skip
HANDLING_EN = {"drøfting": "discussion", "orientering": "information", "til etterretning": "noted",
               "vedtak": "decision"}  # fmt: skip


def task_fields(step: TaskStep, title: Texts, what: Texts, parent: str) -> dict[str, Any]:
    """The runnable phase of a task step: the step's own dates, audience and reminders; the phase's texts by default."""
    fields = step.model_dump(exclude={"kind", "title", "what"})
    fields.update(
        title=step.title or title,
        what=step.what or what,
        audience=step.audience,
        escalation=step.escalation,
        opens=step.opens,
        due=step.due,
        closes=step.closes,
        due_by_sector=step.due_by_sector,
        due_by_kind=step.due_by_kind,
        parent=parent,
    )
    return fields


def after(rule: DateRule, days: int) -> DateRule:
    """`days` working days after a rule, written as today's rule form so it reads back the same."""
    return WorkingDayOffset(f"{days} {'arbeidsdag' if days == 1 else 'arbeidsdager'} etter {rule.text}", days, rule)


def meeting_fields(step: MeetingStep, parent: str) -> dict[str, Any]:
    """The runnable phase of a meeting: HR's task, the working day after the meeting, to record its handling."""
    opens = after(step.date, 1)
    due = after(step.date, step.record_within)
    closes = after(step.date, step.record_within + 10)
    kind_nb, kind_en = step.handling, HANDLING_EN[step.handling]
    title = step.title or Texts(
        nb=f"{step.body}: registrer behandlingen ({kind_nb})",
        nn=f"{step.body}: registrer handsaminga ({HANDLING_NN[kind_nb]})",
        en=f"{step.body}: record the handling ({kind_en})",
    )
    what = Texts(
        nb=f"{step.body} behandlet kompetanseplanen ({step.date.text}). Registrer behandlingen: organ, dato, "
        f"type ({kind_nb}) og saksnummer.",
        nn=f"{step.body} handsama kompetanseplanen ({step.date.text}). Registrer handsaminga: organ, dato, "
        f"type ({HANDLING_NN[kind_nb]}) og saksnummer.",
        en=f"{step.body} handled the competence plan ({step.date.text}). Record the handling: body, date, "
        f"kind ({kind_en}) and case number.",
    )
    return {
        "key": step.key,
        "title": title,
        "what": what,
        "audience": [AudienceEntry(who=Audience.HR)],
        "form": FormKind.ADOPTION,
        "opens": opens,
        "due": due,
        "closes": closes,
        "close_when_all_answered": True,
        "reminders": step.reminders,
        "parent": parent,
        "meeting": step,
    }
