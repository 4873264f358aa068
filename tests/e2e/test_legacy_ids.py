"""Messages posted before the custom_id scheme (bot/ui/custom_ids.py) keep working: their
components carry the old prefixes (`questionnaire:`, `donnees:`, `report-text:`), which
Discord cannot change, and a click on them still reaches the feature."""

from __future__ import annotations

import discord
from sqlalchemy import select

from bot.db import Database
from bot.db.models import Member
from bot.db.models.activity import SurveyAnswer, SurveyCampaign
from tests.e2e._state import forged_button
from tests.e2e.test_report import seeded  # noqa: F401  (fixture)


async def _posted(w, view: discord.ui.View, content: str = "·"):
    sent = await w.env.bot.get_channel(w.general.id).send(content, view=view)
    return next(m for m in w.general.history() if m.id == sent.id)


async def test_an_old_survey_announcement_and_form_still_answer(profiles, db: Database) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    async with db.transaction() as session:
        campaign_id = (await session.scalars(select(SurveyCampaign.id))).one()

    # The announcement's « Répondre » as the first version posted it.
    announcement = await forged_button(w, w.general, f"questionnaire:repondre:{campaign_id}")
    form = await w.alice.click(announcement, custom_id=f"questionnaire:repondre:{campaign_id}")
    assert form.response.content.startswith("**Questionnaire n°1**")

    # A form shown by the first version: its selects and « Envoyer » carry the old prefix.
    legacy = discord.ui.View(timeout=None)
    for question, value in (("public", "15–17 ans"), ("structure", "Centre social"), ("reseaux", "Facebook")):
        legacy.add_item(
            discord.ui.Select(
                custom_id=f"questionnaire:{question}",
                options=[discord.SelectOption(label=value, default=True)],
            )
        )
    legacy.add_item(
        discord.ui.Select(
            custom_id="questionnaire:heures", options=[discord.SelectOption(label=h) for h in ("2 h", "Plus de 4 h")]
        )
    )
    legacy.add_item(discord.ui.Button(label="Envoyer mes réponses", custom_id=f"questionnaire:envoyer:{campaign_id}"))
    old_form = await _posted(w, legacy, "**Questionnaire n°1**")
    chosen = await w.alice.select(old_form, ["2 h"], custom_id="questionnaire:heures")
    assert "2 h" in chosen.response.message.content and "Facebook" in chosen.response.message.content
    sent = await w.alice.click(chosen.response.message, label="Envoyer mes réponses")
    assert sent.response.content == "Merci\u00a0! Votre réponse au questionnaire n°1 est enregistrée."
    async with db.transaction() as session:
        [answer] = (await session.scalars(select(SurveyAnswer))).all()
    assert (answer.audience, answer.weekly_hours) == ("15–17 ans", "2 h")


async def test_an_old_erasure_confirmation_still_erases(profiles, db: Database) -> None:
    w = profiles
    message = await forged_button(w, w.general, f"donnees:supprimer:{w.alice.id}")
    result = await w.alice.click(message, custom_id=f"donnees:supprimer:{w.alice.id}")
    assert result.response.content == "C'est fait\u00a0: vos données personnelles ont été supprimées."
    async with db.transaction() as session:
        erased = (await session.scalars(select(Member.display_name).where(Member.anonymised_at.is_not(None)))).all()
    assert list(erased) == ["Membre anonymisé"]


async def test_an_old_report_text_form_is_still_saved(seeded) -> None:
    w = seeded
    shown = await w.coordinator.slash(w.general, "bilan rapport-texte", annee=2021, section="highlights")
    assert shown.modal["custom_id"] == "report:text:2021:highlights"
    # The same form as opened before the scheme (custom_id `report-text:<year>:<section>`):
    # SimCord submits the spec it was shown (`shown.modal` is a copy of it), so the test edits
    # that spec; without the legacy prefix in the template, the submission reaches no form.
    shown._interaction.modal["custom_id"] = "report-text:2021:highlights"
    saved = await w.coordinator.submit_modal(shown, {"body": "Une première version."})
    assert saved.response.content.startswith(
        "Texte «\u00a0Faits marquants\u00a0» du rapport 2021 enregistré (21 caractères)."
    )
    again = await w.coordinator.slash(w.general, "bilan rapport-texte", annee=2021, section="highlights")
    assert again.modal["components"][0]["components"][0].get("value") == "Une première version."
