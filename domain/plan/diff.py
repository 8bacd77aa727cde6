"""Two plan versions compared: measures and needs added, removed or changed (with the fields), costs, the narrative
sections, and the text."""

from __future__ import annotations

import difflib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from domain.plan.blocks import count_text, kroner
from domain.plan.comment_diff import Answers, comment_lines
from domain.plan.content import PlanContent, PlannedMeasure, PlanNeed
from domain.plan.narrative_diff import SectionChange, change_line, narrative_changes

Item = TypeVar("Item", PlannedMeasure, PlanNeed)

MEASURE_FIELDS = (
    ("title", "Tiltak"),
    ("area", "Område"),
    ("goal", "Mål"),
    ("target_group", "Målgruppe"),
    ("arena", "Omfang/Læringsarena"),
    ("period", "Tidsrom"),
    ("responsible", "Ansvarlig"),
    ("cost", "Kostnad"),
    ("funding", "Finansiering"),
    ("priority", "Prioritet"),
    ("substitutes", "Vikar"),
    ("unit_names", "Meldt inn av"),
)
NEED_FIELDS = (
    ("units", "Enheter"),
    ("criticality", "Kritikalitet"),
    ("horizon", "Tidshorisont"),
    ("strategy", "Strategi"),
)


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    key: str
    title: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class AmountChange:
    label: str
    old: int
    new: int


@dataclass(frozen=True)
class PlanDiff:
    measures_added: tuple[PlannedMeasure, ...]
    measures_removed: tuple[PlannedMeasure, ...]
    measures_changed: tuple[ItemChange, ...]
    needs_added: tuple[str, ...]
    needs_removed: tuple[str, ...]
    needs_changed: tuple[ItemChange, ...]
    costs: tuple[AmountChange, ...]
    strategies: tuple[AmountChange, ...]
    comments: tuple[str, ...] = ()  # the tillitsvalgte's comments added or removed, HR's answers given
    sections: tuple[SectionChange, ...] = ()  # the narrative HR writes: sections added, removed or changed

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in self.__dataclass_fields__)


def diff_plans(
    old: PlanContent, new: PlanContent, old_answers: Answers | None = None, new_answers: Answers | None = None
) -> PlanDiff:
    """What changed from `old` to `new`, item by item, with the comments and HR's answers to them."""
    old_m, new_m = _by(old.measures, "key"), _by(new.measures, "key")
    old_n, new_n = _by(old.needs, "area"), _by(new.needs, "area")
    return PlanDiff(
        measures_added=tuple(new_m[k] for k in new_m if k not in old_m),
        measures_removed=tuple(old_m[k] for k in old_m if k not in new_m),
        measures_changed=_changed(old_m, new_m, MEASURE_FIELDS, "title"),
        needs_added=tuple(new_n[k].area for k in new_n if k not in old_n),
        needs_removed=tuple(old_n[k].area for k in old_n if k not in new_n),
        needs_changed=_changed(old_n, new_n, NEED_FIELDS, "area"),
        costs=_costs(old, new),
        strategies=_amounts(old.strategies, new.strategies),
        comments=tuple(comment_lines(old, new, old_answers or {}, new_answers or {})),
        sections=narrative_changes(old, new),
    )


def text_diff(old_text: str, new_text: str, old_name: str, new_name: str) -> str:
    """The rendered texts as a unified diff."""
    lines = difflib.unified_diff(
        old_text.splitlines(keepends=True), new_text.splitlines(keepends=True), old_name, new_name, n=2
    )
    return "".join(lines)


def summary_lines(diff: PlanDiff) -> list[str]:
    """The comparison as Norwegian sentences, one per item."""
    lines = [f"Nytt tiltak: {m.title} ({m.area}, {kroner(m.cost)})" for m in diff.measures_added]
    lines += [f"Fjernet tiltak: {m.title} ({m.area})" for m in diff.measures_removed]
    lines += [f"Endret tiltak: {c.title}: {_changes(c)}" for c in diff.measures_changed]
    lines += [f"Nytt behov: {area}" for area in diff.needs_added]
    lines += [f"Fjernet behov: {area}" for area in diff.needs_removed]
    lines += [f"Endret behov: {c.title}: {_changes(c)}" for c in diff.needs_changed]
    lines += [f"Kostnad {a.label}: {kroner(a.old)} → {kroner(a.new)}" for a in diff.costs]
    lines += [f"Strategi {a.label}: {a.old} → {a.new} behov" for a in diff.strategies]
    lines += list(diff.comments)
    lines += [change_line(c) for c in diff.sections]
    return lines or ["Ingen forskjeller i tekst, tiltak, behov, kostnader, strategier eller merknader."]


def _by(items: Sequence[Item], field: str) -> dict[str, Item]:
    return {" ".join(str(getattr(item, field)).lower().split()): item for item in items}


def _changed(
    old: Mapping[str, BaseModel], new: Mapping[str, BaseModel], fields: tuple[tuple[str, str], ...], title: str
) -> tuple[ItemChange, ...]:
    result = []
    for key in (k for k in new if k in old):
        pairs = ((name, label, getattr(old[key], name), getattr(new[key], name)) for name, label in fields)
        changes = tuple(
            FieldChange(name, label, _shown(name, before), _shown(name, after))
            for name, label, before, after in pairs
            if before != after
        )
        if changes:
            result.append(ItemChange(key, str(getattr(new[key], title)), changes))
    return tuple(result)


def _costs(old: PlanContent, new: PlanContent) -> tuple[AmountChange, ...]:
    before, after = old.costs, new.costs
    changes = _amounts({"samlet": before.total}, {"samlet": after.total})
    for field, label in (("by_funding", "finansiering"), ("by_sector", "sektor")):
        old_lines = {f"{label} {k}": v for k, v in getattr(before, field).items()}
        changes += _amounts(old_lines, {f"{label} {k}": v for k, v in getattr(after, field).items()})
    return changes


def _amounts(old: dict[str, int], new: dict[str, int]) -> tuple[AmountChange, ...]:
    labels = list(dict.fromkeys([*old, *new]))
    return tuple(AmountChange(k, old.get(k, 0), new.get(k, 0)) for k in labels if old.get(k, 0) != new.get(k, 0))


def _shown(field: str, value: Any) -> str:
    if value is None:
        return ""
    if field == "cost":
        return kroner(value)
    if isinstance(value, bool):
        return "Ja" if value else "Nei"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dict):
        return count_text(value)
    return str(value)


def _changes(change: ItemChange) -> str:
    return "; ".join(f"{c.label} «{c.old}» → «{c.new}»" for c in change.changes)
