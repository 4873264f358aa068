"""What the directory shows and sends: a member's profile as an embed (/profil voir,
/membres modifier), the directory's export (/membres export), a member's data (/mes-donnees)."""

from __future__ import annotations

import io
import json
from datetime import date
from typing import Any

import discord

from bot import spreadsheets
from bot.dates import format_day, format_short_day
from bot.db.models import Member
from bot.services import privacy
from bot.services.members import strand_label
from cogs.directory import _texts as T


def profile_embed(member: Member, territory_names: dict[str, str]) -> discord.Embed:
    def territory(code: str | None) -> str:
        return f"{code} {territory_names.get(code, '')}".strip() if code else T.EMPTY

    period = member.current_period
    embed = discord.Embed(title=T.PROFILE_TITLE.format(name=member.display_name), colour=discord.Colour.teal())
    if not member.is_on_discord and member.anonymised_at is None:
        embed.description = T.NOT_ON_DISCORD
    embed.add_field(name=T.FIELD_TERRITORY, value=territory(period.territory_code if period else None))
    embed.add_field(name=T.FIELD_STRAND, value=strand_label(period.strand if period else None))
    embed.add_field(name=T.FIELD_STRUCTURE, value=member.structure_name or T.EMPTY)
    embed.add_field(name=T.FIELD_STRUCTURE_TYPE, value=member.structure_type or T.EMPTY)
    embed.add_field(name=T.FIELD_PROFESSION, value=member.profession or T.EMPTY)
    flags = [
        label for flag, label in ((member.priority_district, T.FLAG_QPV), (member.rural_area, T.FLAG_RURAL)) if flag
    ]
    if flags:
        embed.add_field(name=T.FIELD_AREA, value=", ".join(flags))
    embed.add_field(name=T.FIELD_JOINED, value=format_day(member.joined_on))
    if member.left_on:
        embed.add_field(name=T.FIELD_LEFT, value=format_day(member.left_on))
    if len(member.periods) > 1:
        embed.add_field(
            name=T.FIELD_HISTORY,
            value="\n".join(
                T.HISTORY_LINE.format(
                    start=format_short_day(p.valid_from),
                    end=format_short_day(p.valid_to) if p.valid_to else T.HISTORY_NOW,
                    territory=territory(p.territory_code),
                    strand=strand_label(p.strand),
                )
                for p in member.periods[-10:]
            ),
            inline=False,
        )
    return embed


def directory_file(
    header: tuple[str, ...], rows: list[list[object]], *, xlsx: bool, day: date
) -> tuple[discord.File, str]:
    """The directory as a file (XLSX, or CSV for French Excel / LibreOffice) and its label."""
    if xlsx:
        data = spreadsheets.xlsx_bytes(T.EXPORT_SHEET, header, rows)
        filename, label = T.EXPORT_FILENAME_XLSX.format(day=day.isoformat()), T.EXPORT_XLSX
    else:
        data = spreadsheets.csv_bytes(header, rows)
        filename, label = T.EXPORT_FILENAME.format(day=day.isoformat()), T.EXPORT_CSV
    return discord.File(io.BytesIO(data), filename=filename), label


def my_data_files(data: dict[str, Any]) -> list[discord.File]:
    """A member's data as JSON (everything) and CSV (one line per record)."""
    payload = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    table = spreadsheets.csv_bytes(privacy.EXPORT_COLUMNS, privacy.export_rows(data))
    return [
        discord.File(io.BytesIO(payload), filename=T.MY_DATA_FILENAME),
        discord.File(io.BytesIO(table), filename=T.MY_DATA_CSV_FILENAME),
    ]
