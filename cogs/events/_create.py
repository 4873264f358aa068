"""The event creation form: /evenement creer (without options), a template, or
/evenement dupliquer opens a form of five texts (title, description, start, end, place or
link); then an ephemeral draft message with selects (type, format, territory, audience), a
« Places et rappels… » form and « Créer ».

Decision: the draft is a database row (`event_drafts`), its id in every custom_id, so the
selects, « Créer » and « Corriger » work after a restart and nothing typed is lost: a refused
value is answered with « Corriger », which reopens the form with everything typed."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot import interactions
from bot.dates import format_when
from bot.db.models.events import ALL, AUDIENCES, FORMATS, IN_PERSON
from bot.errors import UserError, ValidationError
from bot.interactions import Interaction, reply, run_guarded, user_message
from bot.permissions import coordination_only, coordination_predicate
from bot.services import guilds as guilds_service
from bot.services.events import drafts as event_drafts
from bot.services.events import lifecycle as events_service
from bot.services.events import rules as event_rules
from bot.services.events.rules import AUDIENCE_LABELS, FORMAT_LABELS, TYPE_LABELS
from bot.text import clean_text
from bot.ui.custom_ids import custom_id, template
from bot.ui.persistent import PersistentModal
from bot.ui.views import RoutedView
from cogs.events import _create_texts as C
from cogs.events import _texts as T
from cogs.events._actions import event_choices
from cogs.events._form_values import (
    DEFAULT_MINUTES,
    SHARED,
    TEMPLATES,
    build_draft,
    choices_of,
    duration_text,
    split_where,
)
from cogs.events._group import CommandsMixin, evenement
from cogs.events._mirror import Mirror
from cogs.events.announcer import announce_new, render

if TYPE_CHECKING:
    from bot.app import PdnBot


class EventFormModal(PersistentModal):
    """The five texts. custom_id `events:form:<draft id or 0>:<template or copied event>`."""

    template = template("events", r"form:(?P<draft>\d+):(?P<source>[a-z]+|\d+|-)")

    def __init__(self, draft_id: int = 0, source: str = "-", defaults: dict[str, Any] | None = None) -> None:
        values = defaults or {}
        super().__init__(
            title=C.FORM_TITLE_COPY if source.isdigit() else C.FORM_TITLE,
            custom_id=custom_id("events", "form", draft_id, source),
        )
        self.draft_id, self.source = draft_id, source

        def text(key: str, label: str, **kwargs: Any) -> discord.ui.TextInput:
            field: discord.ui.TextInput[EventFormModal] = discord.ui.TextInput(
                label=label, custom_id=key, default=values.get(key) or None, **kwargs
            )
            self.add_item(field)
            return field

        self.title_input = text("title", C.LABEL_TITLE, max_length=event_rules.MAX_TITLE)
        self.description = text(
            "description",
            C.LABEL_DESCRIPTION,
            style=discord.TextStyle.paragraph,
            max_length=event_rules.MAX_DESCRIPTION,
            required=False,
        )
        self.start = text("start", C.LABEL_START, placeholder=C.PLACEHOLDER_START, max_length=40)
        self.end = text(
            "end",
            C.LABEL_END.format(duration=duration_text(values.get("minutes") or DEFAULT_MINUTES))[:45],
            placeholder=C.PLACEHOLDER_END,
            max_length=40,
            required=False,
        )
        self.where = text("where", C.LABEL_WHERE, placeholder=C.PLACEHOLDER_WHERE, max_length=700, required=False)

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> EventFormModal:
        return cls(int(match["draft"]), match["source"])

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        typed = {
            key: field.value
            for key, field in (
                ("title", self.title_input),
                ("description", self.description),
                ("start", self.start),
                ("end", self.end),
                ("where", self.where),
            )
        }
        await form_submitted(interaction, self.draft_id, self.source, typed)


class OptionsModal(PersistentModal):
    """Capacity, deadline, reminders, waitlist of a draft."""

    template = template("events", r"options:(?P<draft>\d+)")

    def __init__(self, draft_id: int, defaults: dict[str, Any] | None = None) -> None:
        values = defaults or {}
        super().__init__(title=C.OPTIONS_TITLE, custom_id=custom_id("events", "options", draft_id))
        self.draft_id = draft_id
        self.fields: dict[str, discord.ui.TextInput] = {}
        for key, label in (
            ("capacity", C.LABEL_CAPACITY),
            ("deadline", C.LABEL_DEADLINE),
            ("reminders", C.LABEL_REMINDERS),
            ("waitlist", C.LABEL_WAITLIST),
        ):
            default = values.get(key) or {"reminders": event_rules.DEFAULT_REMINDERS, "waitlist": "oui"}.get(key)
            self.fields[key] = discord.ui.TextInput(
                label=label, custom_id=key, default=default, max_length=40, required=False
            )
            self.add_item(self.fields[key])

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> OptionsModal:
        return cls(int(match["draft"]))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await options_submitted(interaction, self.draft_id, {key: field.value for key, field in self.fields.items()})


@coordination_only()
class DraftSelect(
    discord.ui.DynamicItem[discord.ui.Select],
    template=template("events", r"draft:(?P<field>type|format|territory|audience):(?P<draft>\d+)"),
):
    """One choice of a draft (type, format, territory, audience); works after a restart."""

    def __init__(self, field: str, draft_id: int, item: discord.ui.Select | None = None) -> None:
        self.field, self.draft_id = field, draft_id
        super().__init__(
            item
            or discord.ui.Select(
                custom_id=custom_id("events", "draft", field, draft_id), options=[discord.SelectOption(label="-")]
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DraftSelect:
        assert isinstance(item, discord.ui.Select)  # the template matches the draft's selects only
        return cls(match["field"], int(match["draft"]), item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._handle)

    async def _handle(self, interaction: Interaction) -> None:
        value = self.item.values[0] if self.item.values else ""
        await draft_chosen(interaction, self.draft_id, self.field, value)


@coordination_only()
class DraftButton(
    discord.ui.DynamicItem[discord.ui.Button],
    template=template("events", r"draft:(?P<action>create|options|fix):(?P<draft>\d+)"),
):
    """« Créer », « Places et rappels… », « Corriger » of a draft; works after a restart."""

    LABELS = {
        "create": (C.BUTTON_CREATE, discord.ButtonStyle.success),
        "options": (C.BUTTON_OPTIONS, discord.ButtonStyle.secondary),
        "fix": (C.BUTTON_FIX, discord.ButtonStyle.primary),
    }

    def __init__(self, action: str, draft_id: int) -> None:
        self.action, self.draft_id = action, draft_id
        label, style = self.LABELS[action]
        super().__init__(
            discord.ui.Button(label=label, style=style, custom_id=custom_id("events", "draft", action, draft_id))
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> DraftButton:
        return cls(match["action"], int(match["draft"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._handle)

    async def _handle(self, interaction: Interaction) -> None:
        if self.action == "create":
            await draft_create(interaction, self.draft_id)
            return
        values = await load_draft(interaction, self.draft_id)
        if self.action == "options":
            await interaction.response.send_modal(OptionsModal(self.draft_id, values))
        else:
            await interaction.response.send_modal(EventFormModal(self.draft_id, values.get("source") or "-", values))


def _fix_view(draft_id: int) -> discord.ui.View:
    view = RoutedView()
    view.add_item(DraftButton("fix", draft_id))
    return view


def _select(
    field: str, draft_id: int, placeholder: str, options: list[tuple[str, str]], chosen: str | None
) -> DraftSelect:
    item = DraftSelect(field, draft_id)
    item.item.placeholder = placeholder
    item.item.options = [
        discord.SelectOption(label=label[:100], value=value, default=value == chosen) for value, label in options[:25]
    ]
    return item


def draft_message(draft_id: int, values: dict[str, Any], territories: dict[str, str]) -> dict[str, Any]:
    """The draft message: a summary, four selects, the buttons."""
    try:
        draft = build_draft(values, need_choices=False)
        when = format_when(draft.starts_at)
    except UserError:
        draft, when = None, values.get("start") or ""
    where = " · ".join(p for p in split_where(values.get("where") or "") if p) or C.DRAFT_NOWHERE
    content = C.DRAFT_INTRO.format(title=values.get("title") or "", when=when, where=where)
    hours = (values.get("reminders") or event_rules.DEFAULT_REMINDERS).strip()
    content += C.DRAFT_OPTIONS.format(
        capacity=(values.get("capacity") or "").strip() or C.DRAFT_NO_LIMIT,
        reminders=C.DRAFT_REMINDERS.format(hours=hours) if hours not in ("", "aucun") else C.DRAFT_NO_REMINDER,
        deadline=C.DRAFT_DEADLINE.format(when=values["deadline"]) if (values.get("deadline") or "").strip() else "",
    )
    view = RoutedView()
    view.add_item(_select("type", draft_id, C.PICK_TYPE, list(TYPE_LABELS.items()), values.get("type")))
    view.add_item(
        _select("format", draft_id, C.PICK_FORMAT, [(f, FORMAT_LABELS[f]) for f in FORMATS], values.get("format"))
    )
    view.add_item(
        _select(
            "territory",
            draft_id,
            C.PICK_TERRITORY,
            [(SHARED, C.SHARED_TERRITORY), *((code, f"{code} {name}") for code, name in sorted(territories.items()))],
            values.get("territory") or SHARED,
        )
    )
    view.add_item(
        _select(
            "audience",
            draft_id,
            C.PICK_AUDIENCE,
            [(a, AUDIENCE_LABELS[a]) for a in AUDIENCES],
            values.get("audience") or ALL,
        )
    )
    for action in ("options", "fix", "create"):
        view.add_item(DraftButton(action, draft_id))
    return {"content": content, "view": view}


class CreateCommands(CommandsMixin):
    """/evenement creer's form and dupliquer; mixed into `Events`."""

    bot: PdnBot

    async def open_form(self, interaction: Interaction, template: str | None) -> None:
        defaults = TEMPLATES.get(template or "", {})
        await interaction.response.send_modal(EventFormModal(0, template or "-", defaults))

    @evenement.command(name="dupliquer")
    @app_commands.describe(evenement="L'événement à copier (tapez quelques lettres du titre)")
    @coordination_only()
    async def evenement_dupliquer(self, interaction: Interaction, evenement: str) -> None:
        """Créer un événement à partir d'un autre : tout est repris, sauf la date (coordination)."""
        event_id = events_service.parse_event_id(evenement)
        async with self.bot.db.transaction() as session:
            event = await events_service.get_event(session, interactions.guild_id(interaction), event_id)
        defaults = {
            "title": event.title,
            "description": event.description or "",
            "where": " · ".join(p for p in (event.place, event.link) if p),
            "minutes": int((event.ends_at - event.starts_at).total_seconds() // 60),
        }
        await interaction.response.send_modal(EventFormModal(0, str(event.id), defaults))

    @evenement_dupliquer.autocomplete("evenement")
    async def _copy_autocomplete(self, interaction: Interaction, current: str):
        if not await self.bot.is_coordinator(interaction):
            return []
        started = await event_choices(self.bot, interaction, current, events_service.STARTED)
        upcoming = await event_choices(self.bot, interaction, current, events_service.UPCOMING)
        return (upcoming + started)[:25]


async def load_draft(interaction: Interaction, draft_id: int) -> dict[str, Any]:
    bot = interaction.client
    async with bot.db.transaction() as session:
        return await event_drafts.get_draft(session, interactions.guild_id(interaction), draft_id, interaction.user.id)


async def _send_draft(interaction: Interaction, draft_id: int, values: dict[str, Any], *, edit: bool) -> None:
    bot = interaction.client
    async with bot.db.transaction() as session:
        names = await guilds_service.territory_names(session, interactions.guild_id(interaction))
    message = draft_message(draft_id, values, names)
    if edit:
        await interaction.response.edit_message(**message)
    else:
        await reply(interaction, **message)


async def form_submitted(interaction: Interaction, draft_id: int, source: str, typed: dict[str, str]) -> None:
    """Keep what was typed (a draft), then check it: the selects, or « Corriger »."""
    bot = interaction.client
    await coordination_predicate(interaction)
    guild_id, author = interactions.guild_id(interaction), interaction.user.id
    now = bot.now()
    async with bot.db.transaction() as session:
        if draft_id:
            values = await event_drafts.update_draft(session, guild_id, draft_id, author, typed)
        else:
            choices = await choices_of(bot, guild_id, source) if source != "-" else {}
            values = {**choices, **typed, "source": source}
            draft_id = await event_drafts.create_draft(session, guild_id, author, values, now=now)
    try:
        draft = build_draft(values, need_choices=False)
        clean_text(draft.title, "Le titre", event_rules.MAX_TITLE, required=True)
        event_rules.check_dates(draft.starts_at, draft.ends_at, now=now)
    except UserError as error:
        await reply(interaction, C.FIX_INTRO.format(error=user_message(error)), view=_fix_view(draft_id))
        return
    await _send_draft(interaction, draft_id, values, edit=False)


async def draft_chosen(interaction: Interaction, draft_id: int, field: str, value: str) -> None:
    bot = interaction.client
    async with bot.db.transaction() as session:
        values = await event_drafts.update_draft(
            session, interactions.guild_id(interaction), draft_id, interaction.user.id, {field: value}
        )
    await _send_draft(interaction, draft_id, values, edit=True)


async def options_submitted(interaction: Interaction, draft_id: int, typed: dict[str, str]) -> None:
    bot = interaction.client
    await coordination_predicate(interaction)
    async with bot.db.transaction() as session:
        values = await event_drafts.update_draft(
            session, interactions.guild_id(interaction), draft_id, interaction.user.id, typed
        )
    try:
        draft = build_draft({**values, "type": "other", "format": IN_PERSON}, need_choices=False)
        event_rules.parse_reminders(draft.reminders)
        if (typed.get("waitlist") or "oui").strip().casefold() not in ("oui", "non", "o", "n", "yes", "no"):
            raise ValidationError(C.ERR_WAITLIST)
    except UserError as error:
        view = RoutedView()
        view.add_item(DraftButton("options", draft_id))
        await reply(interaction, user_message(error), view=view)
        return
    summary = C.DRAFT_OPTIONS.format(
        capacity=(values.get("capacity") or "").strip() or C.DRAFT_NO_LIMIT,
        reminders=C.DRAFT_REMINDERS.format(hours=values.get("reminders"))
        if (values.get("reminders") or "").strip() not in ("", "aucun")
        else C.DRAFT_NO_REMINDER,
        deadline=C.DRAFT_DEADLINE.format(when=values["deadline"]) if (values.get("deadline") or "").strip() else "",
    ).strip()
    await reply(interaction, C.OPTIONS_SAVED.format(summary=summary))


async def draft_create(interaction: Interaction, draft_id: int) -> None:
    """« Créer »: the event from the draft (one validation: the service's), announced."""
    bot = interaction.client
    guild_id, author = interactions.guild_id(interaction), interaction.user.id
    try:
        async with bot.db.transaction() as session:
            values = await event_drafts.get_draft(session, guild_id, draft_id, author)
            values = {**values, "territory": None if values.get("territory") == SHARED else values.get("territory")}
            event = await events_service.create_event(
                session, guild_id, build_draft(values, need_choices=True), now=bot.now(), created_by=author
            )
            await event_drafts.delete_draft(session, guild_id, draft_id, author)
    except ValidationError as error:
        await reply(interaction, C.FIX_INTRO.format(error=user_message(error)), view=_fix_view(draft_id))
        return
    await interaction.response.defer()
    text = T.CREATED.format(title=event.title) + await announce_new(bot, event)
    embed = await render(bot, event)
    await interaction.edit_original_response(content=text, embed=embed, view=None)
    await Mirror(bot).sync(event.id, interaction)
