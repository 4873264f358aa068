"""The indicators the programme's evaluations collect: counts only, never a young person.

Definitions (the guide repeats them: docs/indicators.md), for a calendar year Y and a
territory T (or all):

- **Contacts** (`contacts_touches`, `contacts_prives`, `contacts_projets`): what Promeneurs
  declare in their monthly form « Votre mois en quelques chiffres »: young people or parents
  reached (publications, permanences), contacted privately, accompanied on a project. Summed
  over the months of Y; a month counts in the territory the Promeneur had when answering.
- **Age bands** (`contacts_11_14`, `contacts_15_17`, `contacts_18_25`, `contacts_parents`):
  the split of the private contacts by age (it may add up to less: an age is not always
  known; never to more, the form refuses it).
- **Networks** (`reseau_facebook` … `reseau_autre`): private contacts by the social network
  they happened on (the survey's list). One person may be met on two networks: the split
  may add up to more than the total.
- **Themes** (`theme_lien_social` … `theme_numerique`): how many requests brought by young
  people touched each theme (step 2 of the form).
- **Monthly forms** (`bilans_mensuels`): forms answered (one per Promeneur and month).
- **Structure flags** (`promeneurs_qpv`, `promeneurs_rural`): Promeneurs of Y whose structure
  is in a priority district (QPV) / a rural area (on their profile), counted like the
  Promeneurs of Y (territory at the end of their active part of Y).
- **Weekly online-presence** (`permanences_heures`, `permanences_promeneurs`): the hours per
  week of the slots (/permanences) declared and not removed on 31 December of Y (or today
  for the current year) by the Promeneurs of Y, and how many Promeneurs declared one.

Every code can be imported for a past year (`/bilan importer`); a month can be entered from
its first day until `EDIT_DAYS` days after its end. Aggregated in bot.services.recap.evaluation.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.db.models import Member
from bot.db.models.indicators import MonthlyCount
from bot.db.session import requires_lock
from bot.errors import ValidationError
from bot.parsing import refuse_foreign_digits
from bot.services import members as members_service
from bot.services.privacy import PrivacyHook
from bot.services.survey import NETWORKS
from bot.text import quote

EDIT_DAYS = 15  # a month stays editable until the 15th of the next one
REMINDER_DAY = 8  # the reminder goes on the 8th to whoever has not answered
MAX_COUNT = 100_000

REACHED, PRIVATE, PROJECT = "contacts_touches", "contacts_prives", "contacts_projets"
CONTACTS = {
    REACHED: "Jeunes ou parents touchés (publications, permanences)",
    PRIVATE: "Contactés en privé",
    PROJECT: "Accompagnés sur un projet",
}
AGES = {
    "contacts_11_14": "11–14 ans",
    "contacts_15_17": "15–17 ans",
    "contacts_18_25": "18–25 ans",
    "contacts_parents": "Parents",
}


def _slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()
    return re.sub(r"[^a-z0-9]+", "", plain)


NETWORK_CODES = {f"reseau_{_slug(n)}": n for n in NETWORKS}
THEMES = {
    "theme_lien_social": "Lien social",
    "theme_loisirs": "Loisirs",
    "theme_orientation_emploi": "Orientation / emploi",
    "theme_parentalite": "Parentalité",
    "theme_sante": "Santé",
    "theme_addictions": "Addictions",
    "theme_vie_affective": "Vie affective et sexuelle",
    "theme_violences": "Violences / harcèlement",
    "theme_logement": "Logement",
    "theme_numerique": "Numérique / usages",
}
FORMS = "bilans_mensuels"
QPV, RURAL = "promeneurs_qpv", "promeneurs_rural"
SLOT_HOURS, SLOT_MEMBERS = "permanences_heures", "permanences_promeneurs"
OTHERS = {
    FORMS: "Bilans mensuels remplis",
    QPV: "Promeneurs en quartier prioritaire (QPV)",
    RURAL: "Promeneurs en zone rurale",
    SLOT_HOURS: "Heures de permanence en ligne par semaine",
    SLOT_MEMBERS: "Promeneurs ayant déclaré une permanence",
}
MONTHLY_CODES = (*CONTACTS, *AGES, *NETWORK_CODES, *THEMES)
STEP1_CODES = (*CONTACTS, *AGES, *NETWORK_CODES)
# Every code of the recap, the exports and the CSV import, with its French label.
LABELS: dict[str, str] = {
    **CONTACTS,
    **{k: f"dont {v}" for k, v in AGES.items()},
    **{k: f"Contacts sur {v}" if v != "Autre" else "Contacts sur un autre réseau" for k, v in NETWORK_CODES.items()},
    **{k: f"Demandes : {v.lower()}" for k, v in THEMES.items()},
    **OTHERS,
}
CODES = tuple(LABELS)
DECIMAL_CODES = frozenset({SLOT_HOURS})

ERR_NUMBER = "« {value} » n'est pas un nombre entier positif ({field})."
ERR_SPLIT = (
    "{field} : donnez {count} nombres séparés par « / », par exemple « {example} » (vous avez écrit « {value} »)."
)
ERR_AGES_TOO_MANY = "La répartition par âge ({ages}) dépasse le nombre de contacts en privé ({private})."
ERR_NETWORK = "Réseau inconnu : « {value} ». Réseaux possibles : {known}."
ERR_NETWORK_COUNT = (
    "Indiquez un nombre après chaque réseau, par exemple « Instagram 4, Snapchat 2 » (vous avez écrit « {value} »)."
)
ERR_MONTH_CLOSED = (
    "Le mois {month} n'est plus modifiable (saisie possible jusqu'au {day}). Remplissez le mois en cours."
)
ERR_MONTH_FUTURE = "Le mois {month} n'a pas encore commencé."


# -- months ---------------------------------------------------------------------------------


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(month: date) -> date:
    nxt = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def deadline(month: date) -> date:
    """The last day the month can be entered or corrected."""
    return month_end(month) + timedelta(days=EDIT_DAYS)


def previous_month(today: date) -> date:
    return month_start(month_start(today) - timedelta(days=1))


def default_month(today: date) -> date:
    """The month just ended while it can still be entered, the current one afterwards."""
    last = previous_month(today)
    return last if today <= deadline(last) else month_start(today)


def month_label(month: date) -> str:
    return f"{month.month:02d}/{month.year}"


def month_key(month: date) -> str:
    return f"{month.year:04d}{month.month:02d}"


def parse_month_key(key: str) -> date:
    return date(int(key[:4]), int(key[4:6]), 1)


def check_editable(month: date, today: date) -> None:
    if month > today:
        raise ValidationError(ERR_MONTH_FUTURE.format(month=month_label(month)))
    if today > deadline(month):
        raise ValidationError(
            ERR_MONTH_CLOSED.format(month=month_label(month), day=deadline(month).strftime("%d/%m/%Y"))
        )


# -- what is typed in the form ---------------------------------------------------------------


def parse_count(text: str | None, field: str) -> int:
    """A count typed in the form; empty = 0."""
    raw = (text or "").strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    if not raw:
        return 0
    refuse_foreign_digits(raw)
    if not raw.isascii() or not raw.isdigit() or len(raw) > 6 or int(raw) > MAX_COUNT:
        raise ValidationError(ERR_NUMBER.format(value=quote(text or ""), field=field))
    return int(raw)


def parse_split(text: str | None, count: int, field: str, example: str) -> list[int]:
    """ "2 / 4 / 1 / 0" → [2, 4, 1, 0]; empty = all zeros. Separators: / ; or ,."""
    raw = (text or "").strip()
    if not raw:
        return [0] * count
    parts = [p for p in re.split(r"[/;,]", raw)]
    if len(parts) != count:
        raise ValidationError(ERR_SPLIT.format(field=field, count=count, example=example, value=quote(raw)))
    return [parse_count(p, field) for p in parts]


_NETWORK_BY_SLUG = {_slug(label): code for code, label in NETWORK_CODES.items()}
_NETWORK_BY_SLUG.update({"twitter": "reseau_x", "insta": "reseau_instagram", "snap": "reseau_snapchat"})
_ITEM = re.compile(r"^\s*(?P<name>[^\d]+?)\s*:?\s*(?P<count>\S*\d\S*)\s*$")


def parse_networks(text: str | None) -> dict[str, int]:
    """ "Instagram 4, Snapchat 2" → {reseau_instagram: 4, reseau_snapchat: 2}; any case or accent; twice adds up."""
    out: dict[str, int] = {}
    for item in re.split(r"[,;\n]", text or ""):
        if not item.strip():
            continue
        match = _ITEM.match(item)
        if match is None:
            raise ValidationError(ERR_NETWORK_COUNT.format(value=quote(item.strip())))
        code = _NETWORK_BY_SLUG.get(_slug(match["name"]))
        if code is None:
            raise ValidationError(ERR_NETWORK.format(value=quote(match["name"]), known=", ".join(NETWORKS)))
        out[code] = out.get(code, 0) + parse_count(match["count"], NETWORK_CODES[code])
    return out


@dataclass(frozen=True)
class ContactsInput:
    reached: int
    private: int
    project: int
    ages: list[int]
    networks: dict[str, int]

    def values(self) -> dict[str, int]:
        out = {REACHED: self.reached, PRIVATE: self.private, PROJECT: self.project}
        out.update(zip(AGES, self.ages, strict=False))
        out.update({code: self.networks.get(code, 0) for code in NETWORK_CODES})
        return out


def parse_contacts(
    reached: str | None, private: str | None, project: str | None, ages: str | None, networks: str | None
) -> ContactsInput:
    given = ContactsInput(
        parse_count(reached, CONTACTS[REACHED]),
        parse_count(private, CONTACTS[PRIVATE]),
        parse_count(project, CONTACTS[PROJECT]),
        parse_split(ages, len(AGES), "Par âge (11–14 / 15–17 / 18–25 / parents)", "2 / 3 / 1 / 0"),
        parse_networks(networks),
    )
    if sum(given.ages) > given.private:
        raise ValidationError(ERR_AGES_TOO_MANY.format(ages=sum(given.ages), private=given.private))
    return given


THEME_PAIRS = [tuple(list(THEMES)[i : i + 2]) for i in range(0, len(THEMES), 2)]


def parse_themes(pairs: Sequence[str | None]) -> dict[str, int]:
    """Five inputs of two themes each ("3 / 1") → theme code → count."""
    out: dict[str, int] = {}
    for codes, text in zip(THEME_PAIRS, pairs, strict=False):
        label = " / ".join(THEMES[c] for c in codes)
        out.update(zip(codes, parse_split(text, 2, label, "3 / 1"), strict=True))
    return out


# -- storing a month ------------------------------------------------------------------------


async def _replace(
    session: AsyncSession, member: Member, month: date, values: dict[str, int], codes: tuple[str, ...]
) -> None:
    # The member's row locked first (PostgreSQL): a double submission waits, then replaces.
    await session.execute(select(Member.id).where(Member.id == member.id).with_for_update())
    await session.execute(
        delete(MonthlyCount).where(
            MonthlyCount.guild_id == member.guild_id,
            MonthlyCount.member_id == member.id,
            MonthlyCount.month == month,
            MonthlyCount.indicator.in_(codes),
        )
    )
    period = member.current_period
    territory = period.territory_code if period else None
    for code in codes:
        value = values.get(code, 0)
        if value or code in CONTACTS or code in AGES or code in THEMES:
            session.add(
                MonthlyCount(
                    guild_id=member.guild_id,
                    member_id=member.id,
                    month=month,
                    territory_code=territory,
                    indicator=code,
                    value=value,
                )
            )
    await session.flush()


@requires_lock
async def save_contacts(
    session: AsyncSession, guild_id: int, discord_id: int, month: date, given: ContactsInput, *, today: date
) -> None:
    """Step 1 of the form (replaces what was given for the month)."""
    check_editable(month, today)
    member = await members_service.require_profile(session, guild_id, discord_id)
    await _replace(session, member, month, given.values(), STEP1_CODES)


@requires_lock
async def save_themes(
    session: AsyncSession, guild_id: int, discord_id: int, month: date, themes: dict[str, int], *, today: date
) -> None:
    """Step 2 of the form."""
    check_editable(month, today)
    member = await members_service.require_profile(session, guild_id, discord_id)
    await _replace(session, member, month, themes, tuple(THEMES))


async def month_entry(session: AsyncSession, guild_id: int, discord_id: int, month: date) -> dict[str, int]:
    """What the member gave for the month (empty if nothing), to pre-fill the form."""
    member = await members_service.find_by_discord(session, guild_id, discord_id)
    if member is None:
        return {}
    rows = await session.execute(
        select(MonthlyCount.indicator, MonthlyCount.value).where(
            MonthlyCount.guild_id == guild_id, MonthlyCount.member_id == member.id, MonthlyCount.month == month
        )
    )
    return dict(rows.all())


# -- the monthly offer -----------------------------------------------------------------------


async def offer_targets(session: AsyncSession, guild_id: int, month: date, *, unanswered_only: bool) -> list[int]:
    """Discord ids of the Promeneurs to offer the form of `month` to: on Discord, active
    during the month, not anonymised, not opted out (and, for the reminder, who have not
    answered)."""
    stmt = select(Member.discord_id).where(
        Member.guild_id == guild_id,
        Member.discord_id.is_not(None),
        Member.anonymised_at.is_(None),
        Member.monthly_form_off.is_(False),
        Member.joined_on <= month_end(month),
        or_(Member.left_on.is_(None), Member.left_on >= month),
    )
    if unanswered_only:
        answered = select(MonthlyCount.member_id).where(
            MonthlyCount.guild_id == guild_id,
            MonthlyCount.month == month,
            MonthlyCount.indicator == REACHED,
            MonthlyCount.member_id.is_not(None),
        )
        stmt = stmt.where(Member.id.not_in(answered))
    return [user for user in (await session.scalars(stmt.order_by(Member.id))).all() if user is not None]


async def set_offer(session: AsyncSession, guild_id: int, discord_id: int, *, on: bool) -> Member:
    """Turn the monthly DM offer on or off for the member."""
    member = await members_service.require_profile(session, guild_id, discord_id)
    member.monthly_form_off = not on
    await session.flush()
    return member


# -- personal data -------------------------------------------------------------------------


async def _export(session: AsyncSession, member: Member) -> dict[str, Any]:
    from bot.services import presence

    rows = await session.scalars(
        select(MonthlyCount)
        .where(MonthlyCount.guild_id == member.guild_id, MonthlyCount.member_id == member.id)
        .order_by(MonthlyCount.month, MonthlyCount.indicator)
    )
    return {
        "quartier_prioritaire": member.priority_district,
        "zone_rurale": member.rural_area,
        "bilan_mensuel_propose": not member.monthly_form_off,
        "bilans_mensuels": [
            {"mois": month_label(r.month), "indicateur": LABELS.get(r.indicator, r.indicator), "valeur": r.value}
            for r in rows
        ],
        "permanences": await presence.export_member(session, member),
    }


async def _anonymise(session: AsyncSession, member: Member, now: Any) -> None:
    """The counts stay (statistics, no person in them; the member row they point to is
    anonymised). The member's open slots are closed: /permanences no longer shows them; the
    past years' weekly hours keep them."""
    from bot.clock import today as paris_today
    from bot.db.models.indicators import PresenceSlot

    await session.execute(
        update(PresenceSlot)
        .where(PresenceSlot.member_id == member.id, PresenceSlot.removed_on.is_(None))
        .values(removed_on=paris_today(now))
    )


PRIVACY_HOOK = PrivacyHook(name="indicateurs", export=_export, anonymise=_anonymise)
