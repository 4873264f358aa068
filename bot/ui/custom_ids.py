"""The custom_id scheme of the bot's components: ``<feature>:<action>[:<argument>...]``.

`feature` is one of `FEATURES` (the cog, or the shared UI piece, that answers the click);
`action` and the arguments are the feature's own. Persistent components (DynamicItems,
persistent modals) are routed by their custom_id after a restart, so the scheme is what a
reader greps for to find the code behind a button.

Messages already posted keep the custom_ids they were sent with (Discord cannot change them):
an old prefix keeps routing to its feature through `template()`'s alternation, listed in
`LEGACY` so that no new component uses it.
"""

from __future__ import annotations

import re

FEATURES = (
    "confirm",  # bot/ui/confirm.py: « Oui / Non » before destroying
    "events",
    "form",  # bot/ui/drafts.py: « Corriger » a refused form
    "indicators",
    "pager",  # bot/ui/pager.py
    "panel",
    "privacy",  # /mes-donnees
    "report",
    "requests",
    "survey",
    "watch",
)
# Prefixes of messages posted by earlier versions, and the feature that now answers them.
LEGACY = {
    "pg": "pager",
    "veille": "watch",
    "veille-categorie": "watch",
    "veille-form": "watch",
    "questionnaire": "survey",
    "donnees": "privacy",
    "report-text": "report",
}


def custom_id(feature: str, action: str, *arguments: object) -> str:
    """``feature:action:arg…`` (`feature` must be one of `FEATURES`)."""
    if feature not in FEATURES:
        raise ValueError(f"unknown custom_id feature {feature!r}")
    return ":".join([feature, action, *map(str, arguments)])


def template(feature: str, rest: str, *, legacy: tuple[str, ...] = ()) -> str:
    """A DynamicItem template for ``feature:`` + `rest` (a regular expression), also
    matching the custom_ids posted under the `legacy` prefixes of that feature."""
    if feature not in FEATURES or any(LEGACY.get(old) != feature for old in legacy):
        raise ValueError(f"custom_id prefixes {feature!r}/{legacy!r} are not in the scheme")
    prefixes = "|".join(re.escape(p) for p in (feature, *legacy))
    return f"(?:{prefixes}):{rest}" if legacy else f"{re.escape(feature)}:{rest}"
