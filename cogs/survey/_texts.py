"""French strings of /questionnaire."""

GROUP = "Le questionnaire d'évaluation du réseau"
ANNOUNCE_TITLE = "Questionnaire d'évaluation n°{number}"
ANNOUNCE_BODY = (
    "La coordination lance le questionnaire d'évaluation du réseau\u00a0: quatre questions, "
    "une minute. Il est ouvert jusqu'au **{day}** inclus.\n\n"
    "Cliquez sur «\u00a0Répondre\u00a0» ou tapez /questionnaire repondre. Vos réponses servent "
    "uniquement aux statistiques du bilan."
)
ANSWER_BUTTON = "Répondre"
LAUNCHED = "Questionnaire n°{number} lancé jusqu'au {day} inclus, pour {eligible} Promeneurs actifs. {where}"
LAUNCHED_POSTED = "Annonce publiée dans {channel}."
LAUNCHED_POST_FAILED = (
    "⚠️ L'annonce n'a pas pu être publiée dans {channel} : {reason}. Le questionnaire est "
    "bien ouvert (/questionnaire repondre fonctionne) ; le bot réessaiera de publier l'annonce "
    "{when}."
)
ANNOUNCEMENT_LABEL = "Annonce du questionnaire"
ANNOUNCEMENT_REF = "{label} · n°{number}"
LAUNCHED_NOT_POSTED = (
    "Aucun salon d'annonces n'est configuré (/config salons)\u00a0: les Promeneurs répondront avec "
    "/questionnaire repondre."
)
FORM_INTRO = "**Questionnaire n°{number}**\u00a0: choisissez une réponse à chaque question, puis envoyez."
FORM_ALREADY = "\n-# Vous avez déjà répondu\u00a0: envoyer à nouveau remplace votre réponse."
FORM_CHOSEN = "\n\n**Vos choix**\u00a0:\n{choices}"
PLACEHOLDER_AUDIENCE = "Votre public principal sur les réseaux"
PLACEHOLDER_STRUCTURE = "Le type de votre structure"
PLACEHOLDER_HOURS = "Votre temps de présence en ligne par semaine"
PLACEHOLDER_NETWORKS = "Les réseaux sociaux que vous utilisez (plusieurs choix)"
SUBMIT = "Envoyer mes réponses"
THANKS = "Merci\u00a0! Votre réponse au questionnaire n°{number} est enregistrée."
THANKS_REPLACED = "Merci\u00a0! Votre réponse au questionnaire n°{number} a été mise à jour."
RESULTS_TITLE = "Résultats du questionnaire n°{number}"
CAMPAIGN_CHOICE = "n°{number} · lancé le {start} · clôture le {end}"
