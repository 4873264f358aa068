"""The evaluation survey on the real database."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from bot.db import Database
from bot.db.models.activity import SurveyCampaign
from bot.errors import ConflictError, ValidationError
from bot.services import guilds as guilds_service
from bot.services import members as members_service
from bot.services import survey as survey_service
from bot.services.members import ProfileChanges
from bot.services.survey import AnswerInput

GUILD = 1
NOW = datetime(2027, 6, 14, 8, 0, tzinfo=UTC)
GOOD = AnswerInput("15–17 ans", "Centre social", "2 h", ("Instagram", "TikTok"))


@pytest.fixture
async def network(db: Database) -> Database:
    async with db.transaction(lock=True) as session:
        await guilds_service.add_territory(session, GUILD, "63", "Puy-de-Dôme")
        for i in range(4):
            await members_service.update_profile(
                session,
                GUILD,
                100 + i,
                f"P{i}",
                ProfileChanges(territory="63", strand="youth", joined_on=date(2026, 1, 1)),
                today=date(2027, 6, 1),
            )
        gone = await members_service.find_by_discord(session, GUILD, 103)
        await members_service.record_departure(session, GUILD, gone.id, date(2027, 5, 31), today=date(2027, 6, 1))
    return db


async def _launch(db: Database, closes: date = date(2027, 6, 30), now: datetime = NOW) -> SurveyCampaign:
    async with db.transaction(lock=True) as session:
        return await survey_service.launch(session, GUILD, closes, now=now)


async def test_response_rate_uses_promeneurs_active_at_launch(network: Database) -> None:
    campaign = await _launch(network)
    assert (campaign.number, campaign.eligible_count) == (1, 3)  # the one who left is not counted
    for who, given in ((100, GOOD), (101, AnswerInput("18–25 ans", "Centre social", "Plus de 4 h", ("Instagram",)))):
        async with network.transaction(lock=True) as session:
            await survey_service.answer(session, GUILD, who, campaign.id, given, now=NOW)
    async with network.transaction(lock=True) as session:  # answering again replaces
        _, replaced = await survey_service.answer(session, GUILD, 100, campaign.id, GOOD, now=NOW)
    assert replaced
    async with network.transaction() as session:
        results = await survey_service.results(session, campaign)
    assert (results.respondents, results.eligible, round(results.rate, 3)) == (2, 3, 0.667)
    d = results.distributions
    assert d[survey_service.Q_NETWORKS] == [("Instagram", 2), ("TikTok", 1)]
    assert d[survey_service.Q_HOURS] == [("2 h", 1), ("Plus de 4 h", 1)]
    assert d[survey_service.Q_STRUCTURE] == [("Centre social", 2)]


async def test_bad_answers_and_closed_campaigns(network: Database) -> None:
    campaign = await _launch(network)
    with pytest.raises(ConflictError):
        await _launch(network, date(2027, 7, 10))  # one open campaign at a time
    with pytest.raises(ValidationError) as error:
        await _launch(network, date(2027, 12, 31), now=datetime(2027, 7, 1, 8, tzinfo=UTC))
    assert (
        error.value.message == "Un questionnaire reste ouvert au plus 92 jours\u00a0: choisissez une date plus proche."
    )
    bad = {
        AnswerInput(
            "Parents de jeunes enfants (0–6 ans)", "Centre social", "2 h", ("X",)
        ): "Réponse «\u00a0Parents de jeunes enfants (0–6 ans)\u00a0» invalide pour «\u00a0Public principal sur les réseaux\u00a0»\u00a0: choisissez parmi les propositions.",
        AnswerInput(
            "15–17 ans", "Centre social", "2 h", ("MySpace",)
        ): "Réponse «\u00a0MySpace\u00a0» invalide pour «\u00a0Réseaux sociaux utilisés\u00a0»\u00a0: choisissez parmi les propositions.",
        AnswerInput(
            "15–17 ans", None, "2 h", ()
        ): "Répondez à toutes les questions avant d'envoyer (il manque\u00a0: Type de structure, Réseaux sociaux utilisés).",
    }
    for given, message in bad.items():
        async with network.transaction(lock=True) as session:
            with pytest.raises(ValidationError) as error:
                await survey_service.answer(session, GUILD, 100, campaign.id, given, now=NOW)
        assert error.value.message == message
    after = datetime(2027, 6, 30, 22, 0, tzinfo=UTC)  # 1 July 00:00 Paris
    async with network.transaction(lock=True) as session:
        with pytest.raises(ConflictError):
            await survey_service.answer(session, GUILD, 100, campaign.id, GOOD, now=after)
        assert await survey_service.last_closed_of_year(session, GUILD, 2027, now=after) is not None
        assert await survey_service.last_closed_of_year(session, GUILD, 2027, now=NOW) is None


async def test_simultaneous_launches_make_one_campaign(network: Database) -> None:
    results = await asyncio.gather(*(_launch(network) for _ in range(4)), return_exceptions=True)
    assert sum(isinstance(r, SurveyCampaign) for r in results) == 1
    assert all(isinstance(r, (SurveyCampaign, ConflictError)) for r in results)
    async with network.transaction() as session:
        assert await session.scalar(select(func.count(SurveyCampaign.id))) == 1
