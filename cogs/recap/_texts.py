"""French strings of /bilan and of the scheduled recaps."""

GROUP = "Bilans : résumé mensuel, bilan annuel, import et export (coordination)"
MONTHLY_LABEL = "Résumé mensuel"
YEARLY_LABEL = "Bilan annuel"
YEAR_INTRO = (
    "**Bilan {year}** : la synthèse des données, l'évolution du projet et les graphiques. "
    "Le tableur joint reprend tous les tableaux."
)
YEAR_EMPTY_INTRO = "**Bilan {year}** : aucune donnée pour cette année."
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
EXPORT_DONE = "Bilan {year} au format {format} :"
ERR_NOT_CSV = "Joignez un fichier CSV (.csv) au format annee,territoire,indicateur,valeur,note."
