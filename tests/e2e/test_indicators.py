"""The evaluation indicators through SimCord (the real bot): the monthly DM offer → its
button → the two-step form → the recap and the report (read back with python-docx); the
reminder and the opt-out; /activite mois; /permanences; the structure flags."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.db import Database
from bot.db.models import Member
from bot.db.models.indicators import MonthlyCount
from tests.services.test_report import docx_text

NBSP = "\u00a0"
CONTACTS = {
    "reached": "40",
    "private": "12",
    "project": "3",
    "ages": "2 / 5 / 4 / 1",
    "networks": "Instagram 7, Snapchat 5",
}
THEMES = {"pair0": "3 / 1", "pair1": "2 / 0", "pair2": "1 / 0", "pair3": "", "pair4": "0 / 4"}


async def _counts(db: Database) -> dict[str, int]:
    async with db.transaction() as session:
        rows = (await session.scalars(select(MonthlyCount).where(MonthlyCount.value > 0))).all()
    return {r.indicator: r.value for r in rows}


def _field(embed, name: str) -> str:
    return next(f.value for f in embed.fields if f.name == name)


@pytest.mark.simcord(settle_timeout=30)  # the year-end files are drawn in a child process (bot.ui.recap_files)
async def test_dm_offer_form_recap_and_report(profiles, simcord_bot, clock, db: Database) -> None:
    w = profiles
    await w.alice.slash(w.general, "profil modifier", quartier_prioritaire=True)
    shown = await w.alice.slash(w.general, "profil voir")
    assert _field(shown.response.embeds[0], "Territoire d'intervention") == "quartier prioritaire (QPV)"
    await w.alice.slash(w.general, "permanences ajouter", jour=2, debut="18h", fin="20h30", reseau="Instagram")

    cog = simcord_bot.get_cog("Indicators")
    clock.set(datetime(2027, 7, 1, 5, 0, tzinfo=UTC))  # 7:00 in Paris: too early
    assert await cog.offer_job() == 0
    clock.set(datetime(2027, 7, 1, 8, 0, tzinfo=UTC))  # 10:00 in Paris
    assert await cog.offer_job() == 2  # Alice and Bob (the coordinator has no profile)
    assert await cog.offer_job() == 0  # once
    dm = w.alice.user.dm_channel.last_message
    assert dm.content == (
        f"Bonjour{NBSP}! Votre mois de **06/2027** en quelques chiffres{NBSP}? Moins d'une minute, "
        "des nombres seulement (jamais le nom d'un jeune). Vous pouvez le remplir jusqu'au 15/07/2027."
    )

    form = await w.alice.user.click(dm, label="Remplir mon mois")
    assert form.modal is not None
    refused = await w.alice.user.submit_modal(form, {**CONTACTS, "ages": "9 / 9 / 9 / 9"})
    assert refused.response.content.startswith(
        "La répartition par âge (36) dépasse le nombre de contacts en privé (12)."
        f"\nVoici ce que vous aviez saisi, pour le recopier{NBSP}:\n> 40\n> 12\n> 3\n> 9 / 9 / 9 / 9"
    )
    assert await _counts(db) == {}
    form = await w.alice.user.click(dm, label="Remplir mon mois")
    step1 = await w.alice.user.submit_modal(form, CONTACTS)
    assert step1.response.content == (
        f"C'est noté pour **06/2027**{NBSP}: 40 touchés, 12 en privé, 3 accompagnés sur un projet. "
        f"Dernière étape{NBSP}: les thèmes des demandes (facultatif)."
    )
    step2 = await w.alice.user.click(step1.response, label=f"Étape 2/2{NBSP}: thèmes des demandes")
    assert step2.modal is not None
    done = await w.alice.user.submit_modal(step2, THEMES)
    assert done.response.content == (
        f"Merci{NBSP}! Votre mois de **06/2027** est complet{NBSP}: lien social 3, loisirs 1, "
        "orientation / emploi 2, santé 1, numérique / usages 4."
    )
    assert await _counts(db) == {
        "contacts_touches": 40,
        "contacts_prives": 12,
        "contacts_projets": 3,
        "contacts_11_14": 2,
        "contacts_15_17": 5,
        "contacts_18_25": 4,
        "contacts_parents": 1,
        "reseau_instagram": 7,
        "reseau_snapchat": 5,
        "theme_lien_social": 3,
        "theme_loisirs": 1,
        "theme_orientation_emploi": 2,
        "theme_sante": 1,
        "theme_numerique": 4,
    }
    # Opened again, the form shows what was given.
    again = await w.alice.slash(w.general, "activite mois", mois="06/2027")
    assert again.modal is not None

    # The 8th: one reminder, to Bob only (Alice answered); Bob turns the offer off, then on.
    clock.set(datetime(2027, 7, 8, 8, 0, tzinfo=UTC))
    assert await cog.offer_job() == 1
    reminder = w.bob.user.dm_channel.last_message
    assert reminder.content.startswith(f"Petit rappel{NBSP}: votre mois de **06/2027**")
    off = await w.bob.user.click(reminder, label="Ne plus me le proposer")
    assert off.response.content.startswith(f"C'est noté{NBSP}: le bilan mensuel ne vous sera plus proposé")
    clock.set(datetime(2027, 8, 1, 8, 0, tzinfo=UTC))
    assert await cog.offer_job() == 1  # Alice only, for July
    assert w.bob.user.dm_channel.last_message.id == reminder.id
    on = await w.bob.slash(w.general, "activite mois", rappel="oui")
    assert on.response.content.startswith(f"C'est noté{NBSP}: le bilan mensuel vous sera proposé")
    async with db.transaction() as session:
        bob = await session.scalar(select(Member).where(Member.display_name == "Bob Durand"))
        assert bob.monthly_form_off is False
    closed = await w.alice.slash(w.general, "activite mois", mois="06/2027")
    assert closed.response.content == (
        "Le mois 06/2027 n'est plus modifiable (saisie possible jusqu'au 15/07/2027). Remplissez le mois en cours."
    )

    # The recap shows the month exactly.
    w.env.settle_timeout = 30.0  # charts are drawn in a thread: slow on a busy machine
    recap = await w.coordinator.slash(w.general, "bilan annuel", annee=2027)
    w.env.settle_timeout = 5.0
    embeds = [e for m in [recap.response, *recap.followups] if m is not None for e in m.embeds]
    shown = next(e for e in embeds if e.title == "Bilan 2027 · Indicateurs d'évaluation")
    contacts = _field(shown, "Contacts avec les jeunes et les parents")
    assert shown.description == "Ensemble · 03 · 63"
    assert f"Touchés (publications, permanences){NBSP}: **40** (0 · 40)" in contacts
    assert f"Contactés en privé{NBSP}: **12**" in contacts and f"Accompagnés sur un projet{NBSP}: **3**" in contacts
    assert f"Numérique / usages{NBSP}: **4**" in _field(shown, "Thèmes des demandes")
    assert f"Heures de permanence en ligne par semaine{NBSP}: **2,5{NBSP}h**" in _field(
        shown, "Structures et permanences en ligne"
    )

    # …and the annual report, read back from its DOCX.
    w.env.settle_timeout = 30.0
    report = await w.coordinator.slash(w.general, "bilan rapport", annee=2027)
    w.env.settle_timeout = 5.0
    message = [m for m in [report.response, *report.followups] if m is not None and m.attachments][-1]
    docx = docx_text(await message.attachments[0].read())
    assert "Résultats\u00a0: contacts en ligne" in docx
    assert (
        "→ Soit 40 jeunes ou parents touchés (publications, permanences), 12 contacts en privé et "
        "3 accompagnements sur un projet, d'après 1 bilan mensuel."
    ) in docx
    assert "Juin 2027 40 12 3 1" in docx
    for line in ("15–17 ans 5", "Parents 1", "Instagram 7", "Snapchat 5", "Lien social 3", "Numérique / usages 4"):
        assert line in docx.splitlines(), line
    assert "1 Promeneur travaille en quartier prioritaire (QPV) et 0 en zone rurale." in docx
    assert "1 Promeneur a déclaré des permanences en ligne\u00a0: 2,5 h par semaine en tout." in docx


async def test_permanences_grid_by_territory(profiles) -> None:
    w = profiles
    added = await w.alice.slash(w.general, "permanences ajouter", jour=2, debut="18h", fin="20h", reseau="Instagram")
    assert added.ephemeral
    assert added.response.content == f"Permanence ajoutée{NBSP}: **mercredi 18h–20h** sur Instagram."
    await w.bob.slash(w.general, "permanences ajouter", jour=2, debut="9h30", fin="11h", reseau="Facebook")
    await w.bob.slash(w.general, "permanences ajouter", jour=5, debut="14h", fin="15h", reseau="Discord")
    grid = (await w.alice.slash(w.general, "permanences voir")).response.embeds[0]
    assert grid.title == f"Qui est en ligne quand{NBSP}? tous les territoires"
    assert (
        _field(grid, "Mercredi")
        == "9h30–11h · **Bob Durand** (03) · Facebook\n18h–20h · **Alice Martin** (63) · Instagram"
    )
    assert _field(grid, "Samedi") == "14h–15h · **Bob Durand** (03) · Discord"
    assert grid.footer.text == f"3 permanences · 4,5{NBSP}h par semaine"
    only = (await w.alice.slash(w.general, "permanences voir", territoire="63")).response.embeds[0]
    assert [f.name for f in only.fields] == ["Mercredi"] and "Bob" not in _field(only, "Mercredi")
    choices = await w.bob.autocomplete(w.general, "permanences retirer", "creneau", "sam")
    assert [c["name"] for c in choices] == ["Samedi 14h–15h · Discord"]
    assert await w.alice.autocomplete(w.general, "permanences retirer", "creneau", "sam") == []
    removed = await w.bob.slash(w.general, "permanences retirer", creneau=choices[0]["value"])
    assert removed.response.content == f"Permanence retirée{NBSP}: samedi 14h–15h sur Discord."
    refused = await w.alice.slash(w.general, "permanences retirer", creneau=choices[0]["value"])
    assert refused.response.content == "Cette permanence est introuvable (choisissez-la dans la liste)."


async def test_dm_buttons_and_forms_work_after_a_restart(profiles, simcord_bot, make_bot, clock, db: Database) -> None:
    w = profiles
    clock.set(datetime(2027, 7, 1, 8, 0, tzinfo=UTC))
    assert await simcord_bot.get_cog("Indicators").offer_job() == 2
    dm = w.alice.user.dm_channel.last_message
    form = await w.alice.user.click(dm, label="Remplir mon mois")
    await w.env.restart_bot(make_bot())
    # A form opened before the restart is answered after it…
    step1 = await w.alice.user.submit_modal(form, CONTACTS)
    assert step1.response.content.startswith(f"C'est noté pour **06/2027**{NBSP}: 40 touchés")
    await w.env.restart_bot(make_bot())
    # …and the buttons of the DM and of step 1 still work.
    step2 = await w.alice.user.click(step1.response, label=f"Étape 2/2{NBSP}: thèmes des demandes")
    done = await w.alice.user.submit_modal(step2, THEMES)
    assert done.response.content.startswith(f"Merci{NBSP}! Votre mois de **06/2027** est complet")
    again = await w.alice.user.click(dm, label="Remplir mon mois")
    assert again.modal is not None
    off = await w.bob.user.click(w.bob.user.dm_channel.last_message, label="Ne plus me le proposer")
    assert off.response.content.startswith(f"C'est noté{NBSP}: le bilan mensuel ne vous sera plus proposé")
    assert (await _counts(db))["theme_numerique"] == 4


async def test_closed_dms_tell_the_coordination(profiles, simcord_bot, clock) -> None:
    w = profiles
    w.env.inject_error(
        "POST",
        f"/channels/{w.bob.user.dm_channel.id}/messages",
        status=403,
        code=50007,
        message="Cannot send messages to this user",
        times=None,
    )
    clock.set(datetime(2027, 7, 1, 8, 0, tzinfo=UTC))
    assert await simcord_bot.get_cog("Indicators").offer_job() == 2
    assert w.alice.user.dm_channel.last_message.content.startswith(f"Bonjour{NBSP}! Votre mois de **06/2027**")
    alerts = [m.content for m in w.recaps.history() if "bilan mensuel" in m.content]
    assert [a.split(" ", 1)[1] for a in alerts] == [  # after the coordination role's mention
        f"⚠️ Le bilan mensuel de 06/2027 n'a pas pu être proposé à <@{w.bob.user.id}> en message privé."
        f"\nCause{NBSP}: ses messages privés sont fermés\u00a0; aucun salon n'est configuré pour le mentionner "
        "(voyez /config salons)."
    ]
