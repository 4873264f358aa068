"""/activite and /questionnaire through SimCord (the real bot)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import func, select

from bot.db import Database
from bot.db.models.activity import Activity, SurveyAnswer, SurveyAnswerNetwork, SurveyCampaign


async def _activities(db: Database) -> list[Activity]:
    async with db.transaction() as session:
        return list((await session.scalars(select(Activity).order_by(Activity.id))).all())


async def test_log_list_and_cancel_activities(profiles, db: Database) -> None:
    w = profiles
    logged = await w.alice.slash(w.general, "activite ajouter", type="presentation")
    assert logged.ephemeral
    assert logged.response.content == ("C'est noté\u00a0: **Présentation du dispositif** · ×1 · 14/06/2027 · 63.")
    hours = await w.alice.slash(
        w.general,
        "activite ajouter",
        type="online_presence",
        quantite=2.5,
        date="10/06/2027",
        territoire="commun",
        note="Live Instagram",
    )
    assert hours.response.content == (
        "C'est noté\u00a0: **Temps de présence éducative en ligne (heures)** · 2,5 h · 10/06/2027 · "
        "commun · «\u00a0Live Instagram\u00a0»."
    )
    rows = await _activities(db)
    assert [(a.kind, a.quantity, a.occurred_on, a.territory_code) for a in rows] == [
        ("presentation", 1.0, date(2027, 6, 14), "63"),
        ("online_presence", 2.5, date(2027, 6, 10), None),
    ]

    mine = await w.alice.slash(w.general, "activite mes-activites")
    description = mine.response.embeds[0].description
    assert "**En 2027**\u00a0: présentations 1, présence en ligne (h) 2,5 h" in description
    assert (
        f"`#{rows[1].id}` 10/06/2027 · **Temps de présence éducative en ligne (heures)** · 2,5 h · commun · Live Instagram"
        in description
    )

    # Bob cannot cancel Alice's entry, and does not see it in his choices.
    assert await w.bob.autocomplete(w.general, "activite annuler", "saisie", "") == []
    refused = await w.bob.slash(w.general, "activite annuler", saisie=str(rows[0].id))
    assert refused.response.content == "Vous ne pouvez annuler que vos propres saisies."
    choices = await w.alice.autocomplete(w.general, "activite annuler", "saisie", "présentation")
    assert [c["value"] for c in choices] == [str(rows[0].id)]
    done = await w.alice.slash(w.general, "activite annuler", saisie=choices[0]["value"])
    assert done.response.content == "Saisie annulée\u00a0: Présentation du dispositif du 14/06/2027 (×1, 63)."
    assert [a.kind for a in await _activities(db)] == ["online_presence"]


async def test_bad_activity_input_is_refused_and_nothing_written(profiles, configured, db: Database) -> None:
    w = profiles
    cases = {
        "Combien\u00a0?": (
            dict(type="presentation", quantite=-3),
            "La quantité doit être un nombre entier entre 1 et 50 (vous avez indiqué -3). Pour davantage, faites plusieurs saisies.",
        ),
        "absurd hours": (
            dict(type="online_presence", quantite=1000),
            "Le nombre d'heures doit être compris entre 0,25 et 300 (vous avez indiqué 1000).",
        ),
        "future": (
            dict(type="presentation", date="15/06/2027"),
            "La date 15/06/2027 est dans le futur\u00a0: une activité se saisit une fois réalisée.",
        ),
        "too old": (
            dict(type="presentation", date="31/12/1999"),
            "La date 31/12/1999 est trop ancienne\u00a0: indiquez une date à partir de 2000.",
        ),
        "bad date": (
            dict(type="presentation", date="32/01/2027"),
            "«\u00a032/01/2027\u00a0» n'est pas une date valide. Écrivez par exemple 15/06/2027, 15 juin ou mardi prochain.",
        ),
        "territory": (dict(type="presentation", territoire="75"), None),
        "coordination": (
            dict(type="coordination", quantite=3),
            "Le temps de coordination est saisi par la coordination uniquement.",
        ),
    }
    for name, (options, message) in cases.items():
        result = await w.alice.slash(w.general, "activite ajouter", **options)
        if message is None:
            assert result.response.content.startswith("Le territoire «\u00a075\u00a0» n'est pas configuré"), name
        else:
            assert result.response.content == message, name
    # The coordination needs no profile (it does most presentations), but names the territory.
    no_profile = await w.coordinator.slash(w.general, "activite ajouter", type="presentation")
    assert no_profile.response.content == "Indiquez le territoire de cette activité (ou «\u00a0commun\u00a0»)."
    assert await _activities(db) == []
    # The coordination logs coordination time, without a profile, "commun" by default.
    ok = await w.coordinator.slash(w.general, "activite ajouter", type="coordination", quantite=3.5, territoire="03")
    assert ok.response.content == "C'est noté\u00a0: **Temps de coordination (heures)** · 3,5 h · 14/06/2027 · 03."
    shared = await w.coordinator.slash(w.general, "activite ajouter", type="coordination", quantite=2)
    assert shared.response.content.endswith("· 2 h · 14/06/2027 · commun.")


async def test_survey_launch_answer_and_results(profiles, db: Database, clock) -> None:
    w = profiles
    refused = await w.alice.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    assert refused.response.content.startswith("Cette action est réservée à la coordination")
    none_yet = await w.alice.slash(w.general, "questionnaire repondre")
    assert (
        none_yet.response.content
        == "Aucun questionnaire n'est ouvert en ce moment. La coordination le lancera bientôt."
    )
    past = await w.coordinator.slash(w.general, "questionnaire lancer", cloture="14/06/2027")
    assert past.response.content == "La date de clôture (14/06/2027) doit être postérieure à aujourd'hui."

    launched = await w.coordinator.slash(w.general, "questionnaire lancer", cloture="30/06/2027")
    assert launched.response.content == (
        "Questionnaire n°1 lancé jusqu'au mercredi 30 juin 2027 inclus, pour 2 Promeneurs actifs. "
        f"Annonce publiée dans <#{w.announcements.id}>."
    )
    again = await w.coordinator.slash(w.general, "questionnaire lancer", cloture="20/06/2027")
    assert again.response.content.startswith("Le questionnaire n°1 est encore ouvert jusqu'au 30/06/2027.")
    announcement = w.announcements.last_message
    assert announcement.embeds[0].title == "Questionnaire d'évaluation n°1"

    form = await w.alice.click(announcement, label="Répondre")
    assert form.ephemeral
    message = form.response.message
    # Alice is in the Jeunesse strand: the Jeunesse audiences are offered.
    early = await w.alice.click(message, label="Envoyer mes réponses")
    assert early.response.content.startswith("Répondez à toutes les questions avant d'envoyer")
    await w.alice.select(message, ["15–17 ans"], custom_id="survey:public")
    await w.alice.select(message, ["Centre social"], custom_id="survey:structure")
    await w.alice.select(message, ["Entre 2 et 4 h"], custom_id="survey:heures")
    chosen = await w.alice.select(message, ["Instagram", "Snapchat"], custom_id="survey:reseaux")
    assert "- Réseaux sociaux utilisés\u00a0: Instagram, Snapchat" in chosen.response.content
    sent = await w.alice.click(message, label="Envoyer mes réponses")
    assert sent.response.content == "Merci\u00a0! Votre réponse au questionnaire n°1 est enregistrée."

    bob_form = await w.bob.slash(w.general, "questionnaire repondre")
    m = bob_form.response.message
    await w.bob.select(m, ["Parents d'adolescents"], custom_id="survey:public")
    await w.bob.select(m, ["Centre social"], custom_id="survey:structure")
    await w.bob.select(m, ["Moins de 2 h"], custom_id="survey:heures")
    await w.bob.select(m, ["Facebook", "Instagram"], custom_id="survey:reseaux")
    await w.bob.click(m, label="Envoyer mes réponses")

    results = await w.coordinator.slash(w.general, "questionnaire resultats")
    embed = results.response.embeds[0]
    assert embed.title == "Résultats du questionnaire n°1"
    assert (
        "**2** réponses sur 2 Promeneurs actifs au lancement, soit un taux de réponse de **100\u00a0%**"
        in embed.description
    )
    fields = {f.name: f.value for f in embed.fields}
    assert "Instagram\u00a0: 2 (100\u00a0%)" in fields["Réseaux sociaux utilisés"]
    assert "Facebook\u00a0: 1 (50\u00a0%)" in fields["Réseaux sociaux utilisés"]
    assert "Entre 2 et 4 h\u00a0: 1 (50\u00a0%)" in fields["Temps de présence en ligne par semaine"]
    denied = await w.alice.slash(w.general, "questionnaire resultats")
    assert denied.response.content.startswith("Cette action est réservée à la coordination")

    # After the closing day, answering is refused.
    clock.set(datetime(2027, 7, 1, 8, 0, tzinfo=UTC))
    late = await w.alice.click(announcement, label="Répondre")
    assert (
        late.response.content
        == "Le questionnaire n°1 est clos depuis le 30/06/2027\u00a0: merci, il est trop tard pour y répondre."
    )
    async with db.transaction() as session:
        assert await session.scalar(select(func.count(SurveyAnswer.id))) == 2
        assert await session.scalar(select(func.count(SurveyAnswerNetwork.id))) == 4
        assert (await session.scalars(select(SurveyCampaign.eligible_count))).one() == 2
