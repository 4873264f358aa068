"""The survey form (selects, in an ephemeral message) and the persistent Répondre button."""

from __future__ import annotations

import re

import discord

from bot.interactions import GuardedView, reply, run_guarded
from bot.services import members as members_service
from bot.services import survey as survey_service
from bot.services.survey import WEEKLY_HOURS, AnswerInput
from cogs.survey import _texts as T


def _options(values, selected=()) -> list[discord.SelectOption]:  # noqa: ANN001
    return [
        discord.SelectOption(label=v[:100], value=v[:100], default=v in selected) for v in values[:25]
    ]


class SurveyForm(GuardedView):
    """Four questions as selects; "Envoyer" records the answer."""

    def __init__(
        self,
        *,
        campaign_id: int,
        number: int,
        user_id: int,
        audiences: tuple[str, ...],
        structures: list[str],
        already: bool,
    ) -> None:
        super().__init__(timeout=900)
        self.campaign_id, self.number, self.user_id, self.already = campaign_id, number, user_id, already
        self.answers: dict[str, object] = {}
        self.audience = discord.ui.Select(
            custom_id="questionnaire:public", placeholder=T.PLACEHOLDER_AUDIENCE, options=_options(audiences)
        )
        self.structure = discord.ui.Select(
            custom_id="questionnaire:structure", placeholder=T.PLACEHOLDER_STRUCTURE, options=_options(structures)
        )
        self.hours = discord.ui.Select(
            custom_id="questionnaire:heures", placeholder=T.PLACEHOLDER_HOURS, options=_options(WEEKLY_HOURS)
        )
        networks = survey_service.NETWORKS
        self.networks = discord.ui.Select(
            custom_id="questionnaire:reseaux",
            placeholder=T.PLACEHOLDER_NETWORKS,
            options=_options(networks),
            min_values=1,
            max_values=len(networks),
        )
        for select in (self.audience, self.structure, self.hours, self.networks):
            select.callback = self._chosen  # type: ignore[method-assign]
            self.add_item(select)
        submit = discord.ui.Button(
            label=T.SUBMIT, style=discord.ButtonStyle.success, custom_id="questionnaire:envoyer"
        )
        submit.callback = self._submit  # type: ignore[method-assign]
        self.add_item(submit)

    def content(self) -> str:
        text = T.FORM_INTRO.format(number=self.number) + (T.FORM_ALREADY if self.already else "")
        labels = {
            "audience": survey_service.Q_AUDIENCE,
            "structure": survey_service.Q_STRUCTURE,
            "hours": survey_service.Q_HOURS,
            "networks": survey_service.Q_NETWORKS,
        }
        chosen = [
            f"- {labels[k]} : {', '.join(v) if isinstance(v, list) else v}"
            for k, v in self.answers.items()
        ]
        return text + (T.FORM_CHOSEN.format(choices="\n".join(chosen)) if chosen else "")

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        if interaction.user.id != self.user_id:
            await reply(interaction, T.NOT_YOURS)
            return False
        return True

    async def _chosen(self, interaction: discord.Interaction) -> None:
        for key, select in (
            ("audience", self.audience), ("structure", self.structure),
            ("hours", self.hours), ("networks", self.networks),
        ):
            if select.values:
                self.answers[key] = list(select.values) if key == "networks" else select.values[0]
                for option in select.options:
                    option.default = option.value in select.values
        await interaction.response.edit_message(content=self.content(), view=self)

    async def _submit(self, interaction: discord.Interaction) -> None:
        bot = interaction.client
        given = AnswerInput(
            audience=self.answers.get("audience"),  # type: ignore[arg-type]
            structure_type=self.answers.get("structure"),  # type: ignore[arg-type]
            weekly_hours=self.answers.get("hours"),  # type: ignore[arg-type]
            networks=tuple(self.answers.get("networks", ())),  # type: ignore[arg-type]
        )
        async with bot.db.transaction(lock=True) as session:  # type: ignore[attr-defined]
            _, replaced = await survey_service.answer(
                session, interaction.guild_id, interaction.user.id, self.campaign_id, given,  # type: ignore[arg-type]
                now=bot.now(),  # type: ignore[attr-defined]
            )
        self.stop()
        text = (T.THANKS_REPLACED if replaced else T.THANKS).format(number=self.number)
        await interaction.response.edit_message(content=text, view=None)


async def open_form(interaction: discord.Interaction, campaign_id: int | None = None) -> None:
    """Show the form of the open campaign (or of `campaign_id`), ephemerally."""
    bot = interaction.client
    now = bot.now()  # type: ignore[attr-defined]
    guild_id = interaction.guild_id
    async with bot.db.transaction() as session:  # type: ignore[attr-defined]
        member = await members_service.require_profile(session, guild_id, interaction.user.id)  # type: ignore[arg-type]
        campaign = await survey_service.open_campaign(session, guild_id, now, campaign_id)  # type: ignore[arg-type]
        period = member.current_period
        already = await survey_service.has_answered(session, campaign.id, member.id)
        structures = await survey_service.structure_choices(session, guild_id)  # type: ignore[arg-type]
    form = SurveyForm(
        campaign_id=campaign.id,
        number=campaign.number,
        user_id=interaction.user.id,
        audiences=survey_service.audience_choices(period.strand if period else None),
        structures=structures,
        already=already,
    )
    await reply(interaction, form.content(), view=form)


class AnswerButton(
    discord.ui.DynamicItem[discord.ui.Button], template=r"questionnaire:repondre:(?P<campaign_id>\d+)"
):
    """The announcement's Répondre button; still works after a restart."""

    def __init__(self, campaign_id: int) -> None:
        self.campaign_id = campaign_id
        super().__init__(
            discord.ui.Button(
                label=T.ANSWER_BUTTON,
                style=discord.ButtonStyle.primary,
                custom_id=f"questionnaire:repondre:{campaign_id}",
            )
        )

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> AnswerButton:
        return cls(int(match["campaign_id"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await run_guarded(interaction, self._open)

    async def _open(self, interaction: discord.Interaction) -> None:
        await open_form(interaction, self.campaign_id)
