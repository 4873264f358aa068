"""French strings of the monthly form « Votre mois en quelques chiffres » and /permanences."""

NBSP = "\u00a0"

# -- the monthly form ---------------------------------------------------------------------
OFFER = (
    "Bonjour ! Votre mois de **{month}** en quelques chiffres ? Moins d'une minute, "
    "des nombres seulement (jamais le nom d'un jeune). Vous pouvez le remplir jusqu'au {deadline}."
)
REMINDER = (
    "Petit rappel : votre mois de **{month}** en quelques chiffres n'est pas encore rempli. "
    "Vous pouvez le faire jusqu'au {deadline}."
)
ALERT = "Le bilan mensuel de {month} n'a pas pu être proposé à <@{user}> en message privé."
BUTTON_FORM = "Remplir mon mois"
BUTTON_OFF = "Ne plus me le proposer"
BUTTON_THEMES = "Étape 2/2 : thèmes des demandes"
TITLE_CONTACTS = "Votre mois {month} (1/2)"
TITLE_THEMES = "Thèmes des demandes {month} (2/2)"
LABEL_REACHED = "Jeunes ou parents touchés"
PLACEHOLDER_REACHED = "Publications, permanences (un nombre)"
LABEL_PRIVATE = "Contactés en privé"
PLACEHOLDER_PRIVATE = "Échanges en message privé (un nombre)"
LABEL_PROJECT = "Accompagnés sur un projet"
PLACEHOLDER_PROJECT = "Un nombre"
LABEL_AGES = "Par âge : 11–14 / 15–17 / 18–25 / parents"
PLACEHOLDER_AGES = "Par exemple 2 / 3 / 1 / 0"
LABEL_NETWORKS = "Contacts en privé, par réseau"
PLACEHOLDER_NETWORKS = "Par exemple Instagram 4, Snapchat 2"
# The themes two by two (labels of at most 45 characters).
PAIR_LABELS = (
    "Lien social / loisirs",
    "Orientation, emploi / parentalité",
    "Santé / addictions",
    "Vie affective et sexuelle / violences",
    "Logement / numérique, usages",
)
PLACEHOLDER_PAIR = "Deux nombres, par exemple 3 / 1"
SAVED_CONTACTS = (
    "C'est noté pour **{month}** : {reached} touchés, {private} en privé, {project} "
    "accompagnés sur un projet. Dernière étape : les thèmes des demandes (facultatif)."
)
SAVED_THEMES = "Merci ! Votre mois de **{month}** est complet : {themes}."
NO_THEME = "aucun thème"
THEME_ITEM = "{label} {count}"
REFUSED_TYPED = "\nVoici ce que vous aviez saisi, pour le recopier :"
OFFER_OFF = (
    "C'est noté : le bilan mensuel ne vous sera plus proposé en message privé. "
    "Vous pouvez toujours le remplir avec /activite mois, et le réactiver avec "
    "/activite mois rappel:oui."
)
OFFER_ON = "C'est noté : le bilan mensuel vous sera proposé en message privé le 1er de chaque mois."
CHOICE_YES, CHOICE_NO = "oui", "non"

# -- /permanences --------------------------------------------------------------------------
GROUP = "Vos permanences en ligne de la semaine (jour, heures, réseau)"
ADDED = "Permanence ajoutée : **{day} {hours}** sur {network}."
REMOVED = "Permanence retirée : {day} {hours} sur {network}."
SLOT_CHOICE = "{day} {hours} · {network}"
GRID_TITLE = "Qui est en ligne quand ? {scope}"
GRID_ALL = "tous les territoires"
GRID_LINE = "{hours} · **{name}** ({territory}) · {network}"
GRID_EMPTY = "Aucune permanence déclarée pour l'instant. Déclarez la vôtre avec /permanences ajouter."
GRID_FOOTER_ONE = "{count} permanence · {hours} par semaine"
GRID_FOOTER_MANY = "{count} permanences · {hours} par semaine"
SHARED = "commun"
MINE_TITLE = "Vos permanences"
MINE_EMPTY = "Vous n'avez déclaré aucune permanence. Ajoutez-en une avec /permanences ajouter."
