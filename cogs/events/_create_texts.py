"""French texts of the event creation form (/evenement creer without options, dupliquer,
the templates) and its draft message."""

FORM_TITLE = "Nouvel événement"
FORM_TITLE_COPY = "Copie d'un événement"
LABEL_TITLE = "Titre"
LABEL_DESCRIPTION = "Description (programme, matériel…)"
LABEL_START = "Début"
LABEL_END = "Fin (vide\u00a0: {duration} après le début)"
LABEL_WHERE = "Lieu et/ou lien de visio"
PLACEHOLDER_START = "15/06/2027 9h30"
PLACEHOLDER_END = "16h30, ou 16/06/2027 12h"
PLACEHOLDER_WHERE = "Centre social, Riom · https://visio.exemple.fr/reseau"

DRAFT_INTRO = (
    "**{title}** · {when} · {where}\n"
    "Choisissez le type, le format, le territoire et le public, puis «\u00a0Créer\u00a0»."
)
DRAFT_OPTIONS = "\nPlaces\u00a0: {capacity} · rappels\u00a0: {reminders}{deadline}"
DRAFT_NO_LIMIT = "sans limite"
DRAFT_NO_REMINDER = "aucun"
DRAFT_REMINDERS = "{hours} h avant"
DRAFT_DEADLINE = " · inscriptions jusqu'au {when}"
DRAFT_NOWHERE = "lieu à préciser"
PICK_TYPE = "Type de temps de réseau"
PICK_FORMAT = "Format"
PICK_TERRITORY = "Territoire"
PICK_AUDIENCE = "Public"
SHARED_TERRITORY = "Commun (tous les territoires)"
BUTTON_CREATE = "Créer"
BUTTON_OPTIONS = "Places et rappels…"
BUTTON_FIX = "Corriger"
OPTIONS_TITLE = "Places et inscriptions"
LABEL_CAPACITY = "Nombre de places (vide\u00a0: sans limite)"
LABEL_DEADLINE = "Date limite d'inscription (vide\u00a0: aucune)"
LABEL_REMINDERS = "Rappels, en heures avant le début"
LABEL_WAITLIST = "Liste d'attente si complet (oui ou non)"
OPTIONS_SAVED = "C'est noté\u00a0: {summary}. Cliquez «\u00a0Créer\u00a0» sur le brouillon."
FIX_INTRO = "{error}\nCliquez «\u00a0Corriger\u00a0»\u00a0: le formulaire revient avec tout ce que vous aviez saisi."
ERR_PICK = "Choisissez d'abord le type et le format de l'événement dans les listes du brouillon."
ERR_OPTIONS_MISSING = (
    "Indiquez le type, le début, la fin et le format avec le titre, ou lancez /evenement creer "
    "sans option pour remplir le formulaire."
)
ERR_CAPACITY = "Le nombre de places « {value} » n'est pas valide\u00a0: un nombre entre 1 et 10 000, ou vide."
ERR_WAITLIST = "Liste d'attente\u00a0: répondez oui ou non."
COPY_TITLE = "{title}"

# Templates for the recurring formats (prefilled title, description, type, format, length)
TEMPLATE_PRACTICE_REVIEW = "Analyse de la pratique"
TEMPLATE_PRACTICE_REVIEW_TEXT = (
    "Un temps pour analyser ensemble, avec un·e psychologue, des situations vécues en ligne "
    "avec des jeunes ou des parents. Ce qui s'y dit reste entre les participant·es.\n"
    "Venez avec une situation qui vous a questionné·e."
)
TEMPLATE_ONBOARDING = "Formation initiale des Promeneurs du Net"
TEMPLATE_ONBOARDING_TEXT = (
    "La formation des nouveaux Promeneurs\u00a0: le cadre de la présence éducative en ligne, "
    "les réseaux sociaux des jeunes, la posture, les outils du réseau.\n"
    "Apportez votre téléphone ou votre ordinateur professionnel."
)
DURATION_HOURS = "{hours} h"
DURATION_HOURS_MINUTES = "{hours} h {minutes}"
