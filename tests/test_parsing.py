"""Unit tests of the one place that reads ids and numbers (bot/parsing.py), of text cleaning
and quoting (bot/text.py), of the date rules (bot/dates.py) and of Discord's limits
(bot/limits.py). The hostile values follow the classes of the "big list of naughty strings"
(minimaxir/big-list-of-naughty-strings); the values are written here."""

from __future__ import annotations

from datetime import date

import discord
import pytest
from discord import app_commands

from bot.dates import parse_clock, parse_date, parse_datetime
from bot.errors import NotFoundError, UserError, ValidationError
from bot.limits import fit_choices, fit_content, fit_embeds, fit_message
from bot.parsing import (
    INT32_MAX,
    INT64_MAX,
    has_foreign_digits,
    is_id,
    parse_decimal,
    parse_id,
    parse_int,
)
from bot.text import clean_text, has_visible, one_line, quote

UNKNOWN = "Cet élément est introuvable."


# -- ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("#12", 12),
        ("n°12", 12),
        ("N° 12", 12),
        (12, 12),
        ("007", 7),
        (str(INT32_MAX), INT32_MAX),
    ],
)
def test_parse_id_reads_ascii_ids(value, expected) -> None:
    assert parse_id(value, unknown=UNKNOWN) == expected


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        None,
        "0",
        "-3",
        "+3",
        "1.5",
        "1e3",
        "abc",
        "12abc",
        "0x10",
        "1_000",
        str(INT32_MAX + 1),
        str(2**63),
        str(2**64),
        "9" * 30,
        "1" * 10_000,
        0,
        -1,
        2**40,
        True,
    ],
)
def test_parse_id_refuses_anything_else_as_unknown(value) -> None:
    with pytest.raises(NotFoundError) as raised:
        parse_id(value, unknown=UNKNOWN)
    assert raised.value.message == UNKNOWN


def test_parse_id_range_follows_the_column() -> None:
    big = str(INT64_MAX)
    assert parse_id(big, unknown=UNKNOWN, maximum=INT64_MAX) == INT64_MAX
    with pytest.raises(NotFoundError):
        parse_id(str(INT64_MAX + 1), unknown=UNKNOWN, maximum=INT64_MAX)
    with pytest.raises(NotFoundError):
        parse_id(big, unknown=UNKNOWN)


@pytest.mark.parametrize("value", ["²", "1²", "٣", "١٢", "１", "１２", "½", "Ⅻ", "৩", "𝟙"])
def test_non_ascii_digits_are_refused_with_a_clear_message(value: str) -> None:
    assert has_foreign_digits(value)
    for parse in (
        lambda: parse_id(value, unknown=UNKNOWN),
        lambda: parse_int(value, minimum=0, maximum=10),
        lambda: parse_decimal(value, minimum=0, maximum=10),
    ):
        with pytest.raises(ValidationError) as raised:
            parse()
        assert raised.value.message == f"«\u00a0{value}\u00a0»\u00a0: écrivez les nombres avec les chiffres 0 à 9."


def test_is_id_tells_ids_from_names() -> None:
    assert is_id("42") and is_id(" 42 ")
    assert not is_id("Alice") and not is_id("²") and not is_id("") and not is_id(None)


# -- whole and decimal numbers ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [("5", 5), (" 5 ", 5), ("1 000", 1000), ("-2", -2), (7, 7)])
def test_parse_int(value, expected) -> None:
    assert parse_int(value, minimum=-5, maximum=2000) == expected


@pytest.mark.parametrize("value", ["", "x", "1.5", "1,5", "1e3", "nan", "inf", "9" * 30, "1" * 10_000, "2001", "-6"])
def test_parse_int_refuses_with_the_range(value: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_int(value, minimum=-5, maximum=2000)
    assert raised.value.message.endswith("n'est pas un nombre entier entre -5 et 2000.")
    assert len(raised.value.message) < 200


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1,5", 1.5), ("0.5", 0.5), ("2", 2.0), (",5", 0.5), ("3,", 3.0), (" 1 ", 1.0), (1.5, 1.5), (2, 2.0)],
)
def test_parse_decimal(value, expected) -> None:
    assert parse_decimal(value, minimum=0.5, maximum=30) == expected


@pytest.mark.parametrize(
    "value",
    [
        "nan",
        "NaN",
        "inf",
        "-inf",
        "Infinity",
        "1e309",
        "1e3",
        "0x1p3",
        "1,5,5",
        "1.5.5",
        ",",
        "",
        "0",
        "31",
        "-1",
        "1" * 10_000,
        "9" * 30,
        float("nan"),
        float("inf"),
        float("-inf"),
        1e309,
    ],
)
def test_parse_decimal_refuses_nan_infinity_exponents_and_out_of_range(value) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_decimal(value, minimum=0.5, maximum=30)
    assert raised.value.message.endswith("n'est pas un nombre entre 0,5 et 30.")
    assert len(raised.value.message) < 200


def test_custom_messages_get_the_quoted_value_and_range() -> None:
    with pytest.raises(ValidationError) as raised:
        parse_int("x" * 500, minimum=1, maximum=500, error="«\u00a0{value}\u00a0»\u00a0: de {min} à {max}.")
    assert raised.value.message == "«\u00a0" + "x" * 79 + "…\u00a0»\u00a0: de 1 à 500."  # the caller's template
    with pytest.raises(ValidationError) as raised:  # braces in the input are not a template
        parse_int("{max}{0}", minimum=1, maximum=5, error="«\u00a0{value}\u00a0»\u00a0?")
    assert raised.value.message == "«\u00a0{max}{0}\u00a0»\u00a0?"


# -- text ---------------------------------------------------------------------------------------------

INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u0301",
    "\u0301\u0308",
    "\u202e",
    "\u2066\u2069",
    "\u200e\u200f",
    "\u3164",
    "\u115f",
    "\u2800",
    "\u034f",
    "\ufe0f",
    " \u200b \u00a0\u3000 ",
    "\u180e",
    "\x00\x07",
]


@pytest.mark.parametrize("value", INVISIBLE)
def test_invisible_only_text_is_empty(value: str) -> None:
    assert not has_visible(value)
    assert clean_text(value, "Le titre", 100) is None
    assert clean_text(value, "Le titre", 100, multiline=True) is None
    with pytest.raises(ValidationError) as raised:
        clean_text(value, "Le titre", 100, required=True)
    assert raised.value.message == "Le titre est obligatoire."


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("  Atelier   TikTok ", "Atelier TikTok"),
        ("\u200bAtelier\u200b", "Atelier"),
        ("Ate\u202elier", "Atelier"),  # no bidi override in what is stored
        ("Cafe\u0301", "Café"),  # NFC
        ("👩‍💻 Atelier", "👩‍💻 Atelier"),  # the joiner inside an emoji stays
        ("Zoë\u00ad", "Zoë"),
        ("\ufeffBOM", "BOM"),
        ("Ate\ud800lier", "Atelier"),  # a lone surrogate cannot be stored as UTF-8
    ],
)
def test_clean_text_keeps_the_visible_text(value: str, expected: str) -> None:
    assert clean_text(value, "Le titre", 100) == expected


def test_clean_text_multiline_keeps_paragraphs() -> None:
    assert clean_text("Ligne 1 \n\n\u200b\n  Ligne   2 ", "La note", 100, multiline=True) == "Ligne 1\n\n\nLigne 2"


def test_one_line() -> None:
    assert one_line(" a \n b\u200b ") == "a b"
    assert one_line(None) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("court", "court"),
        ("x" * 80, "x" * 80),
        ("x" * 81, "x" * 79 + "…"),
        ("x" * 10_000, "x" * 79 + "…"),
        ("a\nb\tc", "a b c"),
        ("a\u202eb", "ab"),
        (None, ""),
        (12, "12"),
    ],
)
def test_quote_is_one_short_line(value, expected: str) -> None:
    assert quote(value) == expected


# -- dates ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("15/06/2027", date(2027, 6, 15)),
        ("15/06/27", date(2027, 6, 15)),  # two-digit years are this century's
        ("01/01/01", date(2001, 1, 1)),
        ("2027-06-15", date(2027, 6, 15)),
        ("01/01/1900", date(1900, 1, 1)),
        ("31/12/2100", date(2100, 12, 31)),
    ],
)
def test_parse_date_accepts(value: str, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["01/01/0001", "31/12/1899", "01/01/2101", "01/01/9999", "0001-01-01"])
def test_implausible_years_are_refused_not_guessed(value: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_date(value)
    assert "n'est pas plausible" in raised.value.message
    assert "entre 1900 et 2100" in raised.value.message


@pytest.mark.parametrize("value", ["١٥/٠٦/٢٠٢٧", "１５/０６/２０２７", "1²/06/2027"])
def test_dates_in_other_digits_are_refused_clearly(value: str) -> None:
    with pytest.raises(ValidationError) as raised:
        parse_date(value)
    assert "chiffres 0 à 9" in raised.value.message


@pytest.mark.parametrize("value", ["1" * 10_000, "15/06/2027 " + "x" * 10_000, "x" * 41])
def test_overlong_dates_are_refused_with_a_short_quote(value: str) -> None:
    for parse in (parse_date, parse_datetime):
        with pytest.raises(ValidationError) as raised:
            parse(value)
        assert len(raised.value.message) < 250
        assert value[:81] not in raised.value.message or len(value) <= 80


@pytest.mark.parametrize(
    ("value", "expected"), [("9h", (9, 0)), ("9h30", (9, 30)), ("14:05", (14, 5)), (" 0 H ", (0, 0))]
)
def test_parse_clock(value: str, expected: tuple[int, int]) -> None:
    assert parse_clock(value) == expected


@pytest.mark.parametrize("value", ["24h", "9h60", "99h", "", "midi", "٩h", "９h", "9" * 10_000])
def test_parse_clock_refuses(value: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_clock(value)
    assert len(raised.value.message) < 200


# -- Discord's limits -----------------------------------------------------------------------------------


def test_fit_content() -> None:
    assert fit_content("a" * 2000) == "a" * 2000
    assert fit_content("a" * 10_000) == "a" * 1999 + "…"
    assert fit_content(None) is None


def _size(embeds: list[discord.Embed]) -> int:
    total = 0
    for embed in embeds:
        total += len(embed.title or "") + len(embed.description or "")
        total += sum(len(f.name or "") + len(f.value or "") for f in embed.fields)
        total += len(embed.footer.text or "") + len(embed.author.name or "")
    return total


def test_fit_embeds_respects_every_limit() -> None:
    embeds = []
    for _n in range(12):
        embed = discord.Embed(title="T" * 300, description="D" * 5000, colour=discord.Colour.teal())
        for _ in range(30):
            embed.add_field(name="N" * 300, value="V" * 2000)
        embed.set_footer(text="F" * 3000)
        embed.set_author(name="A" * 300)
        embeds.append(embed)
    fitted = fit_embeds(embeds)
    assert 1 <= len(fitted) <= 10
    assert _size(fitted) <= 6000
    for embed in fitted:
        assert len(embed.title or "") <= 256 and len(embed.description or "") <= 4096
        assert len(embed.fields) <= 25
        assert all(len(f.name) <= 256 and len(f.value) <= 1024 for f in embed.fields)
        assert len(embed.footer.text or "") <= 2048 and len(embed.author.name or "") <= 256
    assert fitted[0].colour == discord.Colour.teal()
    assert len(embeds[0].fields) == 30  # the originals are left as they were


def test_fit_embeds_leaves_a_fitting_embed_alone() -> None:
    embed = discord.Embed(title="Titre", description="Texte", colour=discord.Colour.blue())
    embed.add_field(name="a", value="1").add_field(name="b", value="2", inline=False)
    embed.set_footer(text="pied").set_author(name="Auteur")
    [fitted] = fit_embeds([embed])
    assert fitted.to_dict() == embed.to_dict()


def test_fit_message() -> None:
    kwargs = fit_message({"content": "x" * 3000, "embed": discord.Embed(title="t" * 300), "ephemeral": True})
    assert len(kwargs["content"]) == 2000 and len(kwargs["embed"].title) == 256 and kwargs["ephemeral"]
    assert len(fit_message({"embeds": [discord.Embed(title="t")] * 11})["embeds"]) == 10


def test_fit_choices() -> None:
    choices = [app_commands.Choice(name=f"{n} " + "n" * 200, value=str(n)) for n in range(40)]
    choices.append(app_commands.Choice(name="trop long", value="v" * 101))
    fitted = fit_choices(choices)
    assert len(fitted) == 25
    assert all(1 <= len(c.name) <= 100 for c in fitted)
    assert fitted[0].name.endswith("…") and fitted[0].value == "0"
    assert fit_choices([app_commands.Choice(name="x", value="v" * 101)]) == []
    assert fit_choices([app_commands.Choice(name="", value=3)])[0].name == "…"
