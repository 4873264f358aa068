"""French texts of the recurring series (/evenement serie, serie-modifier, serie-annuler)."""

SERIES_CREATED = (
    "Série **{title}** créée\u00a0: {rule} ({count}). Chaque date est annoncée {days} avant, "
    "avec ses inscriptions et ses rappels."
)
SERIES_DATES_ONE = "1 date"
SERIES_DATES_MANY = "{count} dates"
SERIES_DAYS_ONE = "1 jour"
SERIES_DAYS_MANY = "{count} jours"
SERIES_FIRST_ANNOUNCED = "\nDéjà annoncées\u00a0: {dates}.{announced}"
SERIES_NEXT = "\nProchaine annonce\u00a0: {when}."
SERIES_UPDATED = "Série **{title}** modifiée\u00a0: {rule}. {count}{notified}"
SERIES_UPDATED_EVENTS_NONE = "Aucune date déjà annoncée n'était concernée."
SERIES_UPDATED_EVENTS_ONE = "1 date déjà annoncée modifiée."
SERIES_UPDATED_EVENTS_MANY = "{count} dates déjà annoncées modifiées."
SERIES_CANCELLED = "Série **{title}** annulée\u00a0: plus aucune date ne sera annoncée. {count}{notified}"
SERIES_CANCELLED_EVENTS_NONE = "Aucune date déjà annoncée n'était à venir."
SERIES_CANCELLED_EVENTS_ONE = "1 date déjà annoncée annulée."
SERIES_CANCELLED_EVENTS_MANY = "{count} dates déjà annoncées annulées."
SERIES_CHOICE = "{title} · {rule}"
SERIES_REASON = " C'est toute la série qui s'arrête."
SERIES_FIELD = "Série"
ERR_SERIES_DURATION = (
    "La durée « {value} » n'est pas valide\u00a0: indiquez des minutes, par exemple 90 (entre 15 et 720)."
)
