"""French texts of /profil, /membres and /mes-donnees."""

PROFILE_CREATED = "Bienvenue dans l'annuaire\u00a0! Votre profil est créé."
PROFILE_UPDATED = "Votre profil est à jour."
PROFILE_NOTHING = (
    "Indiquez ce que vous voulez modifier\u00a0: territoire, volet, structure, type de structure, "
    "métier ou date d'arrivée."
)
PROFILE_TITLE = "Profil de {name}"
FIELD_TERRITORY = "Territoire"
FIELD_STRAND = "Volet"
FIELD_STRUCTURE = "Structure"
FIELD_STRUCTURE_TYPE = "Type de structure"
FIELD_PROFESSION = "Métier"
FIELD_JOINED = "Arrivée dans le réseau"
FIELD_LEFT = "Départ du réseau"
FIELD_HISTORY = "Historique"
HISTORY_LINE = "{start} → {end}\u00a0: {territory} · {strand}"
HISTORY_NOW = "aujourd'hui"
NOT_ON_DISCORD = "Promeneur·e enregistré·e par la coordination (pas sur Discord)"
EMPTY = "—"

MEMBER_UPDATED = "Le profil de **{name}** est à jour."
MEMBER_NOTHING = (
    "Indiquez ce que vous voulez modifier : territoire ou volet (avec « depuis » pour dater "
    "le changement), structure, type de structure, métier ou date d'arrivée."
)
MEMBER_ADDED = "**{name}** est ajouté·e à l'annuaire ({territory} · {strand})."
DEPARTURE_DONE = (
    "Départ de **{name}** enregistré au {day}. Son historique reste compté dans les bilans des années passées."
)
LIST_TITLE = "Promeneurs du Net{filters}"
LIST_EMPTY = "Aucun membre ne correspond."
LIST_LINE = "**{name}** · {territory} · {strand}{structure}"
EXPORT_DONE = "Voici l'annuaire complet ({count} membres, anciens compris), {format}."
EXPORT_DONE_ONE = "Voici l'annuaire complet (1 membre, anciens compris), {format}."
EXPORT_CSV = "au format CSV pour Excel ou LibreOffice en français (séparateur « ; »)"
EXPORT_XLSX = "en tableur XLSX"
EXPORT_SHEET = "Annuaire"
EXPORT_FILENAME_XLSX = "annuaire-{day}.xlsx"
EXPORT_FILENAME = "annuaire-{day}.csv"

MY_DATA_EXPORT = (
    "Voici toutes les données que le bot conserve à votre sujet, deux fois : au format JSON "
    "(pour les réutiliser ailleurs) et en tableau CSV (pour les lire dans un tableur). "
    "Ces fichiers ne sont visibles que par vous."
)
MY_DATA_FILENAME = "mes-donnees.json"
MY_DATA_CSV_FILENAME = "mes-donnees.csv"
ERASE_CONFIRM = (
    "⚠️ **Supprimer vos données\u00a0?**\n"
    "Votre identifiant Discord, votre nom, le nom de votre structure et vos textes libres "
    "seront effacés. Les informations statistiques (territoire, volet, type de structure, "
    "métier, dates) restent, sans lien possible avec vous, pour que les bilans des années "
    "passées ne changent pas.\nCette action est définitive."
)
ERASE_BUTTON = "Oui, supprimer mes données"
ERASE_DONE = "C'est fait\u00a0: vos données personnelles ont été supprimées."
ERASE_NOT_YOURS = "Ce bouton ne vous est pas destiné\u00a0: utilisez /mes-donnees supprimer."

# /profil bilan
SUMMARY_DONE = "Voici votre bilan {year} (PDF d'une page, à remettre à votre employeur)."
SUMMARY_DONE_OTHER = "Voici le bilan {year} de **{name}** (PDF d'une page)."
SUMMARY_OTHERS = (
    "Vous ne pouvez obtenir que votre propre bilan : laissez l'option « membre » vide. "
    "La coordination peut produire celui d'un autre membre."
)
SUMMARY_FILE = "bilan-{year}-{name}.pdf"
FIELD_AREA = "Territoire d'intervention"
FLAG_QPV = "quartier prioritaire (QPV)"
FLAG_RURAL = "zone rurale"
