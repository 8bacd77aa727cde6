"""The plan's narrative parts as titled HTML, today from the plan frame's fixed text.

Every document (web page, PDF, DOCX) takes its narrative from `narrative_sections` and nowhere else, so the source
can become HR's own Markdown sections (`domain/plan/narrative.py`) by changing this one function.
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from domain.plan.content import PlanContent
from domain.plan.frame import SECTION_TITLES


class Narrative(NamedTuple):
    key: str  # the section key comments are placed by ("forankring", "mal", …)
    title: str
    html: str  # block-level HTML, every typed text escaped


def narrative_sections(content: PlanContent) -> list[Narrative]:
    """Forankring, mål, kompetansebegrep, innsatsområder and the evaluation guidelines, in the plan's order."""
    frame = content.frame
    if frame is None:
        return []
    goals = _list(frame.goals)
    if frame.competence_goals:
        goals += "<h3>Kompetansemål som skal evalueres</h3>" + _list(frame.competence_goals)
    areas = "".join(f"<h3>{escape(a.title)}</h3>{_paragraphs(a.text)}" for a in frame.focus_areas)
    parts = (
        ("forankring", _paragraphs(frame.anchoring) + _paragraphs(frame.ambitions)),
        ("mal", goals if frame.goals else ""),
        ("kompetansebegrep", _paragraphs(frame.concept)),
        ("innsatsomrader", areas),
        ("retningslinjer", _list(frame.evaluation_guidelines)),
    )
    return [Narrative(key, SECTION_TITLES[key], html) for key, html in parts if html]


def focus_area_titles(content: PlanContent) -> list[str]:
    """The innsatsområder in the frame's order: the measures are grouped under them."""
    return [a.title for a in content.frame.focus_areas] if content.frame else []


def _paragraphs(text: str) -> str:
    return "".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in text.split("\n\n") if p.strip())


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>" if items else ""
