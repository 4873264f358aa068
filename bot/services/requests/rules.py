"""Who may do what to a request, and from which status (the status machine of
`bot.services.requests.lifecycle`): an impossible action is refused with a French message."""

from __future__ import annotations

from dataclasses import dataclass

from bot.db.models.requests import (
    ACTIVE,
    CLAIMED,
    CLOSED,
    DONE,
    OPEN,
    SCHEDULED,
    AccompanimentRequest,
)
from bot.errors import ConflictError, PermissionDeniedError
from bot.services.requests.labels import status_label

ERR_NOT_YOURS = (
    "Cette demande n'est pas la vôtre\u00a0: seuls son auteur·rice et la coordination peuvent la "
    "consulter ou agir dessus."
)
ERR_COORDINATION = "Seule la coordination peut {action} une demande."
ERR_ALREADY_CLAIMED = "Trop tard\u00a0: la demande n°{number} a déjà été prise en charge par {name}."
ERR_TRANSITION = "La demande n°{number} est «\u00a0{status}\u00a0»\u00a0: impossible de {action}."
ERR_CLAIM_FIRST = (
    "La demande n°{number} n'est encore prise en charge par personne\u00a0: cliquez d'abord sur "
    "«\u00a0Prendre en charge\u00a0»."
)
ERR_REQUESTER_CLOSE_OPEN = (
    "Personne n'a encore pris en charge la demande n°{number}\u00a0: si vous n'en avez plus besoin, annulez-la plutôt."
)
ERR_RATE_NOT_REQUESTER = "Seul·e l'auteur·rice de la demande peut noter l'accompagnement."

ACTION_VERBS = {
    "claim": "la prendre en charge",
    "schedule": "la planifier",
    "close": "la clore",
    "cancel": "l'annuler",
    "reopen": "la rouvrir",
    "rate": "la noter",
}
COORDINATION_VERBS = {"claim": "prendre en charge", "schedule": "planifier"}
ALLOWED_FROM = {
    "claim": (OPEN,),
    "schedule": (CLAIMED, SCHEDULED),
    "close": (CLAIMED, SCHEDULED),
    "cancel": ACTIVE,
    "reopen": CLOSED,
    "rate": (DONE,),
}
COORDINATION_ONLY = {"claim", "schedule"}


@dataclass(frozen=True)
class Actor:
    """Who acts: their Discord id, display name, and whether they are the coordination."""

    discord_id: int
    name: str
    coordinator: bool


def require_coordination(actor: Actor, verb: str) -> None:
    if not actor.coordinator:
        raise PermissionDeniedError(ERR_COORDINATION.format(action=verb))


def check(request: AccompanimentRequest, action: str, actor: Actor, requester_discord_id: int | None) -> None:
    """Refuse, with the reason, what this actor may not do to this request now."""
    is_requester = requester_discord_id is not None and requester_discord_id == actor.discord_id
    if not actor.coordinator and not is_requester:
        raise PermissionDeniedError(ERR_NOT_YOURS)
    if action in COORDINATION_ONLY:
        require_coordination(actor, COORDINATION_VERBS[action])
    if action == "rate" and not is_requester:
        raise PermissionDeniedError(ERR_RATE_NOT_REQUESTER)
    if request.status in ALLOWED_FROM[action]:
        return
    number = request.number
    if action == "claim" and request.status in (CLAIMED, SCHEDULED):
        raise ConflictError(
            ERR_ALREADY_CLAIMED.format(number=number, name=request.claimed_by_name or "la coordination")
        )
    if action in ("schedule", "close") and request.status == OPEN:
        if action == "close" and not actor.coordinator:
            raise ConflictError(ERR_REQUESTER_CLOSE_OPEN.format(number=number))
        raise ConflictError(ERR_CLAIM_FIRST.format(number=number))
    raise ConflictError(
        ERR_TRANSITION.format(number=number, status=status_label(request.status).lower(), action=ACTION_VERBS[action])
    )
