"""The plan period's narrative as HR edits it: the draft each compile snapshots, carried from year to year.

Semantics (also told to HR on the page): a plan version never changes. HR edits the draft of the plan period that
holds the plan year; the next version compiled for a plan year in that period copies the draft as it is then.
A plan year no period holds reads the newest earlier period's draft (or the plan frame's text, when there is none),
and saving there starts a new period from that text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from domain.events import EventKind
from domain.plan.frame import FocusArea, PlanFrame
from domain.plan.narrative import NarrativeSection, focus_areas, focus_key, initial_narrative, section_problems
from domain.plan_period import PlanPeriod, PlanText
from tasks.events.log import record
from tasks.plan.sources import PlanError, frame_for
from tasks.runtime import Runtime

PERIOD_YEARS = 4
MAX_FOCUS_AREAS = 20
MAX_PERIOD_YEARS = 12


class TextProblem(PlanError):
    """Input HR must correct: each field's problem as a Norwegian sentence."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(" ".join(problems.values()))
        self.problems = problems


@dataclass(frozen=True)
class Draft:
    """The narrative a plan year gets now: its period (stored or not yet), and the sections with their revisions."""

    plan_year: int
    first_year: int
    last_year: int
    stored: bool  # False: the period and its text are made the first time HR saves
    sections: tuple[NarrativeSection, ...]
    revisions: dict[str, int]  # key -> the draft's revision (0 while not stored)
    edited: dict[str, tuple[str, datetime]]  # key -> (who, when) of the last save

    @property
    def label(self) -> str:
        return f"{self.first_year}–{self.last_year}" if self.last_year != self.first_year else str(self.first_year)

    def section(self, key: str) -> NarrativeSection | None:
        return next((s for s in self.sections if s.key == key), None)


def period_covering(session: Session, plan_year: int) -> PlanPeriod | None:
    query = select(PlanPeriod).where(PlanPeriod.first_year <= plan_year, PlanPeriod.last_year >= plan_year)
    return session.exec(query).first()


def draft_for(session: Session, rt: Runtime, plan_year: int) -> Draft:
    """The current draft for this plan year: its period's, else carried from the newest earlier period or the frame."""
    period = period_covering(session, plan_year)
    rows = _rows(session, period) if period else []
    if rows:
        sections = tuple(NarrativeSection(key=r.key, title=r.title, markdown=r.markdown) for r in rows)
        revisions = {r.key: r.revision for r in rows}
        edited = {r.key: (r.updated_by, r.updated_at) for r in rows}
    else:
        sections, revisions, edited = tuple(_carried(session, rt, plan_year)), {}, {}
    first, last = (period.first_year, period.last_year) if period else _span(session, plan_year)
    return Draft(plan_year, first, last, period is not None and bool(rows), sections, revisions, edited)


def snapshot(session: Session, rt: Runtime, plan_year: int) -> tuple[str, list[NarrativeSection], PlanFrame]:
    """What a version compiled now for `plan_year` copies: the period's label, the narrative, and the frame whose
    innsatsområder are the narrative's (the list measures choose from)."""
    draft = draft_for(session, rt, plan_year)
    return draft.label, list(draft.sections), frame_with(frame_for(rt), draft.sections)


def frame_with(frame: PlanFrame, sections: tuple[NarrativeSection, ...] | list[NarrativeSection]) -> PlanFrame:
    areas = [FocusArea(title=s.title, text=s.markdown[:4000]) for s in focus_areas(list(sections))]
    return frame.model_copy(update={"focus_areas": areas}) if areas else frame


def save_section(
    session: Session, rt: Runtime, plan_year: int, key: str, *, title: str, markdown: str, revision: int,
    now: datetime, actor: str,
) -> NarrativeSection:  # fmt: skip
    """Store HR's text of one section as the draft the next compile takes; refuses bad input and a stale edit."""
    draft = draft_for(session, rt, plan_year)
    current = draft.section(key)
    if current is None:
        raise PlanError(f"Planteksten for {plan_year} har ikke noe kapittel «{key}».")
    title = current.title if current.focus_area else " ".join(title.split())
    if problems := section_problems(title, markdown):
        raise TextProblem(problems)
    period = _stored(session, draft, now, actor)
    row = session.exec(select(PlanText).where(PlanText.period_id == period.id, PlanText.key == key)).one()
    if row.revision != revision and draft.stored:
        when = row.updated_at.strftime("%d.%m.%Y kl. %H.%M")
        raise TextProblem({"tekst": f"{row.updated_by} lagret kapittelet {when} mens du skrev, så teksten din er ikke "
                           "lagret. Kopier den, åpne kapittelet på nytt og legg inn endringene dine der."})  # fmt: skip
    row.title, row.markdown = title, markdown.replace("\r\n", "\n")
    row.revision, row.updated_by, row.updated_at = row.revision + 1, actor, now
    session.add(row)
    record(session, EventKind.PLAN_TEXT_EDITED, at=now, actor=actor, plan_year=plan_year, period=draft.label,
           key=key, title=title, characters=len(row.markdown))  # fmt: skip
    return NarrativeSection(key=key, title=title, markdown=row.markdown)


def add_focus_area(session: Session, rt: Runtime, plan_year: int, title: str, *, now: datetime, actor: str) -> str:
    """A new innsatsområde at the end of the list (measures can choose it from the next input form on)."""
    title = " ".join(title.split())
    draft = draft_for(session, rt, plan_year)
    areas = focus_areas(list(draft.sections))
    problems = section_problems(title, "")
    if not problems and any(a.title.lower() == title.lower() for a in areas):
        problems["tittel"] = f"Innsatsområdet «{title}» finnes allerede."
    if not problems and len(areas) >= MAX_FOCUS_AREAS:
        problems["tittel"] = f"Planen har alt {MAX_FOCUS_AREAS} innsatsområder, som er det høyeste antallet."
    if problems:
        raise TextProblem({"innsatsomrade" if k == "tittel" else k: v for k, v in problems.items()})
    period = _stored(session, draft, now, actor)
    rows = _rows(session, period)
    key = focus_key(title, {r.key for r in rows})
    after = max((r.position for r in rows if r.key.startswith("innsatsomrade")), default=0)
    for row in rows:
        if row.position > after:
            row.position += 1
            session.add(row)
    session.add(PlanText(period_id=period.id or 0, key=key, position=after + 1, title=title, markdown="",
                         updated_by=actor, updated_at=now))  # fmt: skip
    record(session, EventKind.PLAN_TEXT_EDITED, at=now, actor=actor, plan_year=plan_year, period=draft.label,
           key=key, title=title, characters=0)  # fmt: skip
    return key


def set_period(
    session: Session, rt: Runtime, plan_year: int, first: int, last: int, *, now: datetime, actor: str
) -> str:
    """Set the years of the period that holds `plan_year` (made from the carried text if it is new)."""
    problems = {}
    if not first <= plan_year <= last:
        problems["forste"] = f"Planperioden må omfatte planåret {plan_year}: første år {first}, siste år {last}."
    elif last - first >= MAX_PERIOD_YEARS:
        problems["siste"] = (
            f"En planperiode kan være høyst {MAX_PERIOD_YEARS} år; {first}–{last} er {last - first + 1}."
        )
    draft = draft_for(session, rt, plan_year)
    current = period_covering(session, plan_year)
    clash = session.exec(select(PlanPeriod).where(PlanPeriod.first_year <= last, PlanPeriod.last_year >= first)).all()
    if not problems and (other := next((p for p in clash if current is None or p.id != current.id), None)):
        problems["forste"] = f"Årene overlapper planperioden {other.label}. Velg år utenfor den."
    if problems:
        raise TextProblem(problems)
    period = _stored(session, draft, now, actor)
    period.first_year, period.last_year = first, last
    session.add(period)
    record(session, EventKind.PLAN_TEXT_EDITED, at=now, actor=actor, plan_year=plan_year, period=period.label,
           key="planperiode", title="Planperiode", characters=0)  # fmt: skip
    return period.label


def _stored(session: Session, draft: Draft, now: datetime, actor: str) -> PlanPeriod:
    """The draft's period with a row per section, made (from the draft's carried text) when HR first saves."""
    period = period_covering(session, draft.plan_year)
    if period is None:
        period = PlanPeriod(first_year=draft.first_year, last_year=draft.last_year, created_by=actor, created_at=now)
        session.add(period)
        session.flush()
    if not _rows(session, period):
        for n, s in enumerate(draft.sections, start=1):
            session.add(PlanText(period_id=period.id or 0, key=s.key, position=n, title=s.title,
                                 markdown=s.markdown, updated_by=actor, updated_at=now))  # fmt: skip
        session.flush()
    return period


def _rows(session: Session, period: PlanPeriod) -> list[PlanText]:
    query = select(PlanText).where(PlanText.period_id == period.id).order_by(col(PlanText.position))
    return list(session.exec(query))


def _carried(session: Session, rt: Runtime, plan_year: int) -> list[NarrativeSection]:
    """The newest earlier period's text, or the frame's when no period came before."""
    earlier = session.exec(
        select(PlanPeriod).where(PlanPeriod.last_year < plan_year).order_by(col(PlanPeriod.first_year).desc())
    ).all()
    for period in earlier:
        if rows := _rows(session, period):
            return [NarrativeSection(key=r.key, title=r.title, markdown=r.markdown) for r in rows]
    return initial_narrative(frame_for(rt), terms=rt.aarshjul.terms)


def _span(session: Session, plan_year: int) -> tuple[int, int]:
    """A new period from this plan year: four years, ending before the next period begins."""
    later = session.exec(
        select(PlanPeriod.first_year).where(PlanPeriod.first_year > plan_year).order_by(col(PlanPeriod.first_year))
    ).first()
    last = plan_year + PERIOD_YEARS - 1
    return plan_year, min(last, later - 1) if later is not None else last
