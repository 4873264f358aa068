"""Meta-tests: every extension loads; command names are unique and within Discord's limits;
the code's structure (docs/architecture.md) holds: no import cycle, no private name imported
across modules, no module over 400 lines. The layers, the writes of cogs, the custom_ids and
the lock convention are in tests/test_layers.py.

The code is read with `ast`, never imported, so a violation is reported even in a module that
no test loads. Each rule keeps an explicit KNOWN list of the violations left on main (so the
suite stays green while they are fixed); a KNOWN entry that is no longer a violation fails:
the lists can only shrink.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from discord import app_commands

from bot.app import extensions

ROOT = Path(__file__).resolve().parents[1]
NAME_RE = re.compile(r"^[-_\w]{1,32}$")
PACKAGES = ("bot", "cogs", "bench", "tools")
MAX_LINES = 400


def _walk(command, path=()):
    path = (*path, command.name)
    yield path, command
    for child in getattr(command, "commands", []):
        yield from _walk(child, path)


async def test_command_tree(env, simcord_bot) -> None:
    bot = simcord_bot
    loaded = set(bot.extensions)
    assert loaded == set(extensions())
    seen: set[tuple[str, ...]] = set()
    for root in bot.tree.get_commands():
        if isinstance(root, app_commands.ContextMenu):
            assert 1 <= len(root.name) <= 32
            continue
        for path, command in _walk(root):
            assert path not in seen, f"duplicate command {' '.join(path)}"
            seen.add(path)
            assert NAME_RE.match(command.name) and command.name == command.name.lower(), path
            assert 1 <= len(command.description) <= 100, path
            for parameter in getattr(command, "parameters", []):
                assert NAME_RE.match(parameter.name) and parameter.name == parameter.name.lower()
                assert 1 <= len(parameter.description) <= 100, (path, parameter.name)
                assert len(parameter.choices) <= 25
        assert len(getattr(root, "commands", [])) <= 25
    assert len(bot.tree.get_commands()) <= 100


def test_services_do_not_import_discord() -> None:
    for path in (ROOT / "bot" / "services").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n == "discord" or n.startswith("discord.") for n in names), path


# --- reading the code ---------------------------------------------------------------------


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the project's code (not the tests), by dotted name."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "data" not in path.relative_to(ROOT).parts:
                found[module_name(path)] = path
    return found


@cache
def tree_of(module: str) -> ast.Module:
    return ast.parse(modules()[module].read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (dotted; may be outside the project)
    name: str | None  # the attribute imported from `target` (None: the module itself)
    line: int
    in_function: bool  # a function-level import (still an import: it counts for cycles)
    local: str  # the name it binds in the importing module


def _type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    """The imports of `module`, module level and function level, except those under
    `if TYPE_CHECKING:` (never executed). `from package import module` imports the module."""
    known = modules()
    is_package = modules()[module].name == "__init__.py"
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and _type_checking(child.test):
                for statement in child.orelse:
                    visit_one(statement, in_function)
            else:
                visit_one(child, in_function)

    def visit_one(node: ast.AST, in_function: bool) -> None:
        if isinstance(node, ast.Import):
            found.extend(
                Import(module, alias.name, None, node.lineno, in_function, alias.asname or alias.name.split(".")[0])
                for alias in node.names
            )
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = parts[: len(parts) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            for alias in node.names:
                local = alias.asname or alias.name
                if f"{target}.{alias.name}" in known:
                    found.append(Import(module, f"{target}.{alias.name}", None, node.lineno, in_function, local))
                else:
                    found.append(Import(module, target, alias.name, node.lineno, in_function, local))
        else:
            visit(node, in_function or isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(tree_of(module), False)
    return tuple(found)


def project_imports(*packages: str) -> Iterator[Import]:
    """The imports, between modules of the project, made by the modules of `packages`."""
    known = modules()
    for module in known:
        if module.split(".")[0] in packages:
            yield from (i for i in imports_of(module) if i.target in known)


# --- a. no import cycle -------------------------------------------------------------------


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in modules() if m.split(".")[0] in ("bot", "cogs")}
    for imp in project_imports("bot", "cogs"):
        if imp.target in graph and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components (iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    components.append(component)
    return components


def cycle_through(graph: dict[str, set[str]], edge: tuple[str, str]) -> list[str] | None:
    """A shortest import path target → … → source closing `edge` into a cycle, or None."""
    source, target = edge
    paths = {target: [target]}
    queue = [target]
    while queue:
        node = queue.pop(0)
        if node == source:
            return [source, *paths[node]]
        for child in sorted(graph[node]):
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    return None


# One import per cycle today (module → module it imports): the edge to cut. Another import
# forming a new cycle fails; an entry whose import is gone or no longer closes a cycle fails.
KNOWN_CYCLE_EDGES: set[tuple[str, str]] = set()


def test_no_import_cycle() -> None:
    graph = import_graph()
    cut = {s: targets - {t for (s2, t) in KNOWN_CYCLE_EDGES if s2 == s} for s, targets in graph.items()}
    cycles = [c for c in strongly_connected(cut) if len(c) > 1]
    described = []
    for component in cycles:
        source = min(component)
        target = min(t for t in cut[source] if t in component)
        path = cycle_through(cut, (source, target))
        described.append(" → ".join(path or sorted(component)))
    assert not described, "import cycles (function-level imports count):\n" + "\n".join(described)
    stale = [e for e in sorted(KNOWN_CYCLE_EDGES) if e[1] not in graph.get(e[0], set()) or not cycle_through(graph, e)]
    assert not stale, f"no longer a cycle: remove from KNOWN_CYCLE_EDGES: {stale}"


def test_cycle_detection_reports_a_path() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert [sorted(c) for c in strongly_connected(graph) if len(c) > 1] == [["a", "b", "c"]]
    assert cycle_through(graph, ("a", "b")) == ["a", "b", "c", "a"]
    assert cycle_through(graph, ("d", "a")) is None


# --- b. no private name across modules ----------------------------------------------------


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_imports() -> Iterator[tuple[str, str]]:
    """(importing module, imported private thing) for: a `_name` imported from another module;
    `module._name` read through an imported module; a `_module` imported from outside the
    package that holds it (cogs/x/_views.py is cogs/x's own)."""
    known = modules()
    for module in known:
        for imp in imports_of(module):
            if imp.target not in known:
                continue
            if imp.name is not None and _private(imp.name):
                yield module, f"{imp.target}.{imp.name}"
            parts = imp.target.split(".")
            for depth, part in enumerate(parts):
                owner = ".".join(parts[:depth])
                if _private(part) and not (module == owner or module.startswith(owner + ".")):
                    yield module, imp.target
                    break
        # a module bound to a name (`from bot.services import events as svc`), then `svc._x`
        bound = {i.local: i.target for i in imports_of(module) if i.name is None and i.target in known}
        # (`import bot.services.events` binds `bot`, not the module)
        bound = {local: local if target.startswith(local + ".") else target for local, target in bound.items()}
        for node in ast.walk(tree_of(module)):
            if isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name):
                target = bound.get(node.value.id)
                if target is not None and target != module:
                    yield module, f"{target}.{node.attr}"


KNOWN_PRIVATE_IMPORTS: set[tuple[str, str]] = set()


def test_no_private_name_imported_across_modules() -> None:
    found = set(private_imports())
    new = sorted(found - KNOWN_PRIVATE_IMPORTS)
    assert not new, "private names used outside their module (make them public):\n" + "\n".join(
        f"{m} uses {n}" for m, n in new
    )
    stale = sorted(KNOWN_PRIVATE_IMPORTS - found)
    assert not stale, f"fixed: remove from KNOWN_PRIVATE_IMPORTS: {stale}"


# --- d. modules a reader can hold in their head -------------------------------------------


KNOWN_LONG_MODULES: set[str] = set()


def test_no_module_over_400_lines() -> None:
    lengths = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for module, path in modules().items()
        if module.split(".")[0] in ("bot", "cogs")
    }
    long = {path for path, count in lengths.items() if count > MAX_LINES}
    new = sorted(f"{p} ({lengths[p]} lines)" for p in long - KNOWN_LONG_MODULES)
    assert not new, f"modules over {MAX_LINES} lines (split them by job): {new}"
    stale = sorted(KNOWN_LONG_MODULES - long)
    assert not stale, f"short enough now: remove from KNOWN_LONG_MODULES: {stale}"
