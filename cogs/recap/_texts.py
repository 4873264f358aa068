"""French strings of /bilan and of the scheduled recaps."""

GROUP = "Bilans\u00a0: résumé mensuel, bilan annuel, rapport d'activité, import et export (coordination)"
MONTHLY_LABEL = "Résumé mensuel"
YEARLY_LABEL = "Bilan annuel"
YEAR_INTRO = (
    "**Bilan {year}**\u00a0: la synthèse des données, l'évolution du projet et les graphiques. "
    "Le tableur joint reprend tous les tableaux."
)
YEAR_EMPTY_INTRO = "**Bilan {year}**\u00a0: aucune donnée pour cette année."
YEAR_FILES = "Graphiques et tableur du bilan {year}."
IMPORTED = (
    "Import réussi : {rows} pour {years} ({replaced}). Ils apparaissent "
    "dans l'évolution du projet, marqués d'un astérisque (*).{skipped}"
)
FIGURES_ONE, FIGURES_MANY = "{count} chiffre", "{count} chiffres"
REPLACED_NONE, REPLACED_ONE, REPLACED_MANY = "aucun remplacé", "1 remplacé", "{count} remplacés"
SKIPPED_ONE = (
    "\n1 ligne « calculé » (un chiffre du bot) est laissée de côté : pour remplacer ce chiffre, "
    "écrivez « importé » dans sa colonne source."
)
SKIPPED_MANY = (
    "\n{count} lignes « calculé » (des chiffres du bot) sont laissées de côté : pour remplacer "
    "l'un d'eux, écrivez « importé » dans sa colonne source."
)
EXPORT_DONE = "Bilan {year} au format {format}\u00a0:"
ERR_NOT_CSV = "Joignez un fichier CSV (.csv) au format annee,territoire,indicateur,valeur,note."

# /bilan rapport and /bilan rapport-texte
REPORT_DONE = (
    "**Rapport d'activité {year}**\u00a0: le document modifiable (DOCX, Word ou LibreOffice) et la "
    "version à imprimer (PDF, A4). Les textes à écrire se saisissent avec /bilan rapport-texte\u00a0; "
    "le rapport reprend toujours leur dernière version."
)
REPORT_TODO = "À compléter dans le DOCX ({count})\u00a0: {sections}."
REPORT_TOO_BIG = (
    "Le fichier {name} ({size} Mo) dépasse la taille des pièces jointes de ce serveur "
    "({limit} Mo)\u00a0: il n'a pas pu être joint. Relancez la commande\u00a0; si cela persiste, "
    "prévenez l'équipe technique du bot."
)
REPORT_NONE_SENT = "Aucun fichier n'a pu être joint."
TEXT_MODAL_TITLE = "Rapport {year} · {section}"
TEXT_LABEL = "Texte (videz-le pour l'effacer)"
TEXT_SAVED = (
    "Texte «\u00a0{section}\u00a0» du rapport {year} enregistré ({length}). Il sera repris à chaque "
    "génération du rapport (/bilan rapport {year})."
)
TEXT_CLEARED = (
    "Texte «\u00a0{section}\u00a0» du rapport {year} effacé\u00a0: le document modifiable montrera "
    "«\u00a0À compléter\u00a0» à sa place, la version PDF l'omettra."
)
