"""/evenement creer's form through SimCord: five texts, then the draft's selects and
« Créer »; a refused value keeps everything typed (« Corriger »); the draft survives a
restart; the templates and /evenement dupliquer prefill the form."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot.db import Database
from bot.db.models.events import Event, EventFormDraft

DESCRIPTION = "Matin\u00a0: les réseaux des 11-15 ans.\nAprès-midi\u00a0: ateliers pratiques.\n\n" + "Détails. " * 100
FORM = {
    "title": "Journée réseaux sociaux",
    "description": DESCRIPTION,
    "start": "22/06/2027 9h30",
    "end": "16h30",
    "where": "Centre social, Riom",
}


def content(result) -> str:
    if result.followups:
        return result.followups[-1].content or ""
    return result.response.content or ""


def message_of(result):
    return result.followups[-1] if result.followups else result.response.message


async def count(db: Database, model) -> int:
    async with db.transaction() as session:
        return await session.scalar(select(func.count()).select_from(model))


async def test_form_then_selects_then_create(profiles, db: Database, make_bot) -> None:
    w = profiles
    shown = await w.coordinator.slash(w.general, "evenement creer")
    assert shown.modal is not None
    draft = await w.coordinator.submit_modal(shown, FORM)
    assert draft.ephemeral
    text = content(draft)
    assert text.startswith("**Journée réseaux sociaux** · mardi 22 juin 2027 à 9 h 30 · Centre social, Riom")
    message = message_of(draft)

    await w.coordinator.select(message, ["thematic_training"], custom_id=f"events:draft:type:{1}")
    await w.env.restart_bot(make_bot())  # the draft is in the database: nothing is lost
    await w.coordinator.select(message, ["in_person"], custom_id="events:draft:format:1")
    await w.coordinator.select(message, ["63"], custom_id="events:draft:territory:1")
    created = await w.coordinator.click(message, label="Créer")
    assert "Événement **Journée réseaux sociaux** créé." in content(created)
    async with db.transaction() as session:
        event = await session.scalar(select(Event))
    assert (event.type, event.format, event.territory_code, event.place) == (
        "thematic_training",
        "in_person",
        "63",
        "Centre social, Riom",
    )
    assert event.description.startswith("Matin\u00a0: les réseaux des 11-15 ans.\nAprès-midi")
    assert await count(db, EventFormDraft) == 0
    posted = [m for m in w.announcements.history() if m.embeds]
    assert posted and posted[-1].embeds[0].title == "Journée réseaux sociaux"


async def test_a_refused_date_keeps_everything_typed(profiles, db: Database) -> None:
    w = profiles
    shown = await w.coordinator.slash(w.general, "evenement creer")
    refused = await w.coordinator.submit_modal(shown, {**FORM, "start": "31/02/2027 9h30"})
    assert "«\u00a031/02/2027 9h30\u00a0»" in content(refused) and "Corriger" in content(refused)
    assert await count(db, Event) == 0
    again = await w.coordinator.click(message_of(refused), label="Corriger")
    assert again.modal is not None
    form = str(again.modal)
    assert "Journée réseaux sociaux" in form and "31/02/2027 9h30" in form and "ateliers pratiques" in form
    fixed = await w.coordinator.submit_modal(again, {**FORM, "start": "23/06/2027 9h30"})
    assert content(fixed).startswith("**Journée réseaux sociaux** · mercredi 23 juin 2027 à 9 h 30")
    assert await count(db, EventFormDraft) == 1  # the same draft, corrected

    message = message_of(fixed)
    await w.coordinator.select(message, ["remote"], custom_id="events:draft:format:1")
    await w.coordinator.select(message, ["thematic_training"], custom_id="events:draft:type:1")
    refused = await w.coordinator.click(message, label="Créer")  # visio without a link
    assert "Indiquez le lien de visio" in content(refused)
    assert await count(db, Event) == 0


async def test_template_and_copy_prefill_the_form(profiles, db: Database) -> None:
    w = profiles
    shown = await w.coordinator.slash(w.general, "evenement creer", modele="analyse")
    assert "Analyse de la pratique" in str(shown.modal) and "psychologue" in str(shown.modal)
    draft = await w.coordinator.submit_modal(
        shown,
        {"title": "Analyse de la pratique", "start": "06/07/2027 14h", "where": "Maison des associations, Moulins"},
    )
    message = message_of(draft)
    created = await w.coordinator.click(message, label="Créer")  # type and format from the template
    assert "Événement **Analyse de la pratique** créé." in content(created)
    async with db.transaction() as session:
        first = await session.scalar(select(Event))
    assert (first.type, first.format) == ("practice_review", "in_person")
    assert (first.ends_at - first.starts_at).total_seconds() == 150 * 60  # 2 h 30 by default

    copied = await w.coordinator.slash(w.general, "evenement dupliquer", evenement=str(first.id))
    assert "Maison des associations, Moulins" in str(copied.modal)
    draft = await w.coordinator.submit_modal(
        copied,
        {"title": "Analyse de la pratique", "start": "07/09/2027 14h", "where": "Maison des associations, Moulins"},
    )
    created = await w.coordinator.click(message_of(draft), label="Créer")
    async with db.transaction() as session:
        second = (await session.scalars(select(Event).order_by(Event.id))).all()[-1]
    assert second.id != first.id and second.type == "practice_review" and second.starts_at.month == 9
    refused = await w.alice.slash(w.general, "evenement dupliquer", evenement=str(first.id))
    assert refused.modal is None


async def test_places_and_reminders_form(profiles, db: Database) -> None:
    w = profiles
    shown = await w.coordinator.slash(w.general, "evenement creer", modele="formation")
    draft = await w.coordinator.submit_modal(
        shown,
        {"title": "Formation initiale des Promeneurs du Net", "start": "29/06/2027 9h30", "where": "Clermont-Ferrand"},
    )
    message = message_of(draft)
    options = await w.coordinator.click(message, label="Places et rappels…")
    assert options.modal is not None
    refused = await w.coordinator.submit_modal(options, {"capacity": "douze", "reminders": "48,2"})
    assert "«\u00a0douze\u00a0»" in content(refused)
    again = await w.coordinator.click(message_of(refused), label="Places et rappels…")
    assert "douze" in str(again.modal) and "48,2" in str(again.modal)  # what was typed comes back
    saved = await w.coordinator.submit_modal(
        again, {"capacity": "12", "deadline": "25/06/2027", "reminders": "48,2", "waitlist": "non"}
    )
    assert content(saved).startswith("C'est noté\u00a0: Places\u00a0: 12 · rappels\u00a0: 48,2 h avant")
    await w.coordinator.click(message, label="Créer")
    async with db.transaction() as session:
        event = await session.scalar(select(Event))
    assert (event.capacity, event.reminder_hours, event.waitlist_enabled) == (12, "48,2", False)
    assert (event.type, event.ends_at - event.starts_at) == ("onboarding_training", timedelta(hours=7))
    assert event.registration_deadline is not None
