"""What a person clicks or submits after a restart, when discord.py no longer knows it.

Buttons and selects are `DynamicItem`s (their state is in the custom_id). Forms (modals) have
no such mechanism in discord.py: a modal submitted to a new process is silently discarded
("Échec de l'interaction" for the person, and what they typed is gone). Here a form class
declares a `template` for its custom_id and how to rebuild itself from it; the bot routes an
unknown form submission to it, and the rebuilt form reads the typed values from the
submission as usual. Anything still unknown (a form or a button from an older version) gets a
French answer instead of silence, with the typed text given back."""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING, Any, ClassVar, cast

import discord

from bot.errors import UserError
from bot.interactions import GuardedModal, Interaction, reply, report_error
from bot.ui.drafts import refuse_with_correction

if TYPE_CHECKING:
    from typing import Self

log = logging.getLogger(__name__)

MSG_STALE_COMPONENT = (
    "Ce message n'est plus actif (il date d'avant une mise à jour du bot)\u00a0: relancez la "
    "commande pour en obtenir un nouveau."
)
MSG_STALE_FORM = (
    "Ce formulaire n'est plus actif (il date d'avant une mise à jour du bot)\u00a0: rien n'a "
    "été enregistré. Relancez la commande\u00a0; voici ce que vous aviez saisi, pour le "
    "recopier\u00a0:"
)
FORM_TYPED = "\nVoici ce que vous aviez saisi\u00a0:"
FORM_VALUE_LINE = "> {value}"


class PersistentModal(GuardedModal):
    """A form that is still answered after a restart: its custom_id matches `template`, and
    `from_custom_id` rebuilds it (with the same input custom_ids) from that match."""

    template: ClassVar[str]

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Any], match: re.Match[str]) -> Self:
        raise NotImplementedError

    async def on_error(self, interaction: discord.Interaction[Any], error: Exception, /) -> None:  # type: ignore[override]  # as GuardedModal's
        """A refused value: the answer offers to reopen the form as typed (bot/ui/drafts)."""
        await refuse_with_correction(self, interaction, error)


def typed_values(components: list[dict[str, Any]]) -> list[str]:
    """The text typed or chosen in a submitted form, in order (from the raw payload)."""
    found: list[str] = []
    for component in components:
        if component.get("type") == 1:
            found += typed_values(component.get("components") or [])
        elif component.get("type") == 18:
            found += typed_values([component["component"]] if component.get("component") else [])
        elif component.get("value"):
            found.append(str(component["value"]))
        elif component.get("values"):
            found.append(", ".join(str(v) for v in component["values"]))
    return found


async def give_back(interaction: Interaction, intro: str, data: dict[str, Any]) -> None:
    """Answer a form that cannot be recorded with what the person typed, to copy again."""
    values = typed_values(data.get("components") or [])
    lines = [intro, *(FORM_VALUE_LINE.format(value=v.replace("\n", "\n> ")) for v in values)]
    await reply(interaction, "\n".join(lines)[:2000])


class InteractionRescue:
    """Answers the interactions discord.py would drop. Called synchronously when discord.py
    dispatches the `interaction` event (after it looked in its own stores), so that the
    check "does discord.py know this custom_id?" sees the stores as discord.py did."""

    def __init__(self, client: discord.Client) -> None:
        self.client = client
        self.modals: list[tuple[re.Pattern[str], type[PersistentModal]]] = []
        self._tasks: set[Any] = set()

    def add_modals(self, *classes: type[PersistentModal]) -> None:
        for cls in classes:
            self.modals.append((re.compile(cls.template), cls))

    def remove_modals(self, *classes: type[PersistentModal]) -> None:
        self.modals = [(pattern, cls) for pattern, cls in self.modals if cls not in classes]

    def _store(self) -> Any:
        return self.client._connection._view_store  # discord.py's ViewStore (no public API)

    def known(self, interaction: Interaction) -> bool:
        data = cast(dict[str, Any], interaction.data or {})
        custom_id = data.get("custom_id", "")
        store = self._store()
        if interaction.type is discord.InteractionType.modal_submit:
            return custom_id in store._modals
        if any(pattern.fullmatch(custom_id) for pattern in store._dynamic_items):
            return True
        key = (data.get("component_type"), custom_id)
        message_id = interaction.message.id if interaction.message is not None else None
        return key in store._views.get(message_id, {}) or key in store._views.get(None, {})

    def check(self, interaction: Interaction) -> None:
        if interaction.type not in (discord.InteractionType.component, discord.InteractionType.modal_submit):
            return
        try:
            if self.known(interaction):
                return
        except AttributeError:  # discord.py changed its internals: never block anything
            log.warning("Cannot inspect discord.py's view store", exc_info=True)
            return
        task = self.client.loop.create_task(self.answer(interaction))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def answer(self, interaction: Interaction) -> None:
        data = cast(dict[str, Any], interaction.data or {})
        custom_id = data.get("custom_id", "")
        try:
            if interaction.type is discord.InteractionType.modal_submit:
                for pattern, cls in self.modals:
                    match = pattern.fullmatch(custom_id)
                    if match is not None:
                        log.info("Form %s submitted after a restart: rebuilt", custom_id)
                        try:
                            modal = await cls.from_custom_id(interaction, match)
                        except UserError as error:  # what it was about is gone
                            await give_back(interaction, error.message + FORM_TYPED, data)
                            return
                        await modal._dispatch_submit(  # discord.py's own submit path
                            interaction, data.get("components") or [], cast(Any, data.get("resolved") or {})
                        )
                        return
                log.info("Unknown form %s: typed text given back", custom_id)
                await give_back(interaction, MSG_STALE_FORM, data)
            else:
                log.info("Unknown component %s: asked to run the command again", custom_id)
                await reply(interaction, MSG_STALE_COMPONENT)
        except Exception as error:
            await report_error(interaction, error)
