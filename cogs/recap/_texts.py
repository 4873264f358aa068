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
    "Import réussi : {rows} chiffre(s) pour {years} ({replaced} remplacé(s)). Ils apparaissent "
    "dans l'évolution du projet, marqués d'un astérisque (*)."
)
EXPORT_DONE = "Bilan {year} au format {format} :"
ERR_NOT_CSV = "Joignez un fichier CSV (.csv) au format annee,territoire,indicateur,valeur,note."
