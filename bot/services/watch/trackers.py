"""Which query (and fragment) parameters of a link are trackers.

The rules are ClearURLs' (https://docs.clearurls.xyz, the list maintained for the ClearURLs
browser add-on, LGPL-3.0), read from the copy that the `unalix-rev` package ships
(`unalix/package_data/rulesets/data.min.json`, plus Unalix's own `unalix.json` in the same
format): upgrading that package upgrades the list. `trackers.json` beside this module
adds, in the same format, the French trackers that list misses (AT Internet's `xtor` and
`at_*`, Matomo, Brevo…); its header says what each rule is for.

Only ClearURLs' parameter rules (`rules`, `referralMarketing`) are used, with their
`exceptions`: redirections, raw path rules and blocked domains would change the link itself.
A provider applies when its `urlPattern` matches the link (ASCII host, lowercase) and none of
its exceptions does; patterns match case-insensitively and a rule must match the whole
parameter name, as in the add-on.

Keys stored before a change of these rules keep the trackers of their time: after an upgrade
that adds a tracker, a revision can recompute `url_key` with the loop of `0008_urls`.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

LOCAL_RULES = Path(__file__).with_name("trackers.json")
CLEARURLS_FILES = ("data.min.json", "unalix.json")
# ClearURLs' own test providers, never meant for real links.
_IGNORED = frozenset({"ClearURLsTest", "ClearURLsTestBlock", "ClearURLsTest2", "ClearURLsTestBlock2"})


@dataclass(frozen=True)
class Provider:
    name: str
    url_pattern: re.Pattern[str]
    exceptions: tuple[re.Pattern[str], ...]
    params: re.Pattern[str] | None  # the union of the provider's parameter rules

    def applies_to(self, url: str) -> bool:
        return self.url_pattern.search(url) is not None and not any(e.search(url) for e in self.exceptions)


def _compile(name: str, raw: dict) -> Provider | None:
    rules = [*raw.get("rules", []), *raw.get("referralMarketing", [])]
    if not rules:
        return None
    try:
        return Provider(
            name=name,
            url_pattern=re.compile(raw["urlPattern"], re.IGNORECASE),
            exceptions=tuple(re.compile(e, re.IGNORECASE) for e in raw.get("exceptions", [])),
            params=re.compile("|".join(f"(?:{r})" for r in rules), re.IGNORECASE),
        )
    except (KeyError, re.error):  # one bad rule in a future list must not lose the others
        log.warning("Tracker rules of %s ignored (not valid)", name)
        return None


def _clearurls_dir() -> Path | None:
    spec = importlib.util.find_spec("unalix")  # found without importing the package
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "package_data" / "rulesets"


def _load(path: Path) -> dict[str, dict]:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle).get("providers", {})


@cache
def providers() -> tuple[Provider, ...]:
    """Every provider with parameter rules: ClearURLs', Unalix's, then ours."""
    sources: list[Path] = []
    folder = _clearurls_dir()
    if folder is None:
        log.error("unalix-rev is not installed: only the project's tracker rules apply")
    else:
        sources.extend(folder / name for name in CLEARURLS_FILES if (folder / name).is_file())
    sources.append(LOCAL_RULES)
    result = []
    for path in sources:
        for name, raw in _load(path).items():
            if name in _IGNORED or raw.get("completeProvider"):
                continue
            if (provider := _compile(name, raw)) is not None:
                result.append(provider)
    return tuple(result)


def tracker_test(match_url: str):
    """A predicate telling whether a parameter name is a tracker on this link.
    `match_url` is the link with an ASCII lowercase scheme and host (what the patterns
    expect)."""
    patterns = [p.params for p in providers() if p.params is not None and p.applies_to(match_url)]

    def is_tracker(name: str) -> bool:
        return any(p.fullmatch(name) for p in patterns)

    return is_tracker
