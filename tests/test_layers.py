"""The layers of docs/architecture.md (which package may import which), the cogs' hands off
the rows, the custom_id scheme of persistent components, and the lock convention, read from
the code with `ast` (tests/test_architecture.py's helpers).

As there, each rule keeps an explicit KNOWN list of the violations left on main; a KNOWN entry
that is no longer a violation fails (the lists can only shrink).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from bot.ui.custom_ids import FEATURES, LEGACY
from tests.test_architecture import imports_of, modules, tree_of

# --- c. the layers ------------------------------------------------------------------------
# A module belongs to one layer; it may import its own layer and the layers listed here (the
# same table is drawn in docs/architecture.md). "discord" and "simcord" are the libraries.
ALLOWED: dict[str, set[str]] = {
    "base": set(),  # bot/ helpers that know no Discord and no database: clock, config, dates…
    "db": {"base"},  # bot/db: models, session, unit of work (and bot/migrations.py)
    "services": {"db", "base"},  # bot/services: the capabilities, plain Python
    "runtime": {"services", "db", "base", "discord"},  # bot/ Discord glue: interactions, outbox, tree…
    "ui": {"runtime", "services", "db", "base", "discord"},  # bot/ui: shared views, exports
    "app": {"ui", "runtime", "services", "db", "base", "discord"},  # bot/app.py (the Bot); cogs/__init__
    "cogs": {"app", "ui", "runtime", "services", "db", "base", "discord"},  # cogs/<feature>
    "main": {"demo", "app", "runtime", "services", "db", "base", "discord"},  # bot/__main__.py
    "demo": {"cogs", "app", "ui", "runtime", "services", "db", "base", "discord", "simcord"},  # bot/demo
    "bench": {"cogs", "app", "ui", "runtime", "services", "db", "base", "discord", "simcord"},
    "tools": {"demo", "cogs", "app", "ui", "runtime", "services", "db", "base", "discord", "simcord"},
}
BASE = {
    "bot",
    "bot.clock",
    "bot.config",
    "bot.dates",
    "bot.durations",
    "bot.errors",
    "bot.french",
    "bot.markup",
    "bot.natural_dates",
    "bot.parsing",
    "bot.send_budget",
    "bot.spreadsheets",
    "bot.text",  # cleaning and quoting what people type: every layer uses it
}
RUNTIME = {
    "bot.alerts",
    "bot.failures",
    "bot.interactions",
    "bot.limits",
    "bot.notifier",
    "bot.outbox",
    "bot.permissions",
    "bot.posts",  # what a feature declares for the outbox (kinds of scheduled posts)
    "bot.redactions",
    "bot.scheduler",
    "bot.tree",
    "bot.web",
}


def layer(module: str) -> str:
    """The layer of a module of the project, or of a library ("discord", "simcord", "other")."""
    parts = module.split(".")
    top = parts[0]
    if top in ("discord", "simcord"):
        return top
    if top in ("bench", "tools"):
        return top
    if top == "cogs":
        return "app" if module == "cogs" else "cogs"
    if top != "bot":
        return "other"
    if len(parts) > 1 and parts[1] in ("db", "services", "ui", "demo"):
        return parts[1]
    if module in BASE:
        return "base"
    if module in RUNTIME:
        return "runtime"
    # bot.features: the feature registry, filled by each cogs/<feature>/__init__.py setup()
    app = {"bot.app": "app", "bot.features": "app", "bot.__main__": "main", "bot.migrations": "db"}
    return app.get(module, "unclassified")


def layer_violations() -> Iterator[tuple[str, str]]:
    for module in modules():
        source = layer(module)
        for imp in imports_of(module):
            target = layer(imp.target)
            if target != "other" and target != source and target not in ALLOWED[source]:
                yield module, imp.target


# Today's imports against the layers (importing module, imported module).
KNOWN_LAYER_VIOLATIONS: set[tuple[str, str]] = set()


def test_every_module_has_a_layer() -> None:
    unclassified = [m for m in modules() if layer(m) == "unclassified"]
    assert not unclassified, (
        f"put these modules in a layer (tests/test_layers.py, docs/architecture.md): {unclassified}"
    )


def test_layers() -> None:
    found = set(layer_violations())
    new = sorted(found - KNOWN_LAYER_VIOLATIONS)
    assert not new, "imports against the layers (docs/architecture.md):\n" + "\n".join(
        f"{m} ({layer(m)}) imports {t} ({layer(t)})" for m, t in new
    )
    stale = sorted(KNOWN_LAYER_VIOLATIONS - found)
    assert not stale, f"fixed: remove from KNOWN_LAYER_VIOLATIONS: {stale}"


def test_layer_rule_reads_the_table() -> None:
    assert layer("bot.services.events") == "services" and layer("bot.db.models.events") == "db"
    assert layer("cogs.events._cog") == "cogs" and layer("discord.ui") == "discord"
    assert "discord" not in ALLOWED["services"] and "ui" not in ALLOWED["services"]
    assert all(allowed <= set(ALLOWED) | {"discord", "simcord"} for allowed in ALLOWED.values())


# --- e. cogs never write rows -------------------------------------------------------------
SESSION_CALLS = {"add", "add_all", "delete", "execute", "flush", "merge", "get", "scalar", "scalars", "refresh"}


def session_calls() -> Iterator[tuple[str, str, str]]:
    """(module, function, call) for every `session.<write or get>(…)` in cogs/."""
    for module in modules():
        if not module.startswith("cogs."):
            continue
        for function in ast.walk(tree_of(module)):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in SESSION_CALLS
                    and isinstance(node.func.value, ast.Name)
                    and node.func.value.id == "session"
                ):
                    yield module, function.name, f"session.{node.func.attr}"


# Today's reads and writes of rows by cogs (module, function, call): each moves to a service.
KNOWN_COG_SESSION_CALLS: set[tuple[str, str, str]] = set()


def test_cogs_do_not_touch_rows() -> None:
    found = set(session_calls())
    new = sorted(found - KNOWN_COG_SESSION_CALLS)
    assert not new, "cogs call the session directly (use a service function):\n" + "\n".join(map(str, new))
    stale = sorted(KNOWN_COG_SESSION_CALLS - found)
    assert not stale, f"fixed: remove from KNOWN_COG_SESSION_CALLS: {stale}"


# --- f. custom_ids follow the scheme ------------------------------------------------------
ROUTED = {"Button", "Select", "Modal", "button", "select", "UserSelect", "RoleSelect", "ChannelSelect"}


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level string constants (`PREFIX = "pg"`, `X = re.compile(r"…")`)."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = node.value
            if isinstance(value, ast.Call) and value.args:  # re.compile(r"...")
                value = value.args[0]
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found[node.targets[0].id] = value.value
    return found


def _prefix(value: ast.expr, constants: dict[str, str]) -> str | None:
    """The literal start of a custom_id or template up to its first ":" (None: not literal)."""
    if isinstance(value, ast.BinOp):
        return _prefix(value.left, constants)
    text = ""
    parts = value.values if isinstance(value, ast.JoinedStr) else [value]
    for part in parts:
        if isinstance(part, ast.FormattedValue):
            part = part.value
        if isinstance(part, ast.Constant) and isinstance(part.value, str):
            text += part.value
        elif isinstance(part, ast.Name) and part.id in constants:
            text += constants[part.id]
        else:
            break
        if ":" in text:
            break
    return text.split(":")[0] if ":" in text else None


def _scheme_call(value: ast.expr) -> bool:
    func = value.func if isinstance(value, ast.Call) else None
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
    return name in ("custom_id", "template")


def custom_id_prefixes() -> Iterator[tuple[str, str]]:
    """(module, prefix) of every literal custom_id of a routed component (buttons, selects,
    modals; not a modal's text inputs, which are only field names) and DynamicItem template,
    and the feature of every `custom_id(feature, …)` / `template(feature, …)` call."""
    for module in modules():
        if module.split(".")[0] not in ("bot", "cogs"):
            continue
        tree = tree_of(module)
        constants = _constants(tree)
        for node in ast.walk(tree):
            values: list[ast.expr] = []
            if isinstance(node, ast.ClassDef):
                values = [k.value for k in node.keywords if k.arg == "template"]
                # a modal's (or any component subclass') own custom_id: super().__init__(custom_id=…)
                for call in ast.walk(node):
                    if (
                        isinstance(call, ast.Call)
                        and isinstance(call.func, ast.Attribute)
                        and call.func.attr == "__init__"
                    ):
                        values += [k.value for k in call.keywords if k.arg == "custom_id"]
            elif isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if name in ROUTED:
                    values = [k.value for k in node.keywords if k.arg == "custom_id"]
            for value in values:
                if _scheme_call(value):
                    # custom_id("events", …) / template("events", …): the feature is the prefix
                    feature = value.args[0] if isinstance(value, ast.Call) and value.args else None
                    if isinstance(feature, ast.Constant) and isinstance(feature.value, str):
                        yield module, feature.value
                    elif isinstance(feature, ast.Name) and feature.id in constants:
                        yield module, constants[feature.id]
                    continue
                prefix = _prefix(value, constants)
                if prefix is not None:
                    yield module, prefix


def scheme_violations() -> set[tuple[str, str]]:
    """A literal prefix outside FEATURES, or a LEGACY one (only `template(legacy=…)` may)."""
    return {(module, prefix) for module, prefix in custom_id_prefixes() if prefix not in FEATURES}


# Today's custom_ids posted under an old prefix by new messages (module, prefix).
KNOWN_CUSTOM_ID_PREFIXES: set[tuple[str, str]] = set()


def test_custom_ids_follow_the_scheme() -> None:
    found = scheme_violations()
    new = sorted(found - KNOWN_CUSTOM_ID_PREFIXES)
    assert not new, "custom_ids outside bot/ui/custom_ids.py's FEATURES (use custom_id()/template()):\n" + "\n".join(
        f"{m}: {p!r}" + (f" (LEGACY of {LEGACY[p]!r})" if p in LEGACY else "") for m, p in new
    )
    stale = sorted(KNOWN_CUSTOM_ID_PREFIXES - found)
    assert not stale, f"fixed: remove from KNOWN_CUSTOM_ID_PREFIXES: {stale}"


def test_custom_id_prefixes_are_found() -> None:
    # The reader sees the components it checks (a blind reader would pass everything).
    prefixes = {p for _, p in custom_id_prefixes()}
    assert {"events", "indicators", "confirm", "form"} <= prefixes


# --- f2. components kept nowhere ----------------------------------------------------------
# A message's components are DynamicItems in a `bot.ui.views.RoutedView` (finished from the
# start: discord.py neither stores it nor times it out). A plain `discord.ui.View` built or
# subclassed elsewhere would be kept by discord.py (a 15-minute task per ephemeral answer).
ROUTED_VIEWS = "bot.ui.views"


def _is_view(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "View") or (
        isinstance(node, ast.Name) and node.id == "View"
    )


def plain_views() -> Iterator[tuple[str, int]]:
    for module in modules():
        if module == ROUTED_VIEWS or not module.startswith(("bot.", "cogs.")):
            continue
        for node in ast.walk(tree_of(module)):
            if isinstance(node, ast.Call) and _is_view(node.func):
                yield module, node.lineno
            elif isinstance(node, ast.ClassDef) and any(_is_view(base) for base in node.bases):
                yield module, node.lineno


def test_views_are_routed() -> None:
    found = sorted(plain_views())
    assert not found, "use bot.ui.views.RoutedView, not discord.ui.View:\n" + "\n".join(
        f"{m}:{line}" for m, line in found
    )


def test_view_rule_sees_views() -> None:
    tree = ast.parse("import discord\nclass A(discord.ui.View): ...\nv = discord.ui.View(timeout=None)\n")
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and _is_view(n.func)]
    classes = [n for n in ast.walk(tree) if isinstance(n, ast.ClassDef) and any(_is_view(b) for b in n.bases)]
    assert len(calls) == 1 and len(classes) == 1


# --- g. the lock convention ---------------------------------------------------------------
LOCK_SENTENCE = re.compile(r"transaction\(lock=True\)")


def _decorated_requires_lock(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    return any(
        (isinstance(d, ast.Name) and d.id == "requires_lock")
        or (isinstance(d, ast.Attribute) and d.attr == "requires_lock")
        for d in function.decorator_list
    )


def lock_findings_in(module: str, tree: ast.Module) -> Iterator[tuple[str, str, str]]:
    """(module, function, what) for: a docstring still asking for transaction(lock=True)
    (the decorator says it, and checks it); a @requires_lock function that is not async or
    does not take the session first."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if LOCK_SENTENCE.search(ast.get_docstring(node) or ""):
            yield module, node.name, "docstring"
        if _decorated_requires_lock(node):
            arguments = [*node.args.posonlyargs, *node.args.args]
            if not isinstance(node, ast.AsyncFunctionDef) or not arguments or arguments[0].arg != "session":
                yield module, node.name, "not (session, …) async"


def lock_findings() -> Iterator[tuple[str, str, str]]:
    for module in modules():
        if module.split(".")[0] in ("bot", "cogs") and module != "bot.db.session":
            yield from lock_findings_in(module, tree_of(module))


# Today's service functions that say "call inside transaction(lock=True)" in their docstring
# instead of carrying @requires_lock (module, function, finding).
KNOWN_LOCK_FINDINGS: set[tuple[str, str, str]] = set()


def test_lock_convention_is_code() -> None:
    found = set(lock_findings())
    new = sorted(found - KNOWN_LOCK_FINDINGS)
    assert not new, "use @requires_lock (bot/db/session.py), first argument the session:\n" + "\n".join(map(str, new))
    stale = sorted(KNOWN_LOCK_FINDINGS - found)
    assert not stale, f"fixed: remove from KNOWN_LOCK_FINDINGS: {stale}"


def test_lock_rule_reads_decorators_and_docstrings() -> None:
    sample = ast.parse(
        """
@requires_lock
async def claim(session, guild_id): ...
@session_module.requires_lock
async def first_not_session(guild_id, session): ...
@requires_lock
def not_async(session): ...
async def still_documented(session):
    \"\"\"Call inside transaction(lock=True).\"\"\"
"""
    )
    assert sorted(lock_findings_in("m", sample)) == [
        ("m", "first_not_session", "not (session, …) async"),
        ("m", "not_async", "not (session, …) async"),
        ("m", "still_documented", "docstring"),
    ]
