"""The import graph: no circle anywhere in the product code, and no module imports a layer above its own."""

from __future__ import annotations

import grimp
import pytest

PACKAGES = ("domain", "config", "notifications", "tasks", "flows", "web", "arshjul")
# Lower index = lower layer; a module may import its own layer and those below it.
LAYERS = {"domain": 0, "config": 1, "notifications": 2, "tasks": 3, "flows": 4, "web": 4, "arshjul": 5}


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def test_no_module_imports_a_layer_above_its_own(graph: grimp.ImportGraph) -> None:
    upward = sorted(
        f"{module} -> {imported}"
        for module in graph.modules
        for imported in graph.find_modules_directly_imported_by(module)
        if LAYERS[imported.split(".")[0]] > LAYERS[module.split(".")[0]]
    )
    assert upward == []


def test_flows_and_web_do_not_import_each_other(graph: grimp.ImportGraph) -> None:
    assert not graph.chain_exists("web", "flows", as_packages=True)
    assert not graph.chain_exists("flows", "web", as_packages=True)


def test_there_is_no_import_circle(graph: grimp.ImportGraph) -> None:
    assert _cycles(graph) == []


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph.modules):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root))))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.find_modules_directly_imported_by(child)))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found
