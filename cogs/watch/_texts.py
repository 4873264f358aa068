"""French texts of /veille and the "Ajouter à la veille" menu."""

MENU_NAME = "Ajouter à la veille"

ADDED = "Merci\u00a0! **{title}** rejoint la prochaine veille, dans «\u00a0{category}\u00a0»."
ADDED_CHANGE_CATEGORY = "Vous pouvez changer sa catégorie ci-dessous."
JOINED = (
    "Ce lien figurait déjà dans la prochaine veille (partagé par {others})\u00a0: votre nom est ajouté à côté du sien."
)
JOINED_PROPOSAL = "Ce lien était proposé par un flux\u00a0: grâce à vous, il est retenu pour la prochaine veille."
CATEGORY_CHANGED = "C'est noté\u00a0: **{title}** est classé dans «\u00a0{category}\u00a0»."
CATEGORY_PLACEHOLDER = "Changer la catégorie…"

ADD_MODAL_TITLE = "Ajouter à la veille"
ADD_MODAL_COMMENT = "Un mot pour présenter ce lien (facultatif)"
ADD_MODAL_PLACEHOLDER = "Pourquoi ce lien intéressera le réseau…"
ADD_LINK_LOST = (
    "Le lien de ce message n'a pas pu être relu (le bot a redémarré entre-temps)\u00a0: "
    "proposez-le avec /veille ajouter. Votre commentaire, à recopier\u00a0: «\u00a0{comment}\u00a0»"
)
ADD_NO_COMMENT = "(aucun)"

REMOVED = "**{title}** est retiré de la prochaine veille."
CONFIRM_REMOVE = "Retirer **{title}** de la prochaine veille ?"
CONFIRM_REMOVE_YES = "Oui, retirer le lien"
NO_ITEMS_CHOICE = "Aucun lien dans le brouillon"

DRAFT_TITLE = "Brouillon · Veille n°{number}"
DRAFT_NEXT = "Prochaine publication\u00a0: {when}, dans <#{channel}>."
DRAFT_NEXT_NO_CHANNEL = "⚠️ Aucun salon de veille\u00a0: choisissez-le avec /config salons (option veille)."
DRAFT_NEXT_DISABLED = "Publication programmée suspendue (/config planning). Publiez avec /veille publier."
DRAFT_COUNTS = "**{accepted}** {links} · **{proposed}** {proposals} des flux à valider."
LINK_KEPT = ("lien retenu", "liens retenus")
PROPOSAL = ("proposition", "propositions")
LINKS = ("lien", "liens")
RECENT_ENTRIES = ("entrée récente proposée", "entrées récentes proposées")
DRAFT_EDITORIAL = "**Éditorial**\u00a0: {text}"
DRAFT_NO_EDITORIAL = "**Éditorial**\u00a0: aucun (bouton «\u00a0Éditorial\u00a0»)."
DRAFT_EMPTY_NOTE_ON = "Si rien n'est partagé\u00a0: une courte note est publiée."
DRAFT_EMPTY_NOTE_OFF = "Si rien n'est partagé\u00a0: rien n'est publié."
DRAFT_FAILED = (
    "⚠️ La publication «\u00a0{marker}\u00a0» a échoué ({attempts})\u00a0: {error}. Les liens restent "
    "réservés à ce numéro\u00a0; nouvel essai automatique {when}. Vérifiez que le bot peut écrire "
    "dans le salon de veille, ou relancez avec /veille publier."
)
DRAFT_EMPTY = "Le brouillon est vide pour l'instant\u00a0: les membres proposent des liens avec /veille ajouter."
DRAFT_PAGE = "Liens · page {page}/{pages}"
DRAFT_LINE = "**{index}.** {flags}{link} — *{category}*{names}{comment}"
DRAFT_FLAG_FEATURED = "⭐ "
DRAFT_FLAG_PROPOSED = "🆕 *proposition du flux* "
DRAFT_COMMENT = "\n> {comment}"
DRAFT_BY = "\n↳ par {names}"
DRAFT_HELP = (
    "↑ ↓\u00a0: changer l'ordre · ⭐\u00a0: à la une · ✓\u00a0: retenir une proposition · ✎\u00a0: commentaire · "
    "✕\u00a0: retirer"
)

BUTTON_UP = "↑ {index}"
BUTTON_DOWN = "↓ {index}"
BUTTON_STAR = "⭐ {index}"
BUTTON_ACCEPT = "✓ {index}"
BUTTON_COMMENT = "✎ {index}"
BUTTON_REMOVE = "✕ {index}"
BUTTON_PREVIOUS = "◀"
BUTTON_NEXT = "▶"
BUTTON_EDITORIAL = "Éditorial"
BUTTON_PREVIEW = "Aperçu"
BUTTON_EMPTY_NOTE = "Note si vide\u00a0: {state}"
YES, NO = "oui", "non"

COMMENT_MODAL_TITLE = "Commentaire du lien"
COMMENT_LABEL = "Commentaire (vide pour l'effacer)"
EDITORIAL_MODAL_TITLE = "Éditorial de la prochaine veille"
EDITORIAL_LABEL = "Éditorial (vide pour l'effacer)"
EDITORIAL_PLACEHOLDER = "Quelques lignes d'introduction pour ce numéro…"
PREVIEW_INTRO = "Aperçu de la prochaine veille telle qu'elle sera publiée ({messages})\u00a0:"
PREVIEW_EMPTY = "Rien à prévisualiser\u00a0: aucun lien n'est retenu pour l'instant."

PUBLISHED = "La **Veille n°{number}** est publiée dans <#{channel}> ({links})."
PUBLISHED_NOTE = "Le brouillon était vide\u00a0: une courte note est publiée dans <#{channel}>."
PUBLISH_FAILED = (
    "⚠️ La publication a échoué\u00a0: {error}. Rien n'est perdu\u00a0: les liens restent réservés à ce "
    "numéro et un nouvel essai aura lieu {when}. Vérifiez que le bot peut écrire dans <#{channel}>."
)
PUBLISH_IN_PROGRESS = (
    "Une publication de la veille est en cours dans <#{channel}> : ses liens lui sont réservés. "
    "Vérifiez le salon dans quelques minutes (/config voir signale une publication interrompue)."
)
ERR_NO_CHANNEL = (
    "Aucun salon de veille n'est configuré. Choisissez-le avec /config salons (option veille), "
    "puis relancez /veille publier."
)

ARCHIVES_TITLE = "Archives de la veille"
ARCHIVES_SEARCH_TITLE = "Veille · «\u00a0{query}\u00a0»"
ARCHIVES_EMPTY = "Aucune veille publiée pour l'instant."
ARCHIVES_SEARCH_EMPTY = "Aucun lien publié ne correspond à cette recherche."
ARCHIVES_DIGEST_LINE = "**Veille n°{number}** — {period} · {links}{published}"
ARCHIVES_PUBLISHED = " · publiée le {day}"
ARCHIVES_PENDING = " · en attente de publication"
ARCHIVES_ITEM_LINE = "n°{number} · {link} — *{category}*"

EXPORT_DONE = "Voici la **Veille n°{number}** en Markdown et en HTML, prêtes à coller dans votre lettre d'information."
EXPORT_MD = "veille-{number}.md"
EXPORT_HTML = "veille-{number}.html"

FEED_ADDED = "Flux ajouté\u00a0: **{title}** («\u00a0{category}\u00a0»). {entries} dans le brouillon."
FEED_UNREADABLE = (
    "Impossible de lire ce flux\u00a0: {reason}. Vérifiez l'adresse\u00a0: elle doit mener à un flux "
    "RSS ou Atom (souvent …/feed ou …/rss)."
)
FEED_REMOVED = "Le flux **{title}** n'est plus suivi. Ses propositions déjà dans le brouillon restent."
FEEDS_TITLE = "Flux suivis"
FEEDS_EMPTY = "Aucun flux suivi. Ajoutez-en avec /veille flux-ajouter."
FEED_LINE = "**{title}** · {category}\n{url}\n{state}"
FEED_STATE_OK = "-# dernière lecture\u00a0: {when}"
FEED_STATE_NEVER = "-# pas encore lu"
FEED_STATE_ERROR = "-# ⚠️ {when}\u00a0: {error}"
FEED_READ_FAILED = "une erreur inattendue a empêché sa lecture"
FEED_STORE_FAILED = "ses nouvelles entrées n'ont pas pu être enregistrées"

# The digest (Discord and the newsletter exports)
FEATURED = "⭐ À la une"
CONTINUED = "{title} (suite)"
TITLE = "Veille n°{number} — {period}"
DIGEST_DRAFT_TITLE = "Veille n°{number} (brouillon)"
SHARED_BY = "↳ Partagé par {names}"
SHARED_BY_INLINE = "partagé par {names}"
SPOTTED = "↳ Repéré par la coordination"
SOURCE = "[message d'origine]({link})"
AND_OTHERS = "{names} et {others}"
OTHERS = ("autre", "autres")
SUMMARY = "{links} partagés par {people}. Bonne lecture\u00a0!"
SUMMARY_ONE = "1 lien partagé par {people}. Bonne lecture\u00a0!"
DIGEST_LINKS = "{count} liens"
PEOPLE_ONE = "1 membre du réseau"
PEOPLE = "{count} membres du réseau"
PEOPLE_NONE = "la coordination"
ANONYMOUS = "un membre"
EMPTY_NOTE = (
    "Pas de lettre de veille cette fois-ci\u00a0: aucun lien n'a été partagé. "
    "Proposez vos trouvailles avec /veille ajouter ou le menu «\u00a0Ajouter à la veille\u00a0»."
)
FOOTER = "Veille partagée par les membres du réseau Promeneurs du Net."
