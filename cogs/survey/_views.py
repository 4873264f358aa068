"""The survey form (selects, in an ephemeral message) and the persistent Répondre button."""

from __future__ import annotations

import re
from typing import Any

import discord

from bot import interactions
from bot.interactions import Interaction, reply, run_guarded
from bot.services import members as members_service
from bot.services import survey as survey_service
from bot.services.survey import WEEKLY_HOURS, AnswerInput
from bot.ui.custom_ids import custom_id, template
from bot.ui.views import RoutedView
from cogs.survey import _texts as T


def _options(values, selected=()) -> list[discord.SelectOption]:
    return [discord.SelectOption(label=v[:100], value=v[:100], default=v[:100] in selected) for v in values[:25]]


# The custom_id word of each question (kept from the first version: posted forms use them).
QUESTIONS = ("public", "structure", "heures", "reseaux")
LABELS = {
    "public": survey_service.Q_AUDIENCE,
    "structure": survey_service.Q_STRUCTURE,
    "heures": survey_service.Q_HOURS,
    "reseaux": survey_service.Q_NETWORKS,
}
Answers = dict[str, list[str]]
# custom_ids ``survey:<question>``, ``survey:envoyer[:<campaign>]``, ``survey:repondre:<campaign>``;
# forms and announcements posted as ``questionnaire:…`` keep working.
LEGACY = ("questionnaire",)
QUESTION_ID = re.compile(template("survey", r"(?P<question>public|structure|heures|reseaux)", legacy=LEGACY))
SUBMIT_ID = re.compile(template("survey", r"envoyer(?::(?P<campaign>\d+))?", legacy=LEGACY))
ANSWER_ID = template("survey", r"repondre:(?P<campaign_id>\d+)", legacy=LEGACY)


class SurveyForm(RoutedView):
    """Four questions as selects; "Envoyer" records the answer. Nothing is kept in memory:
    the choices are the selects' defaults in the message and the campaign is in the
    custom_id of "Envoyer", so a form shown before a restart still works after it."""

    def __init__(
        self,
        *,
        campaign_id: int,
        number: int,
        audiences: tuple[str, ...],
        structures: list[str],
        already: bool,
        answers: Answers | None = None,
    ) -> None:
        super().__init__()
        self.number, self.already = number, already
        self.answers = answers or {}
        choices = {
            "public": (T.PLACEHOLDER_AUDIENCE, audiences),
            "structure": (T.PLACEHOLDER_STRUCTURE, structures),
            "heures": (T.PLACEHOLDER_HOURS, WEEKLY_HOURS),
            "reseaux": (T.PLACEHOLDER_NETWORKS, survey_service.NETWORKS),
        }
        for question, (placeholder, values) in choices.items():
            options = _options(values, self.answers.get(question, ()))
            multiple = question == "reseaux"
            self.add_item(
                SurveySelect(
                    question,
                    discord.ui.Select(
                        custom_id=custom_id("survey", question),
                        placeholder=placeholder,
                        options=options,
                        min_values=1,
                        max_values=len(options) if multiple else 1,
                    ),
                )
            )
        self.add_item(SurveySubmit(campaign_id))

    def content(self) -> str:
        text = T.FORM_INTRO.format(number=self.number) + (T.FORM_ALREADY if self.already else "")
        chosen = [
            f"- {LABELS[question]}\u00a0: {', '.join(self.answers[question])}"
            for question in QUESTIONS
            if self.answers.get(question)
        ]
        return text + (T.FORM_CHOSEN.format(choices="\n".join(chosen)) if chosen else "")


def _components(message: discord.Message | None) -> list[discord.Component]:
    rows = message.components if message is not None else []
    return [child for row in rows for child in getattr(row, "children", ())]


def answers_in(message: discord.Message | None) -> Answers:
    """The choices shown in a form message (its selects' defaults)."""
    answers: Answers = {}
    for component in _components(message):
        match = QUESTION_ID.fullmatch(getattr(component, "custom_id", None) or "")
        chosen = [o.value for o in getattr(component, "options", ()) if o.default]
        if match is not None and chosen:
            answers[match["question"]] = chosen
    return answers


def _first(answers: Answers, question: str) -> str | None:
    chosen = answers.get(question)
    return chosen[0] if chosen else None


def campaign_in(message: discord.Message | None) -> int | None:
    """The campaign of a form message (in the custom_id of "Envoyer"); None for the forms
    shown before it was there: they answer the open campaign."""
    for component in _components(message):
        match = SUBMIT_ID.fullmatch(getattr(component, "custom_id", None) or "")
        if match is not None and match["campaign"]:
            return int(match["campaign"])
    return None


async def build_form(interaction: Interaction, campaign_id: int | None, answers: Answers | None = None) -> SurveyForm:
    """The form of the open campaign (or of `campaign_id`), read from the database."""
    bot = interaction.client
    now = bot.now()
    guild_id = interactions.guild_id(interaction)
    async with bot.db.transaction() as session:
        member = await members_service.require_profile(session, guild_id, interaction.user.id)
        campaign = await survey_service.open_campaign(session, guild_id, now, campaign_id)
        period = member.current_period
        already = await survey_service.has_answered(session, campaign.id, member.id)
        structures = await survey_service.structure_choices(session, guild_id)
    return SurveyForm(
        campaign_id=campaign.id,
        number=campaign.number,
        audiences=survey_service.audience_choices(period.strand if period else None),
        structures=structures,
        already=already,
        answers=answers,
    )


async def open_form(interaction: Interaction, campaign_id: int | None = None) -> None:
    """Show the form of the open campaign (or of `campaign_id`), ephemerally."""
    form = await build_form(interaction, campaign_id)
    await reply(interaction, form.content(), view=form)


class SurveySelect(
    discord.ui.DynamicItem[discord.ui.Select],
    template=QUESTION_ID,
):
    """One question of the form: choosing shows the choice in the form (nothing saved yet)."""

    def __init__(self, question: str, select: discord.ui.Select) -> None:
        self.question = question
        super().__init__(select)

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SurveySelect:
        assert isinstance(item, discord.ui.Select)
        return cls(match["question"], item)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._chosen)

    async def _chosen(self, interaction: Interaction) -> None:
        answers = answers_in(interaction.message)
        answers[self.question] = list(self.item.values)
        form = await build_form(interaction, campaign_in(interaction.message), answers)
        await interaction.response.edit_message(content=form.content(), view=form)


class SurveySubmit(discord.ui.DynamicItem[discord.ui.Button], template=SUBMIT_ID):
    """Envoyer: records the choices shown in the form."""

    def __init__(self, campaign_id: int | None) -> None:
        self.campaign_id = campaign_id
        super().__init__(
            discord.ui.Button(
                label=T.SUBMIT,
                style=discord.ButtonStyle.success,
                custom_id=custom_id("survey", "envoyer", *([campaign_id] if campaign_id else [])),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> SurveySubmit:
        return cls(int(match["campaign"]) if match["campaign"] else None)

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._submit)

    async def _submit(self, interaction: Interaction) -> None:
        guild_id = interactions.guild_id(interaction)
        bot = interaction.client
        answers = answers_in(interaction.message)
        given = AnswerInput(
            audience=_first(answers, "public"),
            structure_type=_first(answers, "structure"),
            weekly_hours=_first(answers, "heures"),
            networks=tuple(answers.get("reseaux", ())),
        )
        now = bot.now()
        async with bot.db.transaction(lock=True) as session:
            campaign = await survey_service.open_campaign(session, guild_id, now, self.campaign_id)
            _, replaced = await survey_service.answer(
                session,
                guild_id,
                interaction.user.id,
                campaign.id,
                given,
                now=now,
            )
        text = (T.THANKS_REPLACED if replaced else T.THANKS).format(number=campaign.number)
        await interaction.response.edit_message(content=text, view=None)


class AnswerButton(discord.ui.DynamicItem[discord.ui.Button], template=ANSWER_ID):
    """The announcement's Répondre button; still works after a restart."""

    def __init__(self, campaign_id: int) -> None:
        self.campaign_id = campaign_id
        super().__init__(
            discord.ui.Button(
                label=T.ANSWER_BUTTON,
                style=discord.ButtonStyle.primary,
                custom_id=custom_id("survey", "repondre", campaign_id),
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnswerButton:
        return cls(int(match["campaign_id"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await run_guarded(interaction, self._open)

    async def _open(self, interaction: Interaction) -> None:
        await open_form(interaction, self.campaign_id)
