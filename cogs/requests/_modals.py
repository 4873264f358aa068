"""Modals: the request form, planning a session, closing with an outcome."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import interactions
from bot.db.models.requests import AccompanimentRequest
from bot.interactions import Interaction
from bot.services.requests import queries as request_queries
from bot.services.requests.labels import KIND_LABELS, MODE_LABELS
from bot.services.requests.parsing import MAX_AVAILABILITY, MAX_DETAILS, MAX_OUTCOME, MAX_SUBJECT
from bot.ui import custom_ids
from bot.ui.persistent import PersistentModal
from cogs.requests import _actions as actions
from cogs.requests import _texts as T
from cogs.requests._render import wants_people


async def _request(interaction: Interaction, match: re.Match[str]) -> AccompanimentRequest:
    async with interaction.client.db.transaction() as session:
        return await request_queries.by_id(session, interactions.guild_id(interaction), int(match["id"]))


class RequestModal(PersistentModal):
    """/accompagnement demander: kind and mode selects, subject, need, availability (5)."""

    template = custom_ids.template("requests", "new")

    def __init__(self) -> None:
        super().__init__(title=T.MODAL_TITLE, custom_id=custom_ids.custom_id("requests", "new"))
        self.kind: discord.ui.Select[RequestModal] = discord.ui.Select(
            custom_id="kind",
            options=[discord.SelectOption(label=label, value=value) for value, label in KIND_LABELS.items()],
            required=True,
        )
        self.mode: discord.ui.Select[RequestModal] = discord.ui.Select(
            custom_id="mode",
            options=[discord.SelectOption(label=label, value=value) for value, label in MODE_LABELS.items()],
            required=False,
        )
        self.subject: discord.ui.TextInput[RequestModal] = discord.ui.TextInput(
            custom_id="subject", placeholder=T.PLACEHOLDER_SUBJECT, max_length=MAX_SUBJECT
        )
        self.details: discord.ui.TextInput[RequestModal] = discord.ui.TextInput(
            custom_id="details",
            style=discord.TextStyle.paragraph,
            placeholder=T.PLACEHOLDER_DETAILS,
            max_length=MAX_DETAILS,
        )
        self.availability: discord.ui.TextInput[RequestModal] = discord.ui.TextInput(
            custom_id="availability",
            placeholder=T.PLACEHOLDER_AVAILABILITY,
            max_length=MAX_AVAILABILITY,
            required=False,
        )
        self.add_item(discord.ui.Label(text=T.LABEL_KIND, component=self.kind))
        self.add_item(discord.ui.Label(text=T.LABEL_MODE, component=self.mode))
        self.add_item(discord.ui.Label(text=T.LABEL_SUBJECT, component=self.subject))
        self.add_item(discord.ui.Label(text=T.LABEL_DETAILS, component=self.details))
        self.add_item(discord.ui.Label(text=T.LABEL_AVAILABILITY, component=self.availability))

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> RequestModal:
        return cls()

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await actions.submit_request(
            interaction,
            kind=self.kind.values[0] if self.kind.values else "",
            mode=self.mode.values[0] if self.mode.values else None,
            subject=self.subject.value,
            details=self.details.value,
            availability=self.availability.value,
        )


class ScheduleModal(PersistentModal):
    template = custom_ids.template("requests", r"schedule-form:(?P<id>\d+)")

    def __init__(self, request: AccompanimentRequest) -> None:
        super().__init__(
            title=T.SCHEDULE_TITLE.format(number=request.number)[:45],
            custom_id=custom_ids.custom_id("requests", "schedule-form", request.id),
        )
        self.request_id = request.id
        self.when: discord.ui.TextInput[ScheduleModal] = discord.ui.TextInput(
            label=T.LABEL_WHEN, custom_id="when", placeholder=T.PLACEHOLDER_WHEN, max_length=40
        )
        self.add_item(self.when)

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> ScheduleModal:
        return cls(await _request(interaction, match))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await actions.submit_schedule(interaction, self.request_id, self.when.value)


class CloseModal(PersistentModal):
    template = custom_ids.template("requests", r"close-form:(?P<id>\d+)")

    def __init__(self, request: AccompanimentRequest) -> None:
        super().__init__(
            title=T.CLOSE_TITLE.format(number=request.number)[:45],
            custom_id=custom_ids.custom_id("requests", "close-form", request.id),
        )
        self.request_id = request.id
        self.outcome: discord.ui.TextInput[CloseModal] = discord.ui.TextInput(
            label=T.LABEL_OUTCOME,
            custom_id="outcome",
            style=discord.TextStyle.paragraph,
            placeholder=T.PLACEHOLDER_OUTCOME,
            max_length=MAX_OUTCOME,
        )
        self.duration: discord.ui.TextInput[CloseModal] = discord.ui.TextInput(
            label=T.LABEL_DURATION,
            custom_id="duration",
            placeholder=T.PLACEHOLDER_DURATION,
            required=False,
            max_length=20,
        )
        self.day: discord.ui.TextInput[CloseModal] = discord.ui.TextInput(
            label=T.LABEL_CLOSE_DAY,
            custom_id="day",
            placeholder=T.PLACEHOLDER_CLOSE_DAY,
            required=False,
            max_length=40,
        )
        self.add_item(self.outcome)
        self.add_item(self.duration)
        self.add_item(self.day)
        self.people: discord.ui.TextInput[CloseModal] | None = None
        if wants_people(request):
            self.people = discord.ui.TextInput(
                label=T.LABEL_PEOPLE,
                custom_id="people",
                placeholder=T.PLACEHOLDER_PEOPLE,
                required=False,
                max_length=5,
            )
            self.add_item(self.people)

    @classmethod
    async def from_custom_id(cls, interaction: Interaction, match: re.Match[str]) -> CloseModal:
        return cls(await _request(interaction, match))

    async def on_submit(self, interaction: discord.Interaction[Any]) -> None:
        await actions.submit_close(
            interaction,
            self.request_id,
            outcome=self.outcome.value,
            duration=self.duration.value,
            people=self.people.value if self.people else None,
            day=self.day.value,
        )
