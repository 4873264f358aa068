"""French texts of /config."""

TITLE = "Configuration du bot"
ROLES_DONE = "Rôles enregistrés.\n{summary}"
ROLES_WARN_SAME = (
    "⚠️ Le rôle de la coordination est aussi celui des Promeneurs : chaque Promeneur aura "
    "accès aux commandes de gestion et aux exports de l'annuaire. Choisissez plutôt un rôle "
    "réservé à la coordination."
)
ROLES_WARN_MOST = (
    "⚠️ Ce rôle est détenu par {holders} membres sur {total} : tous auront accès aux commandes "
    "de gestion et aux exports de l'annuaire. Choisissez plutôt un rôle réservé à la "
    "coordination."
)
ROLES_NONE = "Indiquez au moins un rôle\u00a0: coordination ou promeneurs."
CHANNELS_DONE = "Salons enregistrés.\n{summary}"
CHANNELS_NONE = "Indiquez au moins un salon."
CHANNEL_CANNOT_SEND = (
    "⚠️ Je ne peux pas écrire dans {channel}\u00a0: donnez-moi les permissions «\u00a0Voir le salon\u00a0», "
    "«\u00a0Envoyer des messages\u00a0» et «\u00a0Intégrer des liens\u00a0» dans ce salon."
)
TERRITORY_ADDED = "Territoire ajouté\u00a0: **{code} {name}**."
TERRITORY_REMOVED = "Territoire retiré\u00a0: **{code} {name}**. L'historique des membres est conservé."
LIST_ADDED = "«\u00a0{value}\u00a0» ajouté à la liste «\u00a0{label}\u00a0»."
LIST_REMOVED = (
    "«\u00a0{value}\u00a0» retiré de la liste «\u00a0{label}\u00a0». Les profils qui l'avaient choisi le gardent."
)
SCHEDULE_DONE = "Planning mis à jour\u00a0: **{label}**, {when}.{next}"
SCHEDULE_NEXT = "\nProchaine publication\u00a0: {when}."
ERR_TIME = "«\u00a0{value}\u00a0» n'est pas une heure valide. Écrivez par exemple 9h, 9h30 ou 14:00."

FIELD_ROLES = "Rôles"
FIELD_CHANNELS = "Salons"
FIELD_TERRITORIES = "Territoires"
FIELD_SCHEDULES = "Planning"
FIELD_LISTS = "Listes"
FIELD_REDACTIONS = "⚠️ Messages du bot à corriger (données effacées)"
REDACTIONS_ONE = (
    "1 message que Discord refuse de modifier pour l'instant ; prochain essai {when}. "
    "Vérifiez que le bot voit toujours le salon des demandes et ses fils."
)
REDACTIONS_MANY = (
    "{count} messages que Discord refuse de modifier pour l'instant ; prochain essai {when}. "
    "Vérifiez que le bot voit toujours le salon des demandes et ses fils."
)
FIELD_PROBLEMS = "⚠️ Publications en échec"
ROLE_LINES = "Coordination\u00a0: {coordination}\nPromeneurs\u00a0: {promeneurs}"
CHANNEL_LABELS = {
    "announcements": "Annonces",
    "digest": "Veille",
    "requests": "Demandes",
    "recaps": "Bilans",
}
NOT_SET = "*non défini*"
NO_TERRITORY = "*aucun\u00a0: ajoutez-en avec /config territoire-ajouter*"
NO_SCHEDULE = "*aucune publication programmée pour l'instant*"
LIST_LINE = "{label}\u00a0: {count} valeurs"
PROBLEM_LINE = "**{marker}** : {reason} ({attempts}, prochain essai {when})"
PROBLEM_GAVE_UP = (
    "**{marker}** : {reason} ({attempts}, plus d'essai automatique : une fois le problème "
    "corrigé, validez les salons avec /config salons)"
)
PROBLEM_STUCK = "**{marker}** : publication interrompue, reprise automatique dans quelques minutes"
PROBLEM_NO_REASON = "raison inconnue"
ATTEMPTS_ONE = "1 essai"
ATTEMPTS_MANY = "{count} essais"
FOOTER = (
    "Modifier\u00a0: /config roles, /config salons, /config territoire-ajouter, /config planning, /config liste-ajouter"
)
CALENDAR_OFF = (
    "Les agendas en ligne ne sont pas activés sur ce bot. La personne qui l'héberge peut les "
    "activer (réglages WEB_PORT et PUBLIC_URL, voir le README)."
)
CALENDAR_LINK = (
    "📅 **Agenda du serveur** : tous les temps de réseau à venir (et ceux des trois derniers "
    "mois), mis à jour automatiquement.\n<{url}>\n\n"
    "À ajouter comme agenda « par URL » dans Google Agenda, Outlook ou Apple Calendrier. "
    "Toute personne qui a ce lien voit les événements : partagez-le avec le réseau seulement."
    "{rotate}"
)
CALENDAR_ROTATE_HINT = "\nUn lien a fuité ? `/config calendrier renouveler:True` en donne un nouveau."
CALENDAR_ROTATED = (
    "\n\n🔄 Nouveau lien : l'ancien ne fonctionne plus. Les personnes abonnées doivent s'abonner avec ce nouveau lien."
)

# /config panneau
PANEL_POSTED = "Panneau publié dans {channel}. Épinglez-le pour qu'il reste en vue."
ERR_PANEL_CHANNEL = (
    "Je ne peux pas publier dans ce salon\u00a0: donnez-moi les permissions «\u00a0Voir le salon\u00a0», "
    "«\u00a0Envoyer des messages\u00a0» et «\u00a0Intégrer des liens\u00a0», ou choisissez un autre salon."
)
