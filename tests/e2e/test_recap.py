"""/bilan and the scheduled monthly summary and year-end recap, through SimCord."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.db import Database
from bot.db.models import OutboxPost
from bot.db.models.activity import ImportedFigure
from bot.db.models.outbox import FAILED, SENT
from bot.scheduler import cron_trigger
from bot.services import outbox as outbox_service
from bot.services.schedules import YEARLY, ScheduleValue
from tests.conftest import slash_anyway

HISTORY = (Path(__file__).resolve().parents[1] / "data" / "historique-2018-2020.csv").read_bytes()


def _messages(result):
    """What the coordinator reads after a deferred command: the response and follow-ups."""
    out = [result.response] if result.response is not None else []
    out += [m for m in result.followups if m.id not in {x.id for x in out}]
    return [m for m in out if m.content or m.embeds or m.attachments]


def _bot_posts(channel, prefix: str) -> list:
    return [
        m
        for m in channel.history()
        if (m.content or "").startswith(prefix) or any((e.title or "").startswith(prefix) for e in m.embeds)
    ]


@pytest.mark.simcord(settle_timeout=30)  # the year-end files are drawn in a child process (bot.ui.recap_files)
async def test_import_past_years_then_yearly_recap_on_demand(profiles, db: Database) -> None:
    w = profiles
    bad = await w.coordinator.slash(
        w.general,
        "bilan importer",
        fichier=(
            "historique.csv",
            b"annee,territoire,indicateur,valeur,note\n2019,63,promeneurs,12,\n2019,75,promeneurs,3,\n",
        ),
    )
    assert _messages(bad)[-1].content.startswith(
        "Ligne 3, colonne « territoire » : « 75 » n'est pas un territoire du serveur (connus : 03, 63"
    )
    malformed = await w.coordinator.slash(
        w.general,
        "bilan importer",
        fichier=("h.csv", b"annee;territoire;indicateur;valeur;note\n2019;;promeneurs;douze;\n"),
    )
    assert _messages(malformed)[-1].content == (
        "Ligne 2, colonne « valeur » : « douze » n'est pas un nombre positif (laissez vide si la valeur est inconnue)."
    )
    huge = await w.coordinator.slash(w.general, "bilan importer", fichier=("h.csv", b"x" * 300_000))
    assert huge.response.content == "Le fichier est trop gros (300 Ko) : 200 Ko au plus. Découpez-le par années."
    async with db.transaction() as session:
        assert await session.scalar(select(func.count(ImportedFigure.id))) == 0
    refused = await slash_anyway(w.alice, w.general, "bilan importer", fichier=("h.csv", HISTORY))
    assert refused.response.content.startswith("Cette action est réservée à la coordination")

    done = await w.coordinator.slash(w.general, "bilan importer", fichier=("historique-2018-2020.csv", HISTORY))
    assert _messages(done)[-1].content.startswith("Import réussi : 59 chiffres pour 2018, 2019, 2020 (aucun remplacé).")

    await w.alice.slash(w.general, "activite ajouter", type="presentation", quantite=2, date="12/03/2026")
    await w.coordinator.slash(
        w.general, "activite ajouter", type="coordination", quantite=30, territoire="63", date="01/02/2026"
    )
    await w.coordinator.slash(w.general, "activite ajouter", type="coordination", quantite=10, date="01/02/2026")

    result = await w.coordinator.slash(w.general, "bilan annuel", annee=2026)
    messages = _messages(result)
    assert result.ephemeral
    assert messages[0].content.startswith("**Bilan 2026**\u00a0: la synthèse des données")
    embeds = [e for m in messages for e in m.embeds]
    synthesis = embeds[0]
    assert synthesis.title == "Bilan 2026 · Synthèse des données"
    fields = {f.name: f.value for f in synthesis.fields}
    assert fields["63 Puy-de-Dôme"].startswith(
        "**Promeneurs**\u00a0: 1 (1 Jeunesse + 0 Parentalité) · au 31/12\u00a0: 1"
    )
    assert "**Présentations du projet**\u00a0: 2" in fields["63 Puy-de-Dôme"]
    assert fields["03 Allier"].startswith("**Promeneurs**\u00a0: 1 (0 Jeunesse + 1 Parentalité)")
    assert fields["Ensemble des territoires"].startswith("**Promeneurs**\u00a0: 2 (1 Jeunesse + 1 Parentalité)")
    evolution = next(e for e in embeds if e.title == "Déploiement et évolution du projet")
    table = {f.name: f.value for f in evolution.fields}["Ensemble des territoires"]
    # At most six years in the embed (the spreadsheet has them all, 2018–2020 imported).
    assert table.startswith("```\nIndicateur        2021  2022  2023  2024  2025  2026\nPromeneurs           2     2")
    work = next(e for e in embeds if e.title.endswith("Activités et temps de coordination"))
    split = {f.name: f.value for f in work.fields}["Répartition du temps de coordination"]
    assert "63 Puy-de-Dôme\u00a0: 30 h (75\u00a0%)" in split and "Commun\u00a0: 10 h (25\u00a0%)" in split
    files = [a.filename for m in messages for a in m.attachments]
    assert files == [
        "promeneurs_par_annee.png",
        "types_de_structures.png",
        "temps_de_coordination.png",
        "bilan-2026.xlsx",
    ]

    future = await w.coordinator.slash(w.general, "bilan annuel", annee=2030)
    assert future.response.content == "L'année doit être comprise entre 2000 et 2027 (vous avez indiqué 2030)."
    empty = await w.coordinator.slash(w.general, "bilan annuel", annee=2005)
    assert _messages(empty)[0].content == "**Bilan 2005**\u00a0: aucune donnée pour cette année."


async def test_exports_are_attached(profiles) -> None:
    w = profiles
    await w.alice.slash(w.general, "activite ajouter", type="presentation", date="12/03/2026")
    xlsx = await w.coordinator.slash(w.general, "bilan export", annee=2026, format="xlsx")
    message = _messages(xlsx)[-1]
    assert message.content == "Bilan 2026 au format Tableur (XLSX)\u00a0:"
    data = await message.attachments[0].read()
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames[:2] == ["Synthèse 2026", "Évolution ensemble"]
    sheet = workbook["Synthèse 2026"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True)}
    assert rows["Indicateur"] == ("03 Allier", "63 Puy-de-Dôme", "Commun", "Ensemble des territoires")
    assert rows["Présentations du projet"] == (0, 1, 0, 1)

    csv_result = await w.coordinator.slash(w.general, "bilan export", annee=2026, format="csv")
    text = (await _messages(csv_result)[-1].attachments[0].read()).decode("utf-8-sig")
    assert text.splitlines()[0] == "annee;territoire;indicateur;valeur;source;note"
    assert "2026;;presentations;1;calculé;" in text
    md = await w.coordinator.slash(w.general, "bilan export", annee=2026, format="md")
    markdown = (await _messages(md)[-1].attachments[0].read()).decode()
    assert markdown.startswith("# Bilan 2026\n\n## Synthèse des données")
    assert "| Présentations du projet | 0 | 1 | 0 | 1 |" in markdown


async def test_monthly_summary_is_posted_once_on_schedule(profiles, simcord_bot, clock, db: Database) -> None:
    w, bot = profiles, simcord_bot
    await w.alice.slash(w.general, "activite ajouter", type="public_workshop", quantite=2, date="05/06/2027")
    await w.coordinator.slash(
        w.general, "membres ajouter", nom="Chloé Petit", territoire="03", volet="youth", arrivee="02/06/2027"
    )
    clock.set(datetime(2027, 7, 1, 7, 0, tzinfo=UTC))  # 1 July, 9:00 Paris
    fire = clock()
    await bot.outbox.fire(w.guild.id, "monthly_summary", fire)
    await bot.outbox.fire(w.guild.id, "monthly_summary", fire + timedelta(minutes=1))  # fired twice
    await w.env.settle()
    posts = _bot_posts(w.recaps, "Résumé du mois")
    assert len(posts) == 1
    embed = posts[0].embeds[0]
    assert embed.title == "Résumé du mois · juin 2027"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Promeneurs"].startswith("Arrivées\u00a0: **1** · départs\u00a0: **0**")
    assert "Animations / ateliers" in fields["Activités saisies"]
    assert embed.footer.text == "Résumé mensuel · juin 2027"  # readable, nothing internal

    on_demand = await w.coordinator.slash(w.general, "bilan mensuel", mois="06/2027")
    assert _messages(on_demand)[-1].embeds[0].title == "Résumé du mois · juin 2027"
    bad = await w.coordinator.slash(w.general, "bilan mensuel", mois="13/2027")
    assert (
        bad.response.content
        == "«\u00a013/2027\u00a0» n'est pas un mois valide. Écrivez-le sous la forme MM/AAAA, par exemple 06/2027."
    )
    later = await w.coordinator.slash(w.general, "bilan mensuel", mois="08/2027")
    assert (
        later.response.content
        == "Le mois 08/2027 n'a pas encore commencé\u00a0: choisissez un mois passé ou le mois en cours."
    )


@pytest.mark.simcord(settle_timeout=30)  # the year-end files are drawn in a child process (bot.ui.recap_files)
async def test_yearly_recap_first_working_day_failed_then_retried_once(
    profiles, simcord_bot, clock, db: Database
) -> None:
    w, bot = profiles, simcord_bot
    trigger = cron_trigger(ScheduleValue(frequency=YEARLY, hour=10), yearly_days="2-8")
    first = trigger.get_next_fire_time(None, datetime(2027, 12, 20, tzinfo=UTC))
    assert (first.year, first.month, first.day, first.hour) == (2028, 1, 3, 10)  # Sat 1, Sun 2
    first_2027 = trigger.get_next_fire_time(None, datetime(2026, 12, 20, tzinfo=UTC))
    assert (first_2027.month, first_2027.day) == (1, 4)  # Fri 1 is a holiday, then the weekend

    await w.alice.slash(w.general, "activite ajouter", type="presentation", date="12/03/2027")
    clock.set(first.astimezone(UTC))
    w.env.inject_error("POST", "/channels/*/messages", status=500, times=None)  # Discord is down
    await bot.outbox.fire(w.guild.id, "year_recap", clock())
    async with db.transaction() as session:
        post = await outbox_service.get(session, w.guild.id, "year_recap", "2027")
    assert post.state == FAILED
    assert _bot_posts(w.recaps, "**Bilan 2027**") == []

    w.env.backend.faults.clear()
    clock.set(clock() + timedelta(minutes=5))
    await bot.outbox.dispatch_due(clock())
    # The next working day fires again for the same period: nothing doubled.
    await bot.outbox.fire(w.guild.id, "year_recap", clock() + timedelta(days=1))
    await w.env.settle()
    posts = _bot_posts(w.recaps, "**Bilan 2027**")
    assert len(posts) == 1
    all_posts = [m for m in w.recaps.history() if m.author.id == bot.user.id]
    embeds = [e for m in all_posts for e in m.embeds]
    assert embeds[0].title == "Bilan 2027 · Synthèse des données"
    assert any("Bilan annuel · 2027" in (e.footer.text or "") for e in embeds)
    files = [a.filename for m in all_posts for a in m.attachments]
    assert "bilan-2027.xlsx" in files and "promeneurs_par_annee.png" in files
    async with db.transaction() as session:
        post = await outbox_service.get(session, w.guild.id, "year_recap", "2027")
        assert post.state == SENT
        assert await session.scalar(select(func.count(OutboxPost.id)).where(OutboxPost.kind == "year_recap")) == 1
