"""Two versions' narratives compared: sections added, removed or changed, each change as a readable line diff."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from domain.plan.content import PlanContent
from domain.plan.prose import narrative_of


@dataclass(frozen=True)
class SectionChange:
    key: str
    title: str
    change: str  # "added", "removed" or "changed"
    old_title: str = ""
    lines: tuple[str, ...] = ()  # "- old line" / "+ new line", with a line of context around each change


CHANGE_WORDS = {"added": "Nytt kapittel", "removed": "Fjernet kapittel", "changed": "Endret kapittel"}


def narrative_changes(old: PlanContent, new: PlanContent) -> tuple[SectionChange, ...]:
    """Every narrative section that differs between the versions, in the newer version's order."""
    before = {s.key: s for s in narrative_of(old)}
    after = {s.key: s for s in narrative_of(new)}
    changes = []
    for key, section in after.items():
        previous = before.get(key)
        if previous is None:
            if section.markdown.strip():
                changes.append(SectionChange(key, section.title, "added", lines=_lines("", section.markdown)))
        elif (previous.title, previous.markdown.strip()) != (section.title, section.markdown.strip()):
            renamed = previous.title if previous.title != section.title else ""
            lines = _lines(previous.markdown, section.markdown)
            changes.append(SectionChange(key, section.title, "changed", renamed, lines))
    for key, section in before.items():
        if key not in after and section.markdown.strip():
            changes.append(SectionChange(key, section.title, "removed", lines=_lines(section.markdown, "")))
    return tuple(changes)


def change_line(change: SectionChange) -> str:
    """'Endret kapittel: Forord (før: «Forord»)'."""
    renamed = f" (før: «{change.old_title}»)" if change.old_title else ""
    return f"{CHANGE_WORDS[change.change]}: {change.title}{renamed}"


def _lines(old: str, new: str) -> tuple[str, ...]:
    diff = difflib.unified_diff(old.strip().splitlines(), new.strip().splitlines(), lineterm="", n=1)
    return tuple(line for line in diff if not line.startswith(("---", "+++", "@@")))
