"""French typography, numbers, percentages and plurals (bot.french), and the tool that fixes
the text constants in place (tools/french_typography.py)."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from bot.french import NBSP, NNBSP, agree, num, pct, percent, plural, typo, violations
from tools import french_typography as tool

N = NBSP

# Cases modeled on the rules of the Lexique des règles typographiques en usage à l'Imprimerie
# nationale (espaces avant la ponctuation haute, guillemets français), written for this bot.
TYPO_CASES = [
    ("Ex. : ouvrir", f"Ex.{N}: ouvrir"),
    ("Merci !", f"Merci{N}!"),
    ("Merci!", f"Merci{N}!"),
    ("Vraiment ?", f"Vraiment{N}?"),
    ("un ; deux", f"un{N}; deux"),
    ("(pourquoi ?)", f"(pourquoi{N}?)"),
    ("**Titre :**", f"**Titre{N}:**"),
    ("« bonjour »", f"«{N}bonjour{N}»"),
    ("«bonjour»", f"«{N}bonjour{N}»"),
    ("« {value} » n'est pas valide : indiquez", f"«{N}{{value}}{N}» n'est pas valide{N}: indiquez"),
    ("{label} : {count}", f"{{label}}{N}: {{count}}"),
    ("{label}: {count}", "{label}: {count}"),  # glued to a placeholder: its value decides
    ("Note: fine", f"Note{N}: fine"),
    # left alone: times, option syntax, URLs, Discord markup, emoji codes, narrow spaces
    ("à 9:30 précises", "à 9:30 précises"),
    ("/accompagnement voir numero:{number}.", "/accompagnement voir numero:{number}."),
    ("https://example.org/?a=b;c=d!", "https://example.org/?a=b;c=d!"),
    ("<t:1800000000:F> et <#123> et <@&45>", "<t:1800000000:F> et <#123> et <@&45>"),
    (":tada: bravo", ":tada: bravo"),
    ("`a : b`", "`a : b`"),
    (f"déjà{NNBSP}: ok «{NNBSP}x{NNBSP}»", f"déjà{NNBSP}: ok «{NNBSP}x{NNBSP}»"),
    (f"déjà{N}: ok", f"déjà{N}: ok"),
    # a closing quote never starts a line alone
    ("a « ». b", f"a «{N}». b"),
    ("« »", f"«{N}»"),
]


@pytest.mark.parametrize(("text", "expected"), TYPO_CASES)
def test_typo(text: str, expected: str) -> None:
    assert typo(text) == expected
    assert typo(expected) == expected  # idempotent
    assert violations(expected) == []
    assert bool(violations(text)) == (text != expected)


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0 lien"),
        (1, "1 lien"),
        (1.5, "1,5 lien"),
        (1.96, "2 liens"),
        (2, "2 liens"),
        (3, "3 liens"),
        (1234, f"1{NNBSP}234 liens"),
        (None, "— lien"),
    ],
)
def test_plural_by_count(count: float | None, expected: str) -> None:
    assert plural(count, "lien", "liens") == expected


def test_agree_and_half_days() -> None:
    assert plural(1.5, "jour", "jours") == "1,5 jour"
    assert plural(12.5, "jour", "jours") == "12,5 jours"
    assert agree(1, "présent·e", "présent·es") == "présent·e"
    assert agree(7, "présent·e", "présent·es") == "présent·es"


@pytest.mark.parametrize(
    ("share", "expected"),
    [
        (0.625, "63"),
        (0.615, "62"),
        (0.145, "15"),
        (0.0049, "0"),
        (0.005, "1"),
        (1, "100"),
        (Fraction(5, 8), "63"),
        (Fraction(1, 3), "33"),
        (Fraction(2, 3), "67"),
        (0.125, "13"),
    ],
)
def test_percentages_round_half_up(share: float | Fraction, expected: str) -> None:
    assert pct(share) == f"{expected}{NBSP}%"


def test_percent_of_counts() -> None:
    assert percent(5, 8) == f"63{NBSP}%"  # 62,5 → 63 (Python's round() gives 62)
    assert percent(29, 200) == f"15{NBSP}%"  # 14,5 → 15
    assert percent(3, 0) == "—"
    assert pct(None) == "—"


def test_numbers() -> None:
    assert num(12) == "12"
    assert num(12.5) == "12,5"
    assert num(2.25) == "2,3"  # half up
    assert num(1234.5) == f"1{NNBSP}234,5"
    assert num(None) == "—"


# -- the fixing tool ------------------------------------------------------------------------

SOURCE = '''"""Module docstring : kept as written."""

import re

TITLE = "Bienvenue !"
LONG = (
    "Première ligne : suite "
    'et « citation » ; fin\\u2014ok\\n'
)
ALREADY = "Déjà\\u00a0: bon"
CHOICES = {"open": "Ouverte : oui", "done": "Close !"}
FORMATTED = f"{TITLE} : pas touché"
PATTERN = r"(\\d+) ?: x"
lower = "minuscule : pas une constante"
_PRIVATE = "Privée ?"


def helper(text: str) -> str:
    return text + " : code"  # code is never touched
'''


def test_fix_rewrites_only_the_constants_literals(tmp_path: Path) -> None:
    path = tmp_path / "texts.py"
    path.write_text(SOURCE, encoding="utf-8")
    changed, skipped = tool.fix_file(path)
    fixed = path.read_text(encoding="utf-8")
    assert changed == 6
    assert sorted(skipped) == ["FORMATTED", "PATTERN"]
    assert 'TITLE = "Bienvenue\\u00a0!"' in fixed
    assert '"Première ligne\\u00a0: suite "' in fixed
    assert "'et «\\u00a0citation\\u00a0»\\u00a0; fin\\u2014ok\\n'" in fixed  # escapes kept
    assert '{"open": "Ouverte\\u00a0: oui", "done": "Close\\u00a0!"}' in fixed
    assert '_PRIVATE = "Privée\\u00a0?"' in fixed
    for untouched in (
        '"""Module docstring : kept as written."""',
        'f"{TITLE} : pas touché"',
        'r"(\\d+) ?: x"',
        '"minuscule : pas une constante"',
        '" : code"',
    ):
        assert untouched in fixed
    namespace: dict[str, object] = {}
    exec(compile(fixed, "texts.py", "exec"), namespace)
    assert namespace["LONG"] == f"Première ligne{NBSP}: suite et «{NBSP}citation{NBSP}»{NBSP}; fin—ok\n"
    # idempotent
    assert tool.fix_file(path)[0] == 0
    assert path.read_text(encoding="utf-8") == fixed


TEST_SOURCE = '''"""Docstring : kept."""

EXPECTED = "Demande close. Merci !"


def test_x(w) -> None:
    """Docstring : kept."""
    assert text == f"Salons enregistrés.\\nAnnonces : <#{w.id}>"
    assert other == rf"raw : kept {w}"
'''


def test_fix_tests_expected_texts(tmp_path: Path) -> None:
    path = tmp_path / "test_x.py"
    path.write_text(TEST_SOURCE, encoding="utf-8")
    assert tool.fix_file(path, every_literal=True)[0] == 2
    fixed = path.read_text(encoding="utf-8")
    assert fixed.count('"""Docstring : kept."""') == 2
    assert 'EXPECTED = "Demande close. Merci\\u00a0!"' in fixed
    assert 'f"Salons enregistrés.\\nAnnonces\\u00a0: <#{w.id}>"' in fixed
    assert 'rf"raw : kept {w}"' in fixed
    assert tool.fix_file(path, every_literal=True)[0] == 0


def test_english_glued_colons_stay_in_the_tests(tmp_path: Path) -> None:
    path = tmp_path / "test_cli.py"
    path.write_text('assert "Settings: ok" in out\nassert "Merci !" in out\n', encoding="utf-8")
    assert tool.fix_file(path, every_literal=True)[0] == 1
    assert path.read_text(encoding="utf-8") == 'assert "Settings: ok" in out\nassert "Merci\\u00a0!" in out\n'


def test_fields_that_are_no_break_spaces_count_as_such(tmp_path: Path) -> None:
    path = tmp_path / "test_y.py"
    source = 'assert t == f"«{NBSP}{title}{NBSP}» : ok"\nassert u == f"«{N}x{N}»"\n'
    path.write_text(source, encoding="utf-8")
    assert tool.fix_file(path, every_literal=True)[0] == 1
    assert path.read_text(encoding="utf-8") == source.replace("» : ok", "»\\u00a0: ok")


def test_every_text_constant_is_french() -> None:
    """Every module-level text constant of bot/ and cogs/ (the rule: tools/french_typography.py)
    has its no-break spaces. To fix: `python -m tools.french_typography --fix`."""
    findings = tool.check()
    assert findings == [], "\n".join(str(f) for f in findings)
    assert len(tool.source_files()) > 50  # the scan sees the whole code


def test_the_e2e_check_reports_the_bot_texts_but_not_what_people_typed() -> None:
    from types import SimpleNamespace

    from tests.french_check import typography_faults

    def sent(body: dict) -> SimpleNamespace:
        return SimpleNamespace(method="POST", path="/channels/1/messages", json=body)

    typed = {"data": {"components": [{"components": [{"value": "Bonjour ! Une question ?"}]}]}}
    env = SimpleNamespace(
        http_requests=[
            sent({"content": f"Votre demande{N}: «{N}Bonjour ! Une question ?{N}»"}),
            sent({"embeds": [{"title": "Bilan", "footer": {"text": "Merci !"}}]}),
            sent({"components": [{"components": [{"label": "« Clore »", "custom_id": "a : b"}]}]}),
        ],
        backend=SimpleNamespace(transcript=[("GATEWAY", "INTERACTION_CREATE", typed)]),
    )
    assert typography_faults(env) == ["Merci !", "« Clore »"]
