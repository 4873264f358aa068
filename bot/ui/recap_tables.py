"""The recap's tables as embeds (their text: `bot.ui.recap_text`) and the activities' table."""

from __future__ import annotations

from datetime import timedelta

import discord

from bot.clock import PARIS
from bot.dates import format_day
from bot.db.models.activity import ACTIVITY_KINDS
from bot.french import agree, plural
from bot.services.activity import HOURS_KINDS, SHORT_LABELS
from bot.services.periods import ALL, SHARED
from bot.services.recap import indicators as R
from bot.services.recap.data import SurveyResults, YearRecap
from bot.services.recap.indicators import Figure
from bot.services.recap.month import MonthSummary
from bot.ui import recap_indicators
from bot.ui.recap_cells import IMPORTED_MARK, month_name, number, percent, scope_name
from bot.ui.recap_text import bar, embed_codes, evolution_table, imported_notes, monospace, synthesis_value

MAX_EVOLUTION_YEARS_IN_EMBED = 6
EMBED_BUDGET = 5800
COLOUR = discord.Colour.dark_teal()


# The definitions are where a reader can find them: the sheet of the attached spreadsheet and
# the user guide (docs/recap.md, section « Les définitions des chiffres »).
SYNTHESIS_INTRO = (
    "Les chiffres de l'année, par territoire, en commun et pour l'ensemble. Définitions\u00a0: "
    "onglet «\u00a0Définitions\u00a0» du tableur joint, et guide d'utilisation, page «\u00a0Les bilans\u00a0», "
    "section «\u00a0Les définitions des chiffres\u00a0»."
)


TOO_MANY_TERRITORIES = (
    "{count} territoires\u00a0: le détail par territoire est dans le tableur joint "
    "(/bilan export pour le CSV ou le Markdown)."
)


def activity_rows(
    territories: dict[str, str], activities: dict[tuple[str, str], tuple[int, float]]
) -> tuple[list[str], list[list[str]]]:
    scopes = [c for c in territories if any(s == c for s, _ in activities)]
    if any(s == SHARED for s, _ in activities):
        scopes.append(SHARED)
    header = ["Activité", *scopes, "Total"]
    rows = []
    for kind in ACTIVITY_KINDS:
        per = [activities.get((s, kind), (0, 0.0))[1] for s in scopes]
        total = sum(q for (s, k), (_, q) in activities.items() if k == kind)
        if total:
            suffix = " h" if kind in HOURS_KINDS else ""
            rows.append([SHORT_LABELS[kind], *(number(v) + (suffix if v else "") for v in per), number(total) + suffix])
    return header, rows


# -- embeds ----------------------------------------------------------------------------------


def _scope_lines(recap: YearRecap, scope: str) -> str:
    """A territory's (or commun's, or all's) figures in four or five short lines."""
    f = recap.synthesis.get(scope, {})

    def v(key: str) -> str:
        return synthesis_value(recap, scope, key)

    lines = []
    if scope != SHARED:
        promeneurs = f.get(R.PROMENEURS)
        if promeneurs is not None and not promeneurs.imported:
            lines.append(
                f"**Promeneurs**\u00a0: {number(promeneurs.value)} ({number(f[R.YOUTH_COUNT].value)} Jeunesse"
                f" + {number(f[R.PARENTING_COUNT].value)} Parentalité) · au 31/12\u00a0: {v(R.AT_YEAR_END)}"
                f" · arrivées\u00a0: {v(R.ARRIVALS)} · départs\u00a0: {v(R.DEPARTURES)}"
            )
        else:
            lines.append(f"**Promeneurs**\u00a0: {v(R.PROMENEURS)}")
        lines.append(
            f"**Types de métiers**\u00a0: {v(R.PROFESSIONS)} · **types de structures**\u00a0: {v(R.STRUCTURE_TYPES)}"
        )
    lines.append(f"**Présentations du projet**\u00a0: {v(R.PRESENTATIONS)}")
    if scope != SHARED:
        lines.append(
            f"**Accompagnements**\u00a0: {v(R.ACCOMP_INDIVIDUAL)} individuels, {v(R.ACCOMP_TEAM)} d'équipe"
            f" ({v(R.ACCOMPANIMENTS)} tous types)"
        )
    sessions = f.get(R.SESSIONS)
    if sessions is not None and sessions.value is not None:
        hybrid = f.get(R.SESSIONS_HYBRID)
        hybrid_text = f" dont {plural(hybrid.value, 'hybride', 'hybrides')}" if hybrid and hybrid.value else ""
        days = agree((f.get(R.SESSION_DAYS) or Figure(None)).value, "jour", "jours")
        lines.append(
            f"**Temps de réseau**\u00a0: {v(R.SESSIONS)} ({v(R.SESSIONS_IN_PERSON)} en présentiel"
            f"{hybrid_text}, {v(R.SESSIONS_REMOTE)} à distance) · {v(R.SESSION_DAYS)} {days}"
        )
        if (f.get(R.ATTENDANCE) or Figure(None)).value:
            fill = f.get(R.FILL_RATE) or Figure(None)
            lines.append(
                f"Présences\u00a0: {v(R.ATTENDANCE)} · Promeneurs touchés\u00a0: {v(R.REACHED)}"
                + (f" · remplissage\u00a0: {v(R.FILL_RATE)}" if fill.value is not None else "")
            )
    else:
        lines.append(f"**Temps de réseau**\u00a0: {v(R.SESSIONS)}")
    return "\n".join(lines)[:1024]


def synthesis_embeds(recap: YearRecap) -> list[discord.Embed]:
    """The "Synthèse des données": one field per territory, commun and all; 24 fields per
    embed at most (more territories → more embeds)."""
    scopes = [*embed_codes(recap), SHARED, ALL]
    fields = [(scope_name(recap.territories, s), _scope_lines(recap, s)) for s in scopes]
    embeds: list[discord.Embed] = []
    for start in range(0, len(fields), 24):
        embed = discord.Embed(
            title=f"Bilan {recap.year} · Synthèse des données" + (" (suite)" if start else ""),
            colour=COLOUR,
        )
        if not start:
            embed.description = SYNTHESIS_INTRO
            if recap.is_empty:
                embed.description = (
                    f"Aucune donnée pour {recap.year}\u00a0: ni Promeneur actif, ni activité, ni "
                    "temps de réseau, ni accompagnement. Le bilan est vide."
                )
        for name, value in fields[start : start + 24]:
            embed.add_field(name=name, value=value, inline=False)
        embeds.append(embed)
    notes: list[str] = []
    if len(embed_codes(recap)) < len(recap.codes):
        notes.insert(0, TOO_MANY_TERRITORIES.format(count=len(recap.codes)))
    if notes:
        embeds[-1].add_field(name="À noter", value="\n".join(notes)[:1024], inline=False)
    return embeds


def evolution_embeds(recap: YearRecap) -> list[discord.Embed]:
    years = recap.evolution_years[-MAX_EVOLUTION_YEARS_IN_EMBED:]
    embeds = []
    scopes = [ALL, *embed_codes(recap)]
    for start in range(0, len(scopes), 3):
        embed = discord.Embed(
            title="Déploiement et évolution du projet" + (" (suite)" if start else ""),
            colour=COLOUR,
        )
        for scope in scopes[start : start + 3]:
            header, rows = evolution_table(recap, scope, years)
            value = "```\n" + monospace(header, rows) + "\n```"
            notes = imported_notes(recap, scope, years)
            if notes:
                value += "\n" + "\n".join(f"_{n}_" for n in notes)
            embed.add_field(name=scope_name(recap.territories, scope), value=value[:1024], inline=False)
        embed.set_footer(text=f"{IMPORTED_MARK} valeur importée · — inconnue")
        embeds.append(embed)
    return embeds


def survey_embed(recap: YearRecap) -> discord.Embed | None:
    results = recap.survey
    if results is None:
        return None
    return survey_results_embed(results, title=f"Bilan {recap.year} · Questionnaire d'évaluation")


def survey_results_embed(results: SurveyResults, *, title: str) -> discord.Embed:
    closes = (results.campaign.closes_at - timedelta(seconds=1)).astimezone(PARIS)
    embed = discord.Embed(title=title, colour=COLOUR)
    embed.description = (
        f"Questionnaire n°{results.campaign.number} (clôture le {format_day(closes)})\u00a0: "
        f"**{results.respondents}** {agree(results.respondents, 'réponse', 'réponses')} sur "
        f"{results.eligible} Promeneurs actifs au "
        f"lancement, soit un taux de réponse de **{percent(results.rate)}**."
    )
    for question, counts in results.distributions.items():
        total = results.respondents or 1
        lines = [f"`{bar(c / total, 10)}` {value}\u00a0: {c} ({percent(c / total)})" for value, c in counts]
        embed.add_field(name=question, value="\n".join(lines)[:1024] or "Aucune réponse.", inline=False)
    return embed


def work_embed(recap: YearRecap) -> discord.Embed | None:
    """Activities by type and territory, and the coordination time split."""
    header, rows = activity_rows(recap.territories, recap.activities)
    if not rows and not recap.coordination_split:
        return None
    embed = discord.Embed(title=f"Bilan {recap.year} · Activités et temps de coordination", colour=COLOUR)
    if rows:
        embed.add_field(
            name="Activités saisies", value=("```\n" + monospace(header, rows) + "\n```")[:1024], inline=False
        )
    if recap.coordination_split:
        lines = [
            f"`{bar(share)}` {scope_name(recap.territories, scope)}\u00a0: {number(hours)} h ({percent(share)})"
            for scope, hours, share in recap.coordination_split
        ]
        embed.add_field(name="Répartition du temps de coordination", value="\n".join(lines)[:1024], inline=False)
    return embed


def year_embeds(recap: YearRecap) -> list[discord.Embed]:
    embeds = synthesis_embeds(recap) + evolution_embeds(recap)
    for extra in (work_embed(recap), recap_indicators.embed(recap), survey_embed(recap)):
        if extra is not None:
            embeds.append(extra)
    return embeds


def month_embed(summary: MonthSummary) -> discord.Embed:
    s = summary
    embed = discord.Embed(title=f"Résumé du mois · {month_name(s.year, s.month)}", colour=COLOUR)
    embed.add_field(
        name="Promeneurs",
        value=f"Arrivées\u00a0: **{s.arrivals}** · départs\u00a0: **{s.departures}**\nActifs en fin de mois\u00a0: {s.active_at_end}",
        inline=False,
    )
    if s.requests_opened is not None:
        embed.add_field(
            name="Demandes d'accompagnement",
            value=(
                f"Ouvertes\u00a0: **{s.requests_opened}** · closes (réalisées)\u00a0: **{s.requests_done}**"
                f" · annulées\u00a0: {s.requests_cancelled}"
            ),
            inline=False,
        )
    if s.sessions is not None:
        total = s.sessions.get(ALL, {})
        attendance = (s.attendance or {}).get(ALL, {})
        embed.add_field(
            name="Temps de réseau",
            value=(
                f"Tenus\u00a0: **{number(total.get(R.SESSIONS, 0))}** "
                f"({number(total.get(R.SESSIONS_IN_PERSON, 0))} en présentiel, "
                f"{number(total.get(R.SESSIONS_REMOTE, 0))} à distance) · "
                f"{plural(total.get(R.SESSION_DAYS, 0), 'jour', 'jours')}\n"
                f"Présences\u00a0: {number(attendance.get(R.ATTENDANCE, 0))} · Promeneurs touchés\u00a0: "
                f"{number(attendance.get(R.REACHED, 0))}"
            ),
            inline=False,
        )
    if s.watch_items is not None:
        embed.add_field(
            name="Veille",
            value=f"Liens proposés\u00a0: **{s.watch_items}** · lettres publiées\u00a0: {s.digests}",
            inline=False,
        )
    header, rows = activity_rows(s.territories, s.activities)
    embed.add_field(
        name="Activités saisies",
        value=("```\n" + monospace(header, rows) + "\n```")[:1024] if rows else "Aucune activité saisie ce mois-ci.",
        inline=False,
    )
    return embed


def pack(embeds: list[discord.Embed]) -> list[list[discord.Embed]]:
    """Group embeds into messages: at most 10 per message and 6,000 characters in all."""
    messages: list[list[discord.Embed]] = [[]]
    size = 0
    for embed in embeds:
        length = len(embed)
        if messages[-1] and (len(messages[-1]) >= 10 or size + length > EMBED_BUDGET):
            messages.append([])
            size = 0
        messages[-1].append(embed)
        size += length
    return [m for m in messages if m]
