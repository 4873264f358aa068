"""Check (and fix) the French typography of the bot's text constants.

    python -m tools.french_typography          # list the texts to fix (exit 1 if any)
    python -m tools.french_typography --fix    # rewrite them (and the tests' expected texts)
                                               # in place, then list what is left

The rule (also what tests/test_french.py scans): every module-level constant of `bot/` and
`cogs/` (a name in capitals, e.g. `DONE_CLOSE`, `_ERR_TOO_BIG`) whose value is a string, or a
tuple/list/set/dict of strings, must read the same after `bot.french.typo`: no-break spaces
before ``: ; ! ?`` and inside « ». URLs, Discord markup, emoji codes, times and
`{placeholders}` are left alone (see `bot.french`).

`--fix` only rewrites the string literals of those constants, character by character: a space
becomes ``\\u00a0`` (or one is inserted), every other character and escape of the source is
kept, the code around is untouched, and running it twice changes nothing. A constant's
f-strings and raw strings are not rewritten (they are listed: fix them by hand, e.g. with
``{NBSP}``). Then every literal of tests/ (docstrings and raw strings aside, f-strings
included) gets the same treatment, so that the tests expect the fixed texts.

After merging branches that changed texts: run `--fix`, then the test suite.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import io
import re
import sys
import tokenize
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bot.french import NBSP, typo, violations  # noqa: E402

PACKAGES = ("bot", "cogs")
# The tests' expected texts follow the texts: with --fix every literal of the tests is fixed
# too, except in the files that hold wrong typography on purpose.
# Every other literal of bot/ and cogs/ (texts built in code, f-strings) gets its spaces
# before : ; ! ? and inside « » turned into no-break spaces too, except in these files.
LITERALS_KEPT = (
    "bot/french.py",  # the typography's own patterns
    "bot/failures.py",  # builds its texts with .replace("« ", …) on purpose
    "bot/services/watch/urls.py",  # punctuation lists
)
TESTS = "tests"
TESTS_KEPT = (
    "tests/test_french.py",  # wrong typography on purpose
    "tests/french_check.py",
    "tests/services/test_feed_corpus.py",  # titles of outside pages, kept as they are written
    "tests/services/test_report.py",  # asserts that plain spaces before signs are gone
)
# Constants that are not French prose, by "path:NAME", with the reason.
EXEMPT = {
    "bot/french.py:_AFTER": "a regular expression (the typography's own)",
    "bot/services/watch/urls.py:_TRAILING": "punctuation stripped from the end of links",
    "bot/services/watch/fetch.py:USER_AGENT": "an HTTP header, in English",
    "bot/ui/report/pdf.py:CSS": "a stylesheet",
    "bot/ui/certificates.py:CSS": "a stylesheet",
    "bot/durations.py:_NUMBER": "a regular expression",
    "bot/demo/serve.py:PAGE": "an HTML page template (its CSS); its French lines are in other constants",
}
CONSTANT = re.compile(r"^_?[A-Z][A-Z0-9_]*$")
_ESCAPES = {NBSP: "\\u00a0"}
_UNIT = re.compile(
    r"\\(?:\n|N\{[^}]*\}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|x[0-9a-fA-F]{2}|[0-7]{1,3}|.)|.",
    re.DOTALL,
)
# A field that is a no-break space already ("{NBSP}", "{N}": f-strings, .format(n=NBSP)).
_NBSP_FIELD = re.compile(r"\{(?:NBSP|NNBSP|N|n)\}")
_F_UNIT = re.compile(_NBSP_FIELD.pattern + "|" + _UNIT.pattern, re.DOTALL)


def source_files(root: Path = ROOT) -> list[Path]:
    return sorted(p for package in PACKAGES for p in (root / package).rglob("*.py"))


def test_files(root: Path = ROOT) -> list[Path]:
    return sorted(p for p in (root / TESTS).rglob("*.py") if p.relative_to(root).as_posix() not in TESTS_KEPT)


def _relative(path: Path, root: Path = ROOT) -> str:
    resolved = path.resolve()
    return resolved.relative_to(root).as_posix() if resolved.is_relative_to(root) else path.name


def _constant_names(tree: ast.Module, path: Path, root: Path = ROOT) -> list[tuple[str, ast.AST]]:
    relative = _relative(path, root)
    found = []
    for node in tree.body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Name) and CONSTANT.match(target.id) and f"{relative}:{target.id}" not in EXEMPT:
                found.append((target.id, node))
    return found


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for item in value:
            yield from _strings(item)


@dataclass(frozen=True)
class Finding:
    path: str
    name: str
    excerpts: tuple[str, ...]

    def __str__(self) -> str:
        shown = " | ".join(e.replace(NBSP, "⍽") for e in self.excerpts[:3])
        return f"{self.path}: {self.name}: {shown}"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def check(root: Path = ROOT) -> list[Finding]:
    """Every constant whose runtime value breaks the rule (f-strings and `.replace` included)."""
    findings: list[Finding] = []
    for path in source_files(root):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = _constant_names(tree, path, root)
        if not names:
            continue
        module = importlib.import_module(module_name(path, root))
        for name, _node in names:
            excerpts = [e for text in _strings(getattr(module, name, None)) for e in violations(text)]
            if excerpts:
                findings.append(Finding(str(path.relative_to(root)), name, tuple(excerpts)))
    return findings


# -- fixing -----------------------------------------------------------------------------


def _fix_body(body: str, *, glued: bool = True, f_string: bool = False) -> str:
    """The literal's body with the typography fixed, every other unit kept as written."""
    # "{N}" is a no-break space in an f-string, and in a template filled by .format(n=NBSP)
    units = _F_UNIT.findall(body)
    values = [
        NBSP
        if _NBSP_FIELD.fullmatch(u)
        else ast.literal_eval('"' + u + '"')
        if u.startswith("\\") and u != '\\"'
        else u
        for u in units
    ]
    values = ['"' if u == '\\"' else v for u, v in zip(units, values, strict=True)]
    text = "".join(values)
    fixed = typo(text, glued=glued)
    if fixed == text:
        return body
    out: list[str] = []
    j = 0
    for unit, value in zip(units, values, strict=True):
        if not value:  # a line continuation
            out.append(unit)
            continue
        # Characters typo inserted before this one.
        while j < len(fixed) and fixed[j] != value and fixed[j] == NBSP:
            out.append(_ESCAPES[NBSP])
            j += 1
        if j < len(fixed) and fixed[j] == value:
            out.append(unit)
            j += 1
        elif j < len(fixed) and fixed[j] == NBSP and value in " \t":
            out.append(_ESCAPES[NBSP])
            j += 1
        else:  # a run of spaces typo folded into one no-break space: drop the extra ones
            out.append("")
    while j < len(fixed) and fixed[j] == NBSP:
        out.append(_ESCAPES[NBSP])
        j += 1
    return "".join(out)


def _fix_token(token: str, *, f_strings: bool = False) -> tuple[str, bool]:
    """(new token, whether it could be handled). An f-string's {fields} are left alone like
    placeholders (only with `f_strings`: a constant's f-string may hold {NBSP} already)."""
    match = re.match(r"(?i)^([a-z]*)('''|\"\"\"|'|\")(.*)\2$", token, re.DOTALL)
    if match is None:
        return token, False
    prefix, quote, body = match.groups()
    refused = set("rb") if f_strings else set("rbf")
    if set(prefix.lower()) & refused:
        return token, False
    # In the tests (f_strings), English texts ("Settings: ok") stay: only spaces are changed.
    f_string = "f" in prefix.lower()
    return f"{prefix}{quote}{_fix_body(body, glued=not f_strings, f_string=f_string)}{quote}", True


def _docstrings(tree: ast.Module) -> set[int]:
    """Line numbers where docstrings start (left as written)."""
    lines = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                lines.add(value.lineno)
    return lines


def fix_file(path: Path, *, every_literal: bool = False) -> tuple[int, list[str]]:
    """Rewrite the constants' literals of one file (`every_literal`: every string literal but
    docstrings, f-strings included: the tests' expected texts). Returns (literals changed,
    constants with an f-string or raw string left as written)."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    docstrings: set[int] = set()
    if every_literal:
        docstrings = _docstrings(tree)
        spans = [(1, len(source.splitlines()) + 1, "")]
    else:
        spans = [(n.lineno, n.end_lineno or n.lineno, name) for name, n in _constant_names(tree, path)]
    if not spans:
        return 0, []
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    edits: list[tuple[int, int, str]] = []
    skipped: list[str] = []
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type != tokenize.STRING:
            continue
        owner = next((name for start, end, name in spans if start <= token.start[0] <= end), None)
        if owner is None or token.start[0] in docstrings:
            continue
        new, handled = _fix_token(token.string, f_strings=every_literal)
        if not handled:
            skipped.append(owner)
            continue
        if new != token.string:
            begin = offsets[token.start[0] - 1] + token.start[1]
            end = offsets[token.end[0] - 1] + token.end[1]
            edits.append((begin, end, new))
    for begin, end, new in reversed(edits):
        source = source[:begin] + new + source[end:]
    if edits:
        ast.parse(source)  # never write a file that no longer parses
        path.write_text(source, encoding="utf-8")
    return len(edits), skipped


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--fix", action="store_true", help="rewrite the text constants in place")
    args = parser.parse_args(argv)
    if args.fix:
        total = 0
        for path in source_files():
            changed, _skipped = fix_file(path)
            total += changed
            if changed:
                print(f"{path.relative_to(ROOT)}: {changed} literal(s) fixed")
        for path in source_files():
            if _relative(path) in LITERALS_KEPT:
                continue
            changed, _skipped = fix_file(path, every_literal=True)
            total += changed
            if changed:
                print(f"{path.relative_to(ROOT)}: {changed} literal(s) in code fixed")
        print(f"{total} text literal(s) fixed")
        in_tests = 0
        for path in test_files():
            changed, _skipped = fix_file(path, every_literal=True)
            in_tests += changed
            if changed:
                print(f"{path.relative_to(ROOT)}: {changed} literal(s) fixed")
        print(f"{in_tests} test literal(s) fixed")
    findings = check()
    for finding in findings:
        print(finding)
    if findings:
        if args.fix:
            print("Left: f-strings or raw strings (fix them by hand, e.g. with {NBSP}).")
        print(f"{len(findings)} constant(s) still break the French typography")
        return 1
    print("French typography: every text constant is right")
    return 0


if __name__ == "__main__":
    sys.exit(main())
