"""The twice-yearly evaluation survey: campaigns, answers, results.

Each launch is a campaign with a closing date. The response rate is respondents /
Promeneurs active at launch (`eligible_count`, counted when it is launched). A member
answers once per campaign (answering again while it is open replaces the answer).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import PARIS
from bot.db.models import GuildSettings, Member
from bot.db.models.activity import SurveyAnswer, SurveyAnswerNetwork, SurveyCampaign
from bot.db.models.member import PARENTING, YOUTH
from bot.db.session import requires_lock
from bot.errors import ConflictError, NotFoundError, ValidationError
from bot.services import lists, outbox
from bot.services import members as members_service
from bot.services.guilds import ensure_guild, get_settings, next_number
from bot.services.privacy import PrivacyHook
from bot.services.recap.data import Q_HOURS, Q_NETWORKS, WEEKLY_HOURS, SurveyResults

AUDIENCES = {
    YOUTH: ("11–14 ans", "15–17 ans", "18–25 ans", "Parents", "Professionnels / partenaires"),
    PARENTING: (
        "Parents de jeunes enfants (0–6 ans)",
        "Parents d'enfants (6–11 ans)",
        "Parents d'adolescents",
        "Professionnels / partenaires",
    ),
}
NETWORKS = (
    "Facebook",
    "Instagram",
    "Snapchat",
    "TikTok",
    "Discord",
    "Twitch",
    "YouTube",
    "WhatsApp",
    "X",
    "Autre",
)
MAX_DAYS_OPEN = 92

ERR_CLOSE_PAST = "La date de clôture ({value}) doit être postérieure à aujourd'hui."
ERR_CLOSE_FAR = "Un questionnaire reste ouvert au plus {days} jours\u00a0: choisissez une date plus proche."
ERR_ALREADY_OPEN = (
    "Le questionnaire n°{number} est encore ouvert jusqu'au {day}. Attendez sa clôture avant d'en lancer un autre."
)
ERR_NONE_OPEN = "Aucun questionnaire n'est ouvert en ce moment. La coordination le lancera bientôt."
ERR_CLOSED = "Le questionnaire n°{number} est clos depuis le {day}\u00a0: merci, il est trop tard pour y répondre."
ERR_NO_CAMPAIGN = "Aucun questionnaire n'a encore été lancé sur ce serveur."
ERR_UNKNOWN_CAMPAIGN = "Ce questionnaire est introuvable."
ERR_CHOICE = (
    "Réponse «\u00a0{value}\u00a0» invalide pour «\u00a0{question}\u00a0»\u00a0: choisissez parmi les propositions."
)
ERR_MISSING = "Répondez à toutes les questions avant d'envoyer (il manque\u00a0: {missing})."

Q_AUDIENCE = "Public principal sur les réseaux"
Q_STRUCTURE = "Type de structure"


def closing_instant(day: date) -> datetime:
    """A campaign closes at the end of its closing day (midnight, Paris)."""
    return datetime.combine(day + timedelta(days=1), time(0), PARIS).astimezone(UTC)


async def active_count(session: AsyncSession, guild_id: int, on: date) -> int:
    return int(
        await session.scalar(
            select(func.count(Member.id)).where(
                Member.guild_id == guild_id,
                Member.joined_on <= on,
                or_(Member.left_on.is_(None), Member.left_on >= on),
            )
        )
        or 0
    )


async def current(session: AsyncSession, guild_id: int, now: datetime) -> SurveyCampaign | None:
    """The campaign open now, if any."""
    return await session.scalar(
        select(SurveyCampaign)
        .where(
            SurveyCampaign.guild_id == guild_id,
            SurveyCampaign.launched_at <= now,
            SurveyCampaign.closes_at > now,
        )
        .order_by(SurveyCampaign.id.desc())
        .limit(1)
    )


async def latest(session: AsyncSession, guild_id: int) -> SurveyCampaign | None:
    return await session.scalar(
        select(SurveyCampaign).where(SurveyCampaign.guild_id == guild_id).order_by(SurveyCampaign.id.desc()).limit(1)
    )


async def get(session: AsyncSession, guild_id: int, campaign_id: int) -> SurveyCampaign:
    campaign = await session.get(SurveyCampaign, campaign_id)
    if campaign is None or campaign.guild_id != guild_id:
        raise NotFoundError(ERR_UNKNOWN_CAMPAIGN)
    return campaign


async def campaigns(session: AsyncSession, guild_id: int, limit: int = 25) -> list[SurveyCampaign]:
    return list(
        (
            await session.scalars(
                select(SurveyCampaign)
                .where(SurveyCampaign.guild_id == guild_id)
                .order_by(SurveyCampaign.id.desc())
                .limit(limit)
            )
        ).all()
    )


@requires_lock
async def launch(
    session: AsyncSession,
    guild_id: int,
    closes_on: date,
    *,
    now: datetime,
    launched_by: int | None = None,
) -> SurveyCampaign:
    """Open a new campaign until the end of `closes_on` (reads then writes: the numbering,
    one open campaign at a time)."""
    today = now.astimezone(PARIS).date()
    if closes_on <= today:
        raise ValidationError(ERR_CLOSE_PAST.format(value=closes_on.strftime("%d/%m/%Y")))
    if closes_on > today + timedelta(days=MAX_DAYS_OPEN):
        raise ValidationError(ERR_CLOSE_FAR.format(days=MAX_DAYS_OPEN))
    await ensure_guild(session, guild_id)
    # Serialise launches of one server (FOR UPDATE on PostgreSQL; BEGIN IMMEDIATE on SQLite).
    await session.execute(select(GuildSettings.guild_id).where(GuildSettings.guild_id == guild_id).with_for_update())
    open_one = await current(session, guild_id, now)
    if open_one is not None:
        last_day = (open_one.closes_at - timedelta(seconds=1)).astimezone(PARIS)
        raise ConflictError(ERR_ALREADY_OPEN.format(number=open_one.number, day=last_day.strftime("%d/%m/%Y")))
    campaign = SurveyCampaign(
        guild_id=guild_id,
        number=await next_number(session, guild_id, "survey"),
        launched_at=now,
        closes_at=closing_instant(closes_on),
        eligible_count=await active_count(session, guild_id, today),
        launched_by=launched_by,
    )
    session.add(campaign)
    await session.flush()
    return campaign


# The launch announcement is an outbox post (kind ANNOUNCEMENT_KIND, period = campaign id):
# committed with the campaign, retried after a Discord failure, never posted twice.
ANNOUNCEMENT_KIND = "survey_announcement"


def announcement_period(campaign: SurveyCampaign) -> str:
    return str(campaign.id)


@requires_lock
async def launch_announced(
    session: AsyncSession, guild_id: int, closes_on: date, *, now: datetime, launched_by: int | None = None
) -> tuple[SurveyCampaign, int | None]:
    """`launch`, and its announcement queued in the outbox in the same unit of work (a
    Discord failure never loses it) when the server has an announcements channel. Returns
    the campaign and that channel (None: no announcement)."""
    campaign = await launch(session, guild_id, closes_on, now=now, launched_by=launched_by)
    channel_id = (await get_settings(session, guild_id)).announcements_channel_id
    if channel_id:
        await outbox.enqueue(
            session, guild_id, ANNOUNCEMENT_KIND, announcement_period(campaign), channel_id=channel_id, due_at=now
        )
    return campaign, channel_id


async def announced_campaign(session: AsyncSession, guild_id: int, period: str) -> SurveyCampaign:
    return await get(session, guild_id, int(period))


async def mark_announced(
    session: AsyncSession, guild_id: int, period: str, *, channel_id: int | None, message_id: int | None
) -> None:
    """The announcement of the campaign `period` is in the channel (called when it is sent)."""
    campaign = await get(session, guild_id, int(period))
    campaign.channel_id, campaign.message_id = channel_id, message_id


def require_open(campaign: SurveyCampaign, now: datetime) -> SurveyCampaign:
    if not campaign.is_open(now):
        last_day = (campaign.closes_at - timedelta(seconds=1)).astimezone(PARIS)
        raise ConflictError(ERR_CLOSED.format(number=campaign.number, day=last_day.strftime("%d/%m/%Y")))
    return campaign


async def open_campaign(
    session: AsyncSession, guild_id: int, now: datetime, campaign_id: int | None = None
) -> SurveyCampaign:
    """The campaign to answer: the one given (if still open), or the one open now."""
    if campaign_id is not None:
        return require_open(await get(session, guild_id, campaign_id), now)
    campaign = await current(session, guild_id, now)
    if campaign is None:
        raise NotFoundError(ERR_NONE_OPEN)
    return campaign


@dataclass(frozen=True)
class AnswerInput:
    audience: str | None
    structure_type: str | None
    weekly_hours: str | None
    networks: tuple[str, ...] = ()


async def structure_choices(session: AsyncSession, guild_id: int) -> list[str]:
    return await lists.values(session, guild_id, lists.STRUCTURE_TYPES)


def audience_choices(strand: str | None) -> tuple[str, ...]:
    if strand is not None and strand in AUDIENCES:
        return AUDIENCES[strand]
    return tuple(dict.fromkeys(AUDIENCES[YOUTH] + AUDIENCES[PARENTING]))


async def answer(
    session: AsyncSession,
    guild_id: int,
    discord_id: int,
    campaign_id: int,
    given: AnswerInput,
    *,
    now: datetime,
) -> tuple[SurveyAnswer, bool]:
    """Record (or replace) the caller's answer. Returns (answer, replaced)."""
    member = await members_service.require_profile(session, guild_id, discord_id)
    campaign = require_open(await get(session, guild_id, campaign_id), now)
    missing = [
        q
        for q, v in (
            (Q_AUDIENCE, given.audience),
            (Q_STRUCTURE, given.structure_type),
            (Q_HOURS, given.weekly_hours),
            (Q_NETWORKS, given.networks),
        )
        if not v
    ]
    if missing:
        raise ValidationError(ERR_MISSING.format(missing=", ".join(missing)))
    period = member.current_period
    strand = period.strand if period else None
    checks = (
        (Q_AUDIENCE, [given.audience], audience_choices(strand)),
        (Q_STRUCTURE, [given.structure_type], await structure_choices(session, guild_id)),
        (Q_HOURS, [given.weekly_hours], WEEKLY_HOURS),
        (Q_NETWORKS, list(given.networks), NETWORKS),
    )
    for question, values, allowed in checks:
        for value in values:
            if value not in allowed:
                raise ValidationError(ERR_CHOICE.format(value=value, question=question))
    existing = await session.scalar(
        select(SurveyAnswer).where(SurveyAnswer.campaign_id == campaign.id, SurveyAnswer.member_id == member.id)
    )
    replaced = existing is not None
    if existing is not None:
        await session.delete(existing)
        await session.flush()
    row = SurveyAnswer(
        guild_id=guild_id,
        campaign_id=campaign.id,
        member_id=member.id,
        strand=strand,
        territory_code=period.territory_code if period else None,
        audience=given.audience,
        structure_type=given.structure_type,
        weekly_hours=given.weekly_hours,
        answered_at=now,
        networks=[SurveyAnswerNetwork(guild_id=guild_id, network=n) for n in dict.fromkeys(given.networks)],
    )
    session.add(row)
    await session.flush()
    return row, replaced


def _ordered(counts: dict[str, int], order: tuple[str, ...] | list[str]) -> list[tuple[str, int]]:
    known = [(v, counts[v]) for v in order if v in counts]
    others = sorted(((v, c) for v, c in counts.items() if v not in order), key=lambda x: -x[1])
    return known + others


async def results(session: AsyncSession, campaign: SurveyCampaign) -> SurveyResults:
    """Response rate and each answer's distribution (one grouped query per question)."""
    base = SurveyAnswer.campaign_id == campaign.id
    respondents = int(await session.scalar(select(func.count(SurveyAnswer.id)).where(base)) or 0)
    out = SurveyResults(campaign, respondents, campaign.eligible_count)
    structure_order = await structure_choices(session, campaign.guild_id)
    for question, column, order in (
        (Q_AUDIENCE, SurveyAnswer.audience, audience_choices(None)),
        (Q_STRUCTURE, SurveyAnswer.structure_type, structure_order),
        (Q_HOURS, SurveyAnswer.weekly_hours, WEEKLY_HOURS),
    ):
        rows = await session.execute(select(column, func.count()).where(base).group_by(column))
        out.distributions[question] = _ordered({v: c for v, c in rows}, order)
    rows = await session.execute(
        select(SurveyAnswerNetwork.network, func.count())
        .join(SurveyAnswer, SurveyAnswer.id == SurveyAnswerNetwork.answer_id)
        .where(base)
        .group_by(SurveyAnswerNetwork.network)
    )
    out.distributions[Q_NETWORKS] = _ordered({v: c for v, c in rows}, NETWORKS)
    return out


async def last_closed_of_year(
    session: AsyncSession, guild_id: int, year: int, *, now: datetime
) -> SurveyCampaign | None:
    """The year's last closed campaign (the one the year-end recap shows)."""
    start = datetime.combine(date(year, 1, 1), time(0), PARIS)
    end = datetime.combine(date(year + 1, 1, 1), time(0), PARIS)
    return await session.scalar(
        select(SurveyCampaign)
        .where(
            SurveyCampaign.guild_id == guild_id,
            SurveyCampaign.launched_at >= start,
            SurveyCampaign.launched_at < end,
            SurveyCampaign.closes_at <= now,
        )
        .order_by(SurveyCampaign.closes_at.desc(), SurveyCampaign.id.desc())
        .limit(1)
    )


async def has_answered(session: AsyncSession, campaign_id: int, member_id: int) -> bool:
    return (
        await session.scalar(
            select(SurveyAnswer.id).where(SurveyAnswer.campaign_id == campaign_id, SurveyAnswer.member_id == member_id)
        )
    ) is not None


# -- personal data ---------------------------------------------------------------------


async def _export(session: AsyncSession, member: Member) -> list[dict]:
    rows = await session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.member_id == member.id).order_by(SurveyAnswer.id)
    )
    return [
        {
            "questionnaire": a.campaign_id,
            "public": a.audience,
            "type_structure": a.structure_type,
            "heures_par_semaine": a.weekly_hours,
            "reseaux": [n.network for n in a.networks],
            "repondu_le": a.answered_at.isoformat(),
        }
        for a in rows
    ]


async def _anonymise(session: AsyncSession, member: Member, now: datetime) -> None:
    """Answers are statistical: kept, unlinked from the member."""
    await session.execute(update(SurveyAnswer).where(SurveyAnswer.member_id == member.id).values(member_id=None))


PRIVACY_HOOK = PrivacyHook(name="questionnaires", export=_export, anonymise=_anonymise)
