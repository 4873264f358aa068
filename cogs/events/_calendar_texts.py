"""French texts of the calendar features of /evenement: the Events tab mirror and the
subscription link (kept apart from `_texts.py` so that the two evolve without clashing)."""

# The mirror in Discord's Events tab (a guild scheduled event)
MIRROR_ONLINE = "En ligne"
MIRROR_FOOTER = "Inscription : bouton « S'inscrire » de l'annonce, ou /evenement inscrire."
MIRROR_FORBIDDEN = (
    "⚠️ L'événement **{title}** n'apparaît pas à jour dans l'onglet « Événements » du serveur : "
    "le bot n'a pas la permission « Gérer les événements ». Donnez-la au rôle du bot "
    "(Paramètres du serveur → Rôles) : il réessaiera tout seul. L'annonce et les inscriptions "
    "fonctionnent normalement."
)
MIRROR_UNAVAILABLE = (
    "⚠️ Discord n'a pas accepté pour l'instant la mise à jour de l'événement **{title}** dans "
    "l'onglet « Événements » du serveur. Le bot réessaiera tout seul ; l'annonce et les "
    "inscriptions fonctionnent normalement."
)

# /evenement calendrier
CALENDAR_OFF = (
    "Les agendas en ligne ne sont pas activés sur ce bot. La personne qui l'héberge peut les "
    "activer (réglages WEB_PORT et PUBLIC_URL)."
)
CALENDAR_LINK = (
    "📅 **Votre agenda personnel** : vos inscriptions aux temps de réseau et vos rendez-vous "
    "d'accompagnement, mis à jour automatiquement.\n"
    "<{url}>\n\n"
    "Ajoutez ce lien comme agenda « par URL » :\n"
    "• **Google Agenda** (sur ordinateur) : « Autres agendas » → « + » → « À partir de l'URL ».\n"
    "• **Outlook** : « Ajouter un calendrier » → « S'abonner à partir du web ».\n"
    "• **Apple Calendrier** : « Fichier » → « Nouvel abonnement à un calendrier » (sur iPhone : "
    "Réglages → Calendrier → Comptes → Ajouter un calendrier avec abonnement).\n"
    "Votre agenda se met à jour tout seul (selon l'application, de quelques minutes à "
    "quelques heures). Ce lien est personnel : ne le partagez pas."
)
