"""Date rules that refer to other named dates: checking the references and ordering the rules to resolve them.

Every date of a year has a name: a phase's ``<key>.opens``, ``<key>.due`` and ``<key>.closes`` (``<key>`` alone
is its deadline), and whatever else is registered as a `NamedRule` (a step's or meeting's date by its key). Inside
a phase, ``opens``, ``due`` and ``closes`` are that phase's own; inside a repeating phase's occurrence,
``period.start`` and ``period.end`` are its period's. The schedule resolves the rules in dependency order
(`graphlib`, the standard library's topological sort), so a rule may name a date defined further down the file.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from graphlib import CycleError, TopologicalSorter

from domain.aarshjul.date_base import DateRule
from domain.aarshjul.date_forms import PERIOD_END, PERIOD_START

OWN_FIELDS = ("opens", "due", "closes")
PERIOD_NAMES = frozenset({PERIOD_START, PERIOD_END})
Location = tuple[str | int, ...]


@dataclass(frozen=True)
class NamedRule:
    """A rule whose result has a name other rules can use; `owner` is the key its own fields are relative to."""

    name: str
    owner: str
    rule: DateRule
    location: Location = ()
    in_period: bool = False  # an occurrence of a repeating phase: period.start and period.end are known
    private: bool = False  # a repeating phase's date: it has one value per occurrence, so nobody else may name it


class LocatedProblems(ValueError):
    """Problems found across the file, each with the location of the field it is about."""

    def __init__(self, problems: list[tuple[Location, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(message for _, message in problems))


def canonical(reference: str, owner: str, known: Iterable[str]) -> str:
    """The full name a reference in `owner`'s rule stands for ("due" → "<owner>.due", "amu" → "amu.due")."""
    names = set(known)
    if reference in OWN_FIELDS:
        return f"{owner}.{reference}"
    if reference in names or reference in PERIOD_NAMES or "." in reference:
        return reference
    return f"{reference}.due" if f"{reference}.due" in names else reference


def reference_problems(rules: list[NamedRule]) -> list[tuple[Location, str]]:
    """Unknown names (with the closest known one), period forms outside a repeating phase, and cycles."""
    by_name = {rule.name: rule for rule in rules}
    problems: list[tuple[Location, str]] = []
    for rule in rules:
        for reference in sorted(rule.rule.references()):
            full = canonical(reference, rule.owner, by_name)
            problem = _problem(rule, reference, full, by_name)
            if problem:
                problems.append((rule.location, f"datoregelen «{rule.rule.text}» {problem}"))
    if not problems:
        problems += _cycle_problems(rules, by_name)
    return problems


def _problem(rule: NamedRule, reference: str, full: str, by_name: Mapping[str, NamedRule]) -> str | None:
    if full in PERIOD_NAMES:
        if rule.in_period:
            return None
        return (
            "gjelder bare i en fase som gjentas (repeat); skriv for eksempel «første arbeidsdag i januar» "
            "eller «15. mars»"
        )
    target = by_name.get(full)
    if target is None:
        public = sorted({n.removesuffix(".due") for n, r in by_name.items() if not r.private} | set(by_name))
        close = difflib.get_close_matches(reference, public, n=1, cutoff=0.6)
        hint = f" Mente du «{close[0]}»?" if close else f" Kjente navn er for eksempel {', '.join(public[:4])}."
        return f"viser til «{reference}», som ikke finnes.{hint}"
    if target.private and target.owner != rule.owner:
        return (
            f"viser til «{reference}», som hører til en fase som gjentas og har én dato per forekomst; "
            "vis til en fase som ikke gjentas"
        )
    return None


def _graph(rules: list[NamedRule], by_name: Mapping[str, NamedRule]) -> dict[str, set[str]]:
    return {
        rule.name: {
            full
            for reference in rule.rule.references()
            if (full := canonical(reference, rule.owner, by_name)) in by_name
        }
        for rule in rules
    }


def _cycle_problems(rules: list[NamedRule], by_name: Mapping[str, NamedRule]) -> list[tuple[Location, str]]:
    try:
        TopologicalSorter(_graph(rules, by_name)).prepare()
    except CycleError as error:
        ring = list(error.args[1])  # the names of the cycle, its first name repeated at the end
        first = by_name[ring[0]]
        return [
            (
                first.location,
                "datoreglene viser til hverandre i ring: "
                + " → ".join(f"{name} («{by_name[name].rule.text}»)" for name in ring[:-1])
                + f" → {ring[-1]}. Gi en av dem en dato som ikke avhenger av de andre, for eksempel «15. mars».",
            )
        ]
    return []


def resolution_order(rules: list[NamedRule]) -> list[NamedRule]:
    """The rules in an order where every rule comes after the dates it refers to."""
    by_name = {rule.name: rule for rule in rules}
    order = TopologicalSorter(_graph(rules, by_name)).static_order()
    return [by_name[name] for name in order]


class OwnerNames(Mapping[str, date]):
    """The named dates as one rule sees them: its owner's own fields and period first, then every other name."""

    def __init__(self, owner: str, dates: Mapping[str, date], local: Mapping[str, date]) -> None:
        self._owner, self._dates, self._local = owner, dates, local

    def __getitem__(self, name: str) -> date:
        if name in self._local:
            return self._local[name]
        return self._dates[canonical(name, self._owner, self._dates)]

    def __iter__(self) -> Iterator[str]:
        return iter({**self._dates, **self._local})

    def __len__(self) -> int:
        return len({**self._dates, **self._local})
