"""The French names of the kinds, modes and statuses of a request (shown by the cog, the
calendar, the exported data and the error messages)."""

from __future__ import annotations

from bot.db.models.requests import (
    CANCELLED,
    CLAIMED,
    COANIMATION,
    DONE,
    INDIVIDUAL,
    ON_SITE,
    OPEN,
    PHONE,
    PROJECT,
    SCHEDULED,
    TEAM,
    VISIO,
)

KIND_LABELS = {
    INDIVIDUAL: "Aide technique individuelle",
    TEAM: "Accompagnement d'équipe",
    PROJECT: "Soutien à un projet",
    COANIMATION: "Co-animation d'une action",
}
MODE_LABELS = {PHONE: "Téléphone", VISIO: "Visio", ON_SITE: "Sur place"}
STATUS_LABELS = {
    OPEN: "Ouverte",
    CLAIMED: "Prise en charge",
    SCHEDULED: "Planifiée",
    DONE: "Terminée",
    CANCELLED: "Annulée",
}


def kind_label(kind: str | None) -> str:
    return KIND_LABELS.get(kind or "", "—")


def mode_label(mode: str | None) -> str:
    return MODE_LABELS.get(mode or "", "—")


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)
