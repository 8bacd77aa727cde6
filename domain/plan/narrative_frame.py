"""The plan's narrative parts as titled HTML: the text HR wrote for the plan period (domain/plan/narrative.py), as
the version snapshotted it; a version compiled before HR wrote any reads its plan frame's text instead.

Every document (web page, PDF, DOCX) takes its narrative from `narrative_sections` and nowhere else.
"""

from __future__ import annotations

from html import escape
from typing import NamedTuple

from domain.plan.content import PlanContent
from domain.plan.narrative import FOCUS_INTRO, focus_areas, render_markdown
from domain.plan.prose import narrative_of


class Narrative(NamedTuple):
    key: str  # the section key comments are placed by ("forankring", "mal", …)
    title: str
    html: str  # block-level HTML, every typed text escaped (Markdown with raw HTML off)


def narrative_sections(content: PlanContent) -> list[Narrative]:
    """Foreword, forankring, utfordringsbilde, mål, … in the plan's order; each innsatsområde under their
    introduction; a section with no text is left out."""
    sections = narrative_of(content)
    areas = "".join(
        f"<h3>{escape(area.title)}</h3>{render_markdown(area.markdown, top=4)}" for area in focus_areas(sections)
    )
    found = []
    for section in sections:
        if section.focus_area:
            continue
        html = str(render_markdown(section.markdown)) + (areas if section.key == FOCUS_INTRO else "")
        if html.strip():
            found.append(Narrative(section.key, section.title, html))
    return found


def focus_area_titles(content: PlanContent) -> list[str]:
    """The innsatsområder in the plan's order (HR may have added some): the measures are grouped under them."""
    return [area.title for area in focus_areas(narrative_of(content))]
