"""When the steps that are not tasks happen in a year: notices, papers before a meeting, the sector review."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from domain.aarshjul.model import Aarshjul
from domain.aarshjul.steps import MeetingStep, NoticeStep, SectorReviewStep
from domain.aarshjul.workdays import local_moment


class StepAction(StrEnum):
    NOTICE = "notice"  # the notice's email to its audience
    PAPERS = "papers"  # HR and the preparers: send the papers to the body by their day
    REVIEW_OPEN = "review_open"  # each kommunalsjef: your sector's review is open
    REVIEW_REMIND = "review_remind"  # each kommunalsjef who has not prioritised yet
    REVIEW_CLOSE = "review_close"  # HR: which sectors prioritised


@dataclass(frozen=True)
class StepMoment:
    at: datetime
    step_key: str
    action: StepAction
    day: date  # the day the step is about: the meeting, the notice, the review's deadline
    papers_by: date | None = None


def step_moments(aarshjul: Aarshjul, year: int) -> list[StepMoment]:
    """Every moment of the year's notice, meeting-papers and sector-review steps, in time order."""
    cal = aarshjul.calendar(year)
    moments: list[StepMoment] = []
    for _, step in aarshjul.steps():
        if isinstance(step, NoticeStep):
            day = cal.next_working_day(step.date.resolve(year, cal))
            moments.append(StepMoment(local_moment(day, aarshjul.send_time), step.key, StepAction.NOTICE, day))
        elif isinstance(step, MeetingStep):
            meeting = cal.next_working_day(step.date.resolve(year, cal))
            papers_by = cal.add_working_days(meeting, -step.papers_due) if step.papers_due else meeting
            remind = cal.add_working_days(papers_by, -step.papers_reminder) if step.papers_reminder else papers_by
            at = local_moment(remind, aarshjul.send_time)
            moments.append(StepMoment(at, step.key, StepAction.PAPERS, meeting, papers_by))
        elif isinstance(step, SectorReviewStep):
            moments += _review(aarshjul, step, year)
    return sorted(moments, key=lambda m: (m.at, m.step_key))


def _review(aarshjul: Aarshjul, step: SectorReviewStep, year: int) -> list[StepMoment]:
    cal = aarshjul.calendar(year)
    opens = cal.next_working_day(step.opens.resolve(year, cal))
    due = cal.next_working_day(step.due.resolve(year, cal))
    moments = [StepMoment(local_moment(opens, aarshjul.hours.start), step.key, StepAction.REVIEW_OPEN, due)]
    for offset in step.reminders:
        day = cal.add_working_days(due, -offset)
        if day > opens:
            moments.append(StepMoment(local_moment(day, aarshjul.send_time), step.key, StepAction.REVIEW_REMIND, due))
    moments.append(StepMoment(local_moment(due, aarshjul.deadline_time), step.key, StepAction.REVIEW_CLOSE, due))
    return moments
