"""French texts of /accompagnement and of the request buttons."""

# -- /accompagnement demander -------------------------------------------------------------
MODAL_TITLE = "Demande d'accompagnement"
LABEL_KIND = "Type d'accompagnement"
LABEL_MODE = "Modalité souhaitée"
LABEL_SUBJECT = "Sujet"
PLACEHOLDER_SUBJECT = "Ex.\u00a0: ouvrir un compte Instagram pro pour la structure"
LABEL_DETAILS = "Ce dont vous avez besoin"
PLACEHOLDER_DETAILS = "Décrivez votre besoin, votre contexte, ce que vous avez déjà essayé…"
LABEL_AVAILABILITY = "Vos disponibilités (facultatif)"
PLACEHOLDER_AVAILABILITY = "Ex.\u00a0: mardis après-midi, ou le 12/06 au matin"

CREATED = (
    "Votre demande **n°{number}** est enregistrée. La coordination la suit dans le fil "
    "privé {thread} (visible par vous et la coordination uniquement)."
)
CREATED_NO_THREAD = (
    "Votre demande **n°{number}** est enregistrée. Le salon des demandes n'est pas disponible "
    "pour l'instant\u00a0: la coordination la retrouve dans /accompagnement liste, et le fil privé "
    "sera créé dès que possible. Suivez-la avec /accompagnement voir numero:{number}."
)
NO_THREAD_WARNING = (
    "{role}⚠️ Demande **n°{number}** reçue ({kind} · {territory}), mais son fil privé n'a pas pu "
    "être créé dans le salon des demandes (salon absent ou permissions manquantes\u00a0: vérifiez "
    "/config salons). Consultez-la avec /accompagnement voir numero:{number}."
)
THREAD_NAME = "Demande n°{number} · {kind}"
THREAD_OPENING = "{role}Nouvelle demande de {requester}."
THREAD_OPENING_ROLE = "{role} · "

# -- the request embed --------------------------------------------------------------------
EMBED_TITLE = "Demande n°{number} · {subject}"
EMBED_TITLE_NO_SUBJECT = "Demande n°{number}"
FIELD_STATUS = "Statut"
FIELD_KIND = "Type"
FIELD_MODE = "Modalité"
FIELD_REQUESTER = "Demandé par"
FIELD_TERRITORY = "Territoire · volet"
FIELD_AVAILABILITY = "Disponibilités"
FIELD_CLAIMED = "Suivie par"
FIELD_SCHEDULED = "Séance prévue"
FIELD_OUTCOME = "Résultat"
FIELD_DURATION = "Durée"
FIELD_PEOPLE = "Personnes touchées"
FIELD_RATING = "Note"
FIELD_HISTORY = "Historique"
FIELD_SOURCE = "Origine"
SOURCE_OFFLINE = "Enregistrée par la coordination (aide donnée hors Discord)"
PURGED = "*Texte effacé (durée de conservation dépassée).*"
FOOTER = "Créée le {day}"
EMPTY = "—"
STATUS_EMOJI = {"open": "🟡", "claimed": "🔵", "scheduled": "🗓️", "done": "✅", "cancelled": "⚪"}

# -- buttons ----------------------------------------------------------------------------
BUTTON_CLAIM = "Prendre en charge"
BUTTON_SCHEDULE = "Planifier"
BUTTON_CLOSE = "Clore"
BUTTON_CANCEL = "Annuler"
BUTTON_CANCEL_CONFIRM = "Oui, annuler la demande"
BUTTON_CANCEL_KEEP = "Non, la garder"
CONFIRM_CANCEL = (
    "Annuler la demande n°{number} ? La coordination ne la suivra plus ; vous pourrez la rouvrir depuis son fil."
)
KEPT = "Rien n'a changé : la demande n°{number} est conservée."
BUTTON_REOPEN = "Rouvrir"
BUTTON_RATE = "{stars} {n}"

# -- modals -------------------------------------------------------------------------------
SCHEDULE_TITLE = "Planifier la demande n°{number}"
LABEL_WHEN = "Date et heure (heure de Paris)"
PLACEHOLDER_WHEN = "Ex.\u00a0: 15/06/2027 14h00"
CLOSE_TITLE = "Clore la demande n°{number}"
LABEL_OUTCOME = "Résultat (obligatoire)"
PLACEHOLDER_OUTCOME = "Ce qui a été fait, ce qui reste à faire…"
LABEL_DURATION = "Durée (facultatif)"
PLACEHOLDER_DURATION = "Ex.\u00a0: 45 min, 1h30"
LABEL_CLOSE_DAY = "Date de l'aide (aujourd'hui par défaut)"
PLACEHOLDER_CLOSE_DAY = "Ex. : 20/12/2026"
LABEL_PEOPLE = "Personnes touchées (facultatif)"
PLACEHOLDER_PEOPLE = "Nombre de professionnels accompagnés"

# -- confirmations (ephemeral) and thread lines --------------------------------------------
DONE_CLAIM = "Vous suivez désormais la demande n°{number}."
DONE_SCHEDULE = "Séance de la demande n°{number} planifiée le {when}. Rappels la veille et une heure avant."
DONE_CLOSE = "Demande n°{number} close. Merci\u00a0!"
DONE_CANCEL = "Demande n°{number} annulée."
DONE_REOPEN = "Demande n°{number} rouverte."
DONE_RATE = "Merci pour votre note ({rating}/5)\u00a0!"

LINE_CLAIM = "🔵 **{actor}** a pris en charge la demande."
LINE_SCHEDULE = "🗓️ **{actor}** a planifié une séance le **{when}**."
LINE_CLOSE = "✅ **{actor}** a clos la demande."
LINE_CANCEL = "⚪ **{actor}** a annulé la demande."
LINE_REOPEN = "🟡 **{actor}** a rouvert la demande."
RATE_PROMPT = (
    "{requester} Votre demande est close. Comment jugez-vous l'aide reçue\u00a0? Un clic suffit "
    "(1 = pas utile, 5 = très utile)."
)

# -- reminders and nudges ---------------------------------------------------------------------
REMINDER_DAY = "⏰ {people} Rappel\u00a0: la séance de la demande n°{number} a lieu **demain, {when}**."
REMINDER_HOUR = "⏰ {people} Rappel\u00a0: la séance de la demande n°{number} commence dans une heure ({when})."
REMINDER_DM_DAY = "⏰ Rappel : la séance de la demande d'accompagnement n°{number} a lieu **demain, {when}**.{thread}"
REMINDER_DM_HOUR = (
    "⏰ Rappel : la séance de la demande d'accompagnement n°{number} commence dans une heure ({when}).{thread}"
)
REMINDER_DM_THREAD = " Fil de la demande : <#{thread}>"
PASSED_PROMPT = (
    "{people} La séance du {when} est passée\u00a0: pensez à clore la demande n°{number} avec le "
    "bouton «\u00a0Clore\u00a0» (note de résultat, durée)."
)
PASSED_PROMPT_CHANNEL = (
    "{people} La séance du {when} (demande n°{number}) est passée\u00a0: pensez à la clore "
    "(/accompagnement voir numero:{number})."
)
NUDGE_TITLE = "{role}⏳ Demandes sans prise en charge depuis {days} jours ou plus\u00a0:"
NUDGE_LINE = "• **n°{number}** · {kind} · {territory} · depuis {age} j{link}"
NUDGE_FOOTER = "Cliquez sur «\u00a0Prendre en charge\u00a0» dans le fil, ou /accompagnement voir."

# -- told to the coordination when a notification could not be delivered (bot.notifier adds why)
ALERT_REMINDER = (
    "Le rappel de la séance de la demande n°{number} ({when}) n'a pas pu être remis à "
    "{mention}. Prévenez cette personne directement si besoin."
)
ALERT_PASSED = (
    "La séance de la demande n°{number} ({when}) est passée et la demande n'est pas close, mais "
    "le message qui le rappelle n'a pas pu être posté. Pensez à la clore avec /accompagnement voir "
    "numero:{number}."
)
ALERT_NUDGE = (
    "La relance des demandes sans prise en charge ({numbers}) n'a pas pu être publiée. "
    "Consultez-les avec /accompagnement liste."
)
ALERT_CARD = (
    "⚠️ Le message de la demande n°{number} dans son fil n'a pas pu être mis à jour : le bot n'a "
    "pas la permission « Envoyer des messages » dans ce fil ou le salon des demandes. Vérifiez "
    "les permissions du bot ; l'état à jour est dans /accompagnement voir numero:{number}."
)

# -- /accompagnement liste / voir ------------------------------------------------------------
LIST_TITLE = "Demandes d'accompagnement{filters}"
LIST_TITLE_MINE = "Vos demandes d'accompagnement{filters}"
LIST_EMPTY = "Aucune demande ne correspond."
LIST_LINE = "{emoji} **n°{number}** · {status} · {kind} · {territory}{who} · {day}{extra}"
LIST_NO_THREAD = " · ⚠️ fil privé non créé"
HISTORY_LINE = "{day} · {actor}\u00a0: {action}{detail}"
HISTORY_ACTIONS = {
    "created": "a fait la demande",
    "recorded": "a enregistré une aide hors Discord",
    "claimed": "a pris en charge",
    "scheduled": "a planifié",
    "done": "a clos (terminée)",
    "cancelled": "a annulé",
    "reopened": "a rouvert",
    "rated": "a noté",
}
SYSTEM_ACTOR = "Le bot"
ANY_STATUS_ACTIVE = "active"
ANY_STATUS_ALL = "all"
STATUS_ACTIVE_NAME = "En cours (non closes)"
STATUS_ALL_NAME = "Toutes"

# -- /accompagnement enregistrer, relances --------------------------------------------------
RECORDED = (
    "Aide enregistrée\u00a0: **n°{number}** · {kind} · {member} ({territory}) le {day}. Elle compte "
    "dans les bilans comme les autres."
)
NUDGE_SET = "Les demandes non prises en charge seront relancées après {days} jours, une fois par jour."

# -- redaction after an erasure ---------------------------------------------------------
LINE_MASKED = "⋯ *Ligne masquée : données personnelles effacées.*"

ERR_NUMBER = "Indiquez le numéro de la demande, par exemple 12."
