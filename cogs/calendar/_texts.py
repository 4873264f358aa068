"""French texts of the calendar feeds (what calendar applications show)."""

GUILD_CALENDAR = "{guild} · temps de réseau"
MEMBER_CALENDAR = "{guild} · mon agenda"
DEFAULT_GUILD = "Promeneurs du Net"
SESSION_SUMMARY = "Accompagnement n° {number} · {kind}"
SESSION_DESCRIPTION = (
    "Rendez-vous d'accompagnement (demande n° {number}). Le détail est dans le fil de la "
    "demande sur Discord, ou avec /accompagnement voir."
)
