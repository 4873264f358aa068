"""The features plugged into the bot: one registry (`bot.features`) instead of process-wide globals.

Each `cogs/<feature>/__init__.py` builds one `Feature` in its `setup(bot)` and adds it with
`await bot.features.add(feature)`: its cog, the kinds of scheduled post it offers, its privacy
hooks, the « Oui » actions of its confirmations, its periodic jobs, its persistent components
and modals, and the redaction of its own messages. Unloading the extension removes them all
(the bot calls `forget_cog` when discord.py removes the cog); loading it again adds them once.

Services never see the registry: the bot passes them what they need (the post kinds to
`bot.services.schedules`, the privacy hooks to `bot.services.privacy`).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, cast

import discord
from discord.ext import commands

from bot.posts import PostKind
from bot.redactions import Handler as RedactionHandler
from bot.redactions import Scrubber
from bot.services.privacy import PrivacyHook
from bot.services.schedules import ScheduleKind
from bot.ui.confirm import Handler as ConfirmHandler
from bot.ui.persistent import PersistentModal

if TYPE_CHECKING:
    from bot.app import PdnBot

log = logging.getLogger(__name__)

CogT = TypeVar("CogT", bound=commands.Cog)


@dataclass(frozen=True)
class Job:
    """A periodic job: `func()` every `minutes` (and `seconds`), under the id `job_id`."""

    func: Callable[[], Awaitable[object]]
    job_id: str
    minutes: int = 0
    seconds: int = 0


@dataclass(frozen=True)
class Redaction:
    """How the feature edits its own messages after an erasure (see `bot.redactions`)."""

    kind: str
    handler: RedactionHandler
    scrub: Scrubber | None = None


@dataclass(frozen=True)
class Feature:
    name: str
    cog: commands.Cog | None = None
    post_kinds: tuple[PostKind, ...] = ()
    privacy_hooks: tuple[PrivacyHook, ...] = ()
    confirm_actions: Mapping[str, ConfirmHandler] = field(default_factory=dict)
    jobs: tuple[Job, ...] = ()
    dynamic_items: tuple[type[discord.ui.DynamicItem[Any]], ...] = ()
    modals: tuple[type[PersistentModal], ...] = ()
    redactions: tuple[Redaction, ...] = ()


class Features:
    """The registry on the bot (`bot.features`)."""

    def __init__(self, bot: PdnBot) -> None:
        self.bot = bot
        self._features: dict[str, Feature] = {}

    def __iter__(self) -> Iterator[Feature]:
        return iter(list(self._features.values()))

    def __contains__(self, name: object) -> bool:
        return name in self._features

    async def add(self, feature: Feature) -> None:
        """Plug a feature in (its cog last: `cog_load` may read what the feature offers)."""
        if feature.name in self._features:
            await self.remove(feature.name)
        self.plug(feature)
        if feature.cog is not None:
            await self.bot.add_cog(feature.cog, override=True)

    def plug(self, feature: Feature) -> None:
        """Plug in what a feature offers besides its cog (the bot's own core, at construction)."""
        if feature.name in self._features:
            raise ValueError(f"feature {feature.name!r} is already plugged in")
        self._features[feature.name] = feature
        for job in feature.jobs:
            self.bot.scheduler.every(job.func, minutes=job.minutes, seconds=job.seconds, job_id=job.job_id)
        if feature.dynamic_items:
            self.bot.add_dynamic_items(*feature.dynamic_items)
        self.bot.rescue.add_modals(*feature.modals)

    async def remove(self, name: str) -> None:
        """Unplug a feature: its cog, jobs, components, kinds, hooks and actions."""
        feature = self._features.get(name)
        if feature is None:
            return
        if feature.cog is not None and self.bot.get_cog(feature.cog.qualified_name) is feature.cog:
            await self.bot.remove_cog(feature.cog.qualified_name)  # calls forget_cog
        self._unplug(feature)

    def forget_cog(self, cog: commands.Cog) -> None:
        """The cog was removed (an extension unloaded): its feature goes with it."""
        for feature in list(self._features.values()):
            if feature.cog is cog:
                self._unplug(feature)

    def _unplug(self, feature: Feature) -> None:
        if self._features.get(feature.name) is not feature:
            return
        del self._features[feature.name]
        for job in feature.jobs:
            self.bot.scheduler.remove(job.job_id)
        if feature.dynamic_items:
            self.bot.remove_dynamic_items(*feature.dynamic_items)
        self.bot.rescue.remove_modals(*feature.modals)

    # -- what the features offer ----------------------------------------------------------

    def get(self, cls: type[CogT]) -> CogT:
        """The loaded cog of that class (typed), e.g. `bot.features.get(Events)`. A reloaded
        extension defines its classes anew: a caller holding the class imported before the
        reload still finds the cog (same module and name)."""
        for feature in self._features.values():
            cog = feature.cog
            if isinstance(cog, cls) or (
                cog is not None
                and type(cog).__module__ == cls.__module__
                and type(cog).__qualname__ == cls.__qualname__
            ):
                return cast(CogT, cog)
        raise LookupError(f"no feature with a {cls.__name__} cog is loaded")

    @property
    def post_kinds(self) -> dict[str, PostKind]:
        return {kind.name: kind for feature in self._features.values() for kind in feature.post_kinds}

    def schedule_kinds(self) -> dict[str, ScheduleKind]:
        """The kinds of scheduled post (those in /config planning), by name."""
        return {name: kind.schedule for name, kind in self.post_kinds.items() if kind.scheduled}

    def privacy_hooks(self) -> list[PrivacyHook]:
        return [hook for feature in self._features.values() for hook in feature.privacy_hooks]

    def confirm_action(self, action: str) -> ConfirmHandler | None:
        for feature in self._features.values():
            if action in feature.confirm_actions:
                return feature.confirm_actions[action]
        return None

    def redaction(self, kind: str) -> Redaction | None:
        for feature in self._features.values():
            for redaction in feature.redactions:
                if redaction.kind == kind:
                    return redaction
        return None
