"""Checks of the unit tree as a whole: parents exist, one kommune at the top, no cycles, levels go down."""

from __future__ import annotations

from dataclasses import dataclass

from domain.models import UnitLevel
from tasks.org.fields import LEVEL_RANK
from tasks.org.types import ImportProblem


@dataclass(frozen=True)
class Node:
    id: str
    parent_id: str | None
    level: UnitLevel | None  # None when the level cell was invalid (reported elsewhere)
    source: str
    row: int


def check_tree(nodes: list[Node]) -> list[ImportProblem]:
    """Every problem with the shape of the tree; nodes have unique, non-empty ids."""
    by_id = {node.id: node for node in nodes}
    problems = [_unknown_parent(node) for node in nodes if node.parent_id and node.parent_id not in by_id]
    problems += _roots(nodes)
    cycles, in_cycle = _cycles(by_id)
    problems += cycles
    ordered = (node for node in nodes if node.id not in in_cycle)
    problems += [p for node in ordered if (p := _level_order(node, by_id)) is not None]
    return problems


def _unknown_parent(node: Node) -> ImportProblem:
    message = f"overordnet enhet '{node.parent_id}' finnes ikke blant enhetene"
    return ImportProblem(node.source, node.row, "parent_id", message)


def _roots(nodes: list[Node]) -> list[ImportProblem]:
    roots = [node for node in nodes if not node.parent_id]
    if not roots:
        source = nodes[0].source if nodes else "import"
        message = "ingen enhet står øverst (uten overordnet); kommunen skal ha tom parent_id"
        return [ImportProblem(source, None, "parent_id", message)]
    problems = []
    if len(roots) > 1:
        ids = ", ".join(root.id for root in roots)
        message = f"flere enheter uten overordnet ({ids}); bare kommunen skal stå øverst"
        problems += [ImportProblem(root.source, root.row, "parent_id", message) for root in roots]
    for root in roots:
        if root.level not in (None, UnitLevel.KOMMUNE):
            message = f"enheten øverst i treet må ha nivå kommune, ikke {root.level}"
            problems.append(ImportProblem(root.source, root.row, "level", message))
    return problems


def _cycles(by_id: dict[str, Node]) -> tuple[list[ImportProblem], set[str]]:
    """One problem per cycle, on the row of its first unit in the file, naming every id in it; and the ids."""
    done: set[str] = set()
    members: set[str] = set()
    problems = []
    for start in by_id:
        path: list[str] = []
        current: str | None = start
        while current in by_id and current not in done and current not in path:
            path.append(current)
            current = by_id[current].parent_id
        if current in path:
            cycle = path[path.index(current) :]
            members.update(cycle)
            first = min((by_id[i] for i in cycle), key=lambda node: node.row)
            ring = " → ".join([*cycle, cycle[0]])
            message = f"enhetene danner en sirkel: {ring}"
            problems.append(ImportProblem(first.source, first.row, "parent_id", message))
        done.update(path)
    return problems, members


def _level_order(node: Node, by_id: dict[str, Node]) -> ImportProblem | None:
    parent = by_id.get(node.parent_id or "")
    if parent is None or node.level is None or parent.level is None:
        return None
    if LEVEL_RANK[node.level] > LEVEL_RANK[parent.level]:
        return None
    message = f"nivå {node.level} kan ikke ligge under {parent.id}, som har nivå {parent.level}"
    return ImportProblem(node.source, node.row, "level", message)


def parent_first(nodes: list[Node]) -> list[str]:
    """Ids ordered so that every parent comes before its children (the tree is known to be sound)."""
    children: dict[str | None, list[str]] = {}
    for node in nodes:
        children.setdefault(node.parent_id or None, []).append(node.id)
    ordered: list[str] = []
    queue = list(children.get(None, []))
    while queue:
        current = queue.pop(0)
        ordered.append(current)
        queue += children.get(current, [])
    return ordered
