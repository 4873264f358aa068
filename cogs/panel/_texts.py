"""French texts of the members' panel and of /aide."""

NBSP = "\u00a0"

PANEL_TITLE = "Promeneurs du Net · vos raccourcis"
PANEL_BODY = (
    "Besoin d'un coup de main, un lien à partager, vos prochaines sessions\u00a0? "
    "Un clic suffit\u00a0:\n"
    "• **Demander un accompagnement**\u00a0: un formulaire pour la coordination\u00a0;\n"
    "• **Proposer un lien pour la veille**\u00a0: l'adresse et un mot pour la présenter\u00a0;\n"
    "• **Mes inscriptions**\u00a0: les événements où vous êtes inscrit·e.\n"
    "Tout ce que vous pouvez faire\u00a0: /aide."
)
BUTTON_HELP = "Demander un accompagnement"
BUTTON_LINK = "Proposer un lien pour la veille"
BUTTON_MINE = "Mes inscriptions"

LINK_MODAL_TITLE = "Proposer un lien pour la veille"
LINK_LABEL = "Adresse de la page"
LINK_PLACEHOLDER = "https://…"
LINK_COMMENT_LABEL = "Un mot pour la présenter (facultatif)"
LINK_COMMENT_PLACEHOLDER = "Pourquoi ce lien peut intéresser le réseau"

# « Mes inscriptions » (the same lines as /evenement mes-inscriptions).
MINE_MORE = "… et {count} autres\u00a0: /evenement mes-inscriptions pour la liste complète."

HELP_TITLE = "Ce que vous pouvez faire ici"
HELP_INTRO_MEMBER = (
    "Les boutons du panneau du serveur font l'essentiel en un clic. Les commandes, à taper après «\u00a0/\u00a0»\u00a0:"
)
HELP_INTRO_COORDINATION = (
    "Vous faites partie de la coordination\u00a0: vous voyez aussi les commandes qui lui sont réservées."
)
HELP_MEMBERS = "**Pour tous**"
HELP_COORDINATION = "**Coordination**"
HELP_LINE = "`/{name}`\u00a0: {description}"
HELP_MENU_LINE = "Menu d'un message → Applications → «\u00a0{name}\u00a0»"
