"""French texts of /evenement, its announcement and its notifications."""

# Announcement embed
COUNT_LIMITED = "{registered}/{capacity} inscrits"
COUNT_UNLIMITED = "{registered} inscrits"
COUNT_WAITLIST = " · {waitlisted} en liste d'attente"
COUNT_FULL = " · complet"
FIELD_WHEN = "Quand"
FIELD_WHEN_VALUE = "{start}\njusqu'au {end}"
FIELD_WHEN_SAME_DAY = "{day}\nde {start} à {end}"
FIELD_DURATION = "Durée"
FIELD_FORMAT = "Format"
FIELD_PLACE = "Lieu"
FIELD_LINK = "Lien de visio"
FIELD_TERRITORY = "Territoire"
FIELD_AUDIENCE = "Public"
FIELD_DEADLINE = "Inscriptions jusqu'au"
FIELD_REGISTRATIONS = "Inscriptions"
SHARED = "Commun (tous les territoires)"
LINK_AFTER_REGISTRATION = "envoyé aux inscrits dans le rappel"
DAYS_HALF = "une demi-journée"
DAYS_ONE = "une journée"
DAYS_MANY = "{days} jours"
FOOTER = "Inscription avec les boutons ci-dessous ou /evenement inscrire"
CANCELLED_TITLE = "ANNULÉ · {title}"
CANCELLED_NOTE = "❌ Cet événement est annulé."
NO_WAITLIST = "sans liste d'attente"
BUTTON_REGISTER = "S'inscrire"
BUTTON_WITHDRAW = "Se désinscrire"

# Replies
CREATED = "Événement **{title}** créé."
RECORDED_PAST = (
    "Temps de réseau déjà tenu enregistré : **{title}**, {when} (sans annonce ni rappel). "
    "Il compte dans le bilan de son année. Ajoutez un présent oublié avec /evenement "
    "presences et l'option « sans_inscription »."
)
CREATED_ANNOUNCED = " Annonce publiée dans {channel}."
CREATED_NO_CHANNEL = (
    " Aucun salon d'annonces n'est configuré\u00a0: l'événement n'est pas annoncé. Choisissez-en un "
    "avec /config salons\u00a0; les inscriptions par /evenement inscrire fonctionnent déjà."
)
CREATED_ANNOUNCE_FAILED = (
    " L'annonce n'a pas pu être publiée dans {channel} (vérifiez les permissions du bot). "
    "Les inscriptions par /evenement inscrire fonctionnent."
)
REGISTERED = "C'est noté\u00a0: vous êtes inscrit·e à **{title}** ({when})."
WAITLISTED = (
    "L'événement **{title}** est complet\u00a0: vous êtes sur la liste d'attente, en position {rank}. "
    "Vous serez prévenu·e si une place se libère."
)
WITHDRAWN = "Vous êtes désinscrit·e de **{title}**."
WITHDRAWN_WAITLIST = "Vous avez quitté la liste d'attente de **{title}**."
UPDATED = "Événement **{title}** modifié ({fields}). {notified}"
UPDATED_NOTHING = "Rien n'a changé\u00a0: les valeurs indiquées sont déjà celles de l'événement."
CANCELLED = "Événement **{title}** annulé. {notified}"
CONFIRM_CANCEL = "Annuler **{title}** ({when}) ? {people} L'annulation ne se défait pas."
CONFIRM_PEOPLE_NONE = "Personne n'y est inscrit."
CONFIRM_PEOPLE_ONE = "La personne inscrite sera prévenue."
CONFIRM_PEOPLE_MANY = "Les {count} personnes inscrites seront prévenues."
CONFIRM_CANCEL_YES = "Oui, annuler l'événement"
NOTIFIED_NONE = "Personne n'était inscrit."
NOTIFIED_ONE = "{count} personne inscrite prévenue."
NOTIFIED_MANY = "{count} personnes inscrites prévenues."
NOTIFIED_FALLBACK_ONE = " {count} l'a été par une mention dans le salon d'annonces (messages privés fermés)."
NOTIFIED_FALLBACK_MANY = " {count} l'ont été par une mention dans le salon d'annonces (messages privés fermés)."
NOTIFIED_LATER_ONE = " {count} message n'a pas encore pu partir : le bot réessaie automatiquement."
NOTIFIED_LATER_MANY = " {count} messages n'ont pas encore pu partir : le bot réessaie automatiquement."
NOTIFIED_ALERTED_ONE = (
    " {count} personne n'a pas pu être prévenue : une alerte dans le salon de la coordination "
    "dit qui prévenir directement."
)
NOTIFIED_ALERTED_MANY = (
    " {count} personnes n'ont pas pu être prévenues\u00a0: une alerte dans le salon de la "
    "coordination dit qui prévenir directement."
)

# /evenement liste and mes-inscriptions
LIST_TITLE = "Événements à venir{filters}"
LIST_EMPTY = "Aucun événement à venir. La coordination les crée avec /evenement creer."
LIST_LINE = "**{title}** · {when} · {format} · {territory} · {count}"
MINE_TITLE = "Vos inscriptions"
MINE_EMPTY = "Vous n'êtes inscrit·e à aucun événement à venir. Voyez /evenement liste."
MINE_REGISTERED = "✅ **{title}** · {when} · {format}{link}"
MINE_WAITLISTED = "⏳ **{title}** · {when} · liste d'attente, position {rank}"

# Notifications (DM, with a fallback mention in the announcements channel)
DM_PROMOTED = (
    "Bonne nouvelle\u00a0: une place s'est libérée pour **{title}** ({when}). Vous êtes inscrit·e\u00a0! "
    "Si vous ne pouvez plus venir, désinscrivez-vous avec /evenement desinscrire."
)
FALLBACK_PROMOTED = (
    "{mentions}\u00a0: une place s'est libérée pour **{title}** ({when}), vous êtes inscrit·e "
    "(vos messages privés sont fermés, d'où ce message)."
)
DM_CHANGED = "L'événement **{title}** auquel vous êtes inscrit·e a changé ({fields})\u00a0:"
FALLBACK_CHANGED = "{mentions}\u00a0: l'événement **{title}** auquel vous êtes inscrit·e a changé ({fields})."
DM_CANCELLED = "L'événement **{title}** prévu {when} est annulé.{reason}"
FALLBACK_CANCELLED = "{mentions}\u00a0: l'événement **{title}** prévu {when} est annulé.{reason}"
REASON = " Motif\u00a0: {reason}"
DM_REMINDER = "Rappel\u00a0: **{title}** commence {when}.{where}"
REMINDER_PLACE = "\nLieu\u00a0: {place}"
REMINDER_LINK = "\nLien de visio\u00a0: {link}"
FALLBACK_REMINDER = "{mentions}\u00a0: rappel, **{title}** commence {when}."
WHEN_IN = "le {when}"
# Told to the coordination when a notification could not be delivered (bot.notifier adds why)
ALERT_REMINDER = (
    "Le rappel de **{title}** ({when}) n'a pas pu être remis à {mention}. Prévenez cette "
    "personne directement si besoin."
)
ALERT_PROMOTED = (
    "Une place s'est libérée pour **{title}** ({when}) et {mention} est désormais inscrit·e, "
    "mais le message qui le lui annonce n'a pas pu lui être remis. Prévenez cette personne "
    "directement."
)
ALERT_CHANGED = (
    "{mention} n'a pas pu être prévenu·e que **{title}** a changé ({fields}). Prévenez cette personne directement."
)
ALERT_CANCELLED = (
    "{mention} n'a pas pu être prévenu·e de l'annulation de **{title}** ({when}). Prévenez cette personne directement."
)

# Attendance
ATTENDANCE_TITLE = "Présences · {title}"
ATTENDANCE_HELP = (
    "Cochez les personnes présentes dans la liste (page {page}/{pages}). Ajoutez une personne "
    "venue sans inscription avec l'option «\u00a0sans_inscription\u00a0» de /evenement presences."
)
ATTENDANCE_EMPTY = (
    "Personne n'est inscrit à cet événement. Ajoutez les présents avec l'option «\u00a0sans_inscription\u00a0»."
)
ATTENDANCE_LINE_PRESENT = "✅ {name}{walk_in}"
ATTENDANCE_LINE_ABSENT = "❌ {name}"
ATTENDANCE_LINE_UNMARKED = "▫️ {name}"
ATTENDANCE_WALK_IN = " (sans inscription)"
ATTENDANCE_SUMMARY = (
    "**{present}** {present_word} · **{no_shows}** {absent_word}{unmarked} · {walk_ins} sans "
    "inscription · {registered}{fill}"
)
ATTENDANCE_UNMARKED = " · {unmarked}"
PRESENT_WORDS = ("présent·e", "présent·es")
ABSENT_WORDS = ("absent·e", "absent·es")
REGISTERED_WORDS = ("inscrit·e", "inscrit·es")
UNMARKED_WORDS = ("non pointé·e", "non pointé·es")
ATTENDANCE_FILL = " · taux de remplissage {rate}"
ATTENDANCE_SELECT = "Présents ({first}–{last})"
ATTENDANCE_SAVED = "Présences enregistrées."
REGISTRANTS_TITLE = "Inscrits · {title}"
REGISTRANTS_REGISTERED = "Inscrits ({count})"
REGISTRANTS_WAITLIST = "Liste d'attente ({count})"
REGISTRANTS_NONE = "Personne pour l'instant."
REGISTRANTS_MORE = "… et {count} autres"
REGISTRANTS_FOOTER = "Les présences se saisissent ici une fois l'événement commencé ({when})."
ATTENDANCE_WALK_IN_ADDED = "**{name}** est noté·e présent·e (venu·e sans inscription)."
PAGE_PREVIOUS = "◀ Précédents"
PAGE_NEXT = "Suivants ▶"

# Autocomplete
CHOICE = "{title} · {day}"
CHOICE_WAITLIST = "{title} · {day} (liste d'attente)"
CHOICE_TAKEN = "✅ {title} · {day} · présences saisies"

# /evenement attestation
CERTIFICATE_ONE = "Voici l'attestation de présence de **{name}** à « {title} » (PDF à imprimer)."
CERTIFICATE_ALL = "Voici les attestations de présence à « {title} » : {count}, une page chacune (PDF à imprimer)."
CERTIFICATE_OTHERS = (
    "Vous ne pouvez obtenir que votre propre attestation : laissez l'option « membre » vide. "
    "La coordination peut délivrer celle d'une autre personne."
)
CERTIFICATE_FILE = "attestation-{title}-{name}.pdf"
CERTIFICATE_FILE_ALL = "attestations-{title}.pdf"
