"""The report's sections, in the seed's order. Each is a small function of the report's data
(figures from the recap only) returning a `Section`, or None when it has nothing to show.
To add an indicator: add a function here and put it in `SECTIONS` where the seed would."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from bot.db.models.activity import PUBLIC_WORKSHOP, SCHOOL
from bot.services import events as events_service
from bot.services import recap as R
from bot.services import report as report_service
from bot.services.activity import KIND_LABELS
from bot.services.recap import ALL, SHARED
from bot.services.report import ReportData
from bot.services.survey import Q_AUDIENCE, Q_STRUCTURE
from bot.ui import recap_charts
from bot.ui.recap_tables import EVOLUTION_LABELS, IMPORTED_MARK
from bot.ui.report.blocks import (
    Bullets,
    Cover,
    Heading,
    Image,
    Para,
    Placeholder,
    Section,
    Table,
    user_paragraphs,
)
from bot.ui.report.typography import enumerate_fr, month_year, num, pct, plural, short_day

TO_WRITE = "À compléter : {hint} (/bilan rapport-texte, section « {title} »)."
NETWORK = "Promeneurs du Net"


def _value(data: ReportData, scope: str, key: str) -> float | None:
    fig = data.recap.synthesis.get(scope, {}).get(key)
    return None if fig is None else fig.value


def _name(data: ReportData, code: str) -> str:
    return data.recap.territories.get(code, code)


def _text(data: ReportData, section: str) -> list:
    """The coordinator's text for a section, or its placeholder (DOCX only)."""
    paragraphs = user_paragraphs(data.texts.get(section))
    if paragraphs:
        return paragraphs
    title, hint = report_service.TEXT_SECTIONS[section]
    return [Placeholder(TO_WRITE.format(hint=hint[0].lower() + hint[1:].rstrip("."), title=title))]


def _per_territory(data: ReportData, key: str, singular: str, plural_form: str) -> str:
    """ "8 présentations, dont 3 sur le territoire Puy-de-Dôme (63) et 5 sur le territoire
    Allier (03)" (a name's own preposition, « dans le », « en », cannot be guessed)."""
    total = _value(data, ALL, key)
    parts = [
        f"{num(v)} sur le territoire {_name(data, code)} ({code})"
        for code in data.recap.codes
        if (v := _value(data, code, key))
    ]
    if key not in (R.ACCOMPANIMENTS, R.ACCOMP_INDIVIDUAL, R.ACCOMP_TEAM):
        shared = _value(data, SHARED, key)
        if shared:
            parts.append(f"{num(shared)} en commun")
    head = f"**{plural(total, singular, plural_form)}**"
    return head + (f", dont {enumerate_fr(parts)}" if parts and len(parts) > 1 else "")


# -- cover -------------------------------------------------------------------------------


def cover(data: ReportData) -> Cover:
    carrier_lines = [line.strip() for line in (data.texts.get(report_service.CARRIER) or "").splitlines() if line.strip()]
    return Cover(
        title=f"Bilan d'activités {data.year}",
        network=NETWORK,
        territories=[f"{name} ({code})" for code, name in data.recap.territories.items()],
        year=data.year,
        carrier=carrier_lines[:1],
        contact=carrier_lines[1:],
    )


# -- sections ----------------------------------------------------------------------------


def highlights(data: ReportData) -> Section:
    return Section("faits-marquants", f"Faits marquants {data.year}", _text(data, report_service.HIGHLIGHTS))


def promotion(data: ReportData) -> Section:
    blocks = _text(data, report_service.PROMOTION)
    blocks.append(Para.of(
        _per_territory(data, R.PRESENTATIONS, "présentation du projet", "présentations du projet")
        + f" auprès de collectivités, de structures ou d'associations en {data.year}.",
        key=True,
    ))
    return Section("promotion", "Promotion du dispositif", blocks, new_page=False)


def accompaniment(data: ReportData) -> Section:
    y = data.year
    blocks: list = _text(data, report_service.ACCOMPANIMENT)
    promeneurs, youth, parenting = (_value(data, ALL, k) for k in (R.PROMENEURS, R.YOUTH_COUNT, R.PARENTING_COUNT))
    arrivals, departures = _value(data, ALL, R.ARRIVALS), _value(data, ALL, R.DEPARTURES)
    blocks.append(Heading("Les Promeneurs du Net"))
    blocks.append(Para.of(
        f"En {y}, **{plural(promeneurs, 'Promeneur du Net', 'Promeneurs du Net')}** : "
        f"{num(youth)} au volet Jeunesse et {num(parenting)} au volet Parentalité. "
        f"{plural(arrivals, 'arrivée', 'arrivées')} et {plural(departures, 'départ', 'départs')} dans l'année."
    ))
    rows = []
    for code in data.recap.codes:
        rows.append([f"{_name(data, code)} ({code})", *(num(_value(data, code, k)) for k in (
            R.PROMENEURS, R.YOUTH_COUNT, R.PARENTING_COUNT, R.ARRIVALS, R.DEPARTURES))])
    rows.append(["Ensemble", *(num(_value(data, ALL, k)) for k in (
        R.PROMENEURS, R.YOUTH_COUNT, R.PARENTING_COUNT, R.ARRIVALS, R.DEPARTURES))])
    blocks.append(Table(["Territoire", "Promeneurs", "Jeunesse", "Parentalité", "Arrivées", "Départs"], rows))
    blocks.append(Heading("Accompagnement technique individuel"))
    blocks.append(Para.of(
        "→ En " + str(y) + ", " + _per_territory(
            data, R.ACCOMP_INDIVIDUAL, "accompagnement technique individuel", "accompagnements techniques individuels"
        ) + ".", key=True,
    ))
    blocks.append(Heading("Accompagnement des équipes"))
    blocks.append(Para.of(
        "→ En " + str(y) + ", " + _per_territory(data, R.ACCOMP_TEAM, "accompagnement d'équipe", "accompagnements d'équipes")
        + ".", key=True,
    ))
    workshops = [
        (kind, sum(q for (s, k), (_, q) in data.recap.activities.items() if k == kind))
        for kind in (PUBLIC_WORKSHOP, SCHOOL)
    ]
    if any(q for _, q in workshops):
        blocks.append(Heading("Événements et ateliers avec le public"))
        blocks.append(Bullets.of([f"{KIND_LABELS[k]} : **{num(q)}**" for k, q in workshops if q]))
    total = _value(data, ALL, R.ACCOMPANIMENTS)
    blocks.append(Para.of(
        f"→ Soit au total **{plural(total, 'accompagnement individuel ou collectif réalisé', 'accompagnements individuels ou collectifs réalisés')}** durant l'année {y}.",
        key=True,
    ))
    return Section("accompagnement", "Activité et accompagnement des Promeneurs", blocks, new_page=False)


def _place(data: ReportData, line: report_service.SessionLine) -> str:
    code = "" if line.territory == SHARED else f" ({line.territory})"
    return f"{line.place}{code}" if line.place else ("—" if not code else code.strip())


def animation(data: ReportData) -> Section:
    y = data.year
    blocks: list = [Para.plain(
        "Afin de conserver une dynamique au projet et de favoriser l'interconnaissance, les "
        "Promeneurs sont invités à se réunir plusieurs fois par an."
    )]
    by_type: dict[str, list[report_service.SessionLine]] = {}
    for line in data.sessions:
        by_type.setdefault(line.type, []).append(line)
    order = list(events_service.TYPE_LABELS)
    for kind in sorted(by_type, key=lambda k: order.index(k) if k in order else len(order)):
        lines = by_type[kind]
        label = events_service.TYPE_LABELS.get(kind, kind)
        days = sum(s.days for s in lines)
        blocks.append(Heading(f"{label} : {plural(len(lines), 'temps', 'temps')}, {plural(days, 'jour', 'jours')}"))
        attendance = any(s.present for s in data.sessions)  # the column only when marked
        blocks.append(Table(
            ["Date", "Intitulé", "Lieu", "Format", "Jours", *(["Présents"] if attendance else [])],
            [[short_day(s.day), s.title, _place(data, s), events_service.FORMAT_LABELS.get(s.format, s.format),
              num(s.days), *([num(s.present)] if attendance else [])] for s in lines],
            numeric_from=4,
            widths=[11, 38, 24, 12, 7, 8] if attendance else [11, 43, 26, 12, 8],
        ))
    sessions, days = _value(data, ALL, R.SESSIONS), _value(data, ALL, R.SESSION_DAYS)
    in_person, remote = _value(data, ALL, R.SESSIONS_IN_PERSON), _value(data, ALL, R.SESSIONS_REMOTE)
    blocks.append(Para.of(
        f"→ Soit au total **{plural(sessions, 'temps de réseau proposé', 'temps de réseau proposés')}** durant "
        f"l'année {y} ({plural(days, 'jour', 'jours')}) : {num(in_person)} en présentiel, {num(remote)} à distance.",
        key=True,
    ))
    attendance, reached = _value(data, ALL, R.ATTENDANCE), _value(data, ALL, R.REACHED)
    if attendance:
        blocks.append(Para.of(
            f"{plural(attendance, 'présence', 'présences')} en tout ; "
            f"{plural(reached, 'Promeneur différent a', 'Promeneurs différents ont')} participé à au moins un temps."
        ))
    if data.recap.digests is not None:
        blocks.append(Heading("Maintien du lien"))
        blocks.append(Para.plain(
            "La veille en ligne permet à la coordination de relayer aux Promeneurs des informations "
            "utiles : actualités du numérique, événements du territoire, études, projets de Promeneurs."
        ))
        if data.recap.digests:
            blocks.append(Para.of(
                f"→ En {y}, **{plural(data.recap.digests, 'lettre de veille publiée', 'lettres de veille publiées')}**, "
                f"soit {plural(data.recap.digest_links, 'lien partagé', 'liens partagés')}.",
                key=True,
            ))
        else:
            blocks.append(Para.plain(f"Aucune lettre de veille publiée en {y}."))
    return Section("animation", "Animation du réseau", blocks)


def _distribution(results, question: str) -> Table:
    total = results.respondents or 1
    rows = [[value, num(count), pct(count / total)] for value, count in results.distributions.get(question, [])]
    return Table(["Réponse", "Répondants", "Part"], rows)


def evaluation(data: ReportData) -> Section:
    results = data.recap.survey
    blocks: list = [Para.plain(
        "Les Promeneurs sont questionnés sur leurs pratiques par un questionnaire en ligne, "
        "envoyé par le bot deux fois par an."
    )]
    if results is None:
        blocks.append(Para.plain(f"Aucun questionnaire n'a été clos en {data.year}."))
        return Section("evaluation", "Évaluation du projet et de la coordination", blocks)
    blocks.append(Para.of(
        f"Questionnaire n°{results.campaign.number} : **{plural(results.respondents, 'réponse', 'réponses')}** sur "
        f"{plural(results.eligible, 'Promeneur actif', 'Promeneurs actifs')} au lancement, soit un taux de "
        f"réponse de **{pct(results.rate)}**.",
        key=True,
    ))
    for title, question in (("Public principal sur les réseaux", Q_AUDIENCE), ("Type de structure", Q_STRUCTURE)):
        blocks.append(Heading(title))
        blocks.append(_distribution(results, question))
    for make, title in ((recap_charts.weekly_hours, "Présence éducative sur Internet"),
                        (recap_charts.networks, "Présence sur les réseaux sociaux")):
        chart = make(data.recap)
        if chart is not None:
            blocks.append(Heading(title))
            blocks.append(Image(chart.png, chart.title, 13.5))
    return Section("evaluation", "Évaluation du projet et de la coordination", blocks)


def _entry(entry: report_service.PathEntry, label: str | None = None) -> str:
    title = entry.title or label or ""
    times = f" ({plural(entry.quantity, 'fois', 'fois')})" if entry.quantity >= 2 else ""
    return f"**{title}**, {month_year(entry.day)}{times}"


def coordinator_path(data: ReportData) -> Section:
    blocks: list = _text(data, report_service.COORDINATOR_PATH)
    blocks.append(Heading("Formations et temps d'échange de la coordination"))
    if data.trainings:
        blocks.append(Para.plain(
            f"En {data.year}, la coordination a participé à "
            + plural(len(data.trainings), "formation ou temps d'échange", "formations ou temps d'échange") + " :"
        ))
        blocks.append(Bullets.of([_entry(e) for e in data.trainings]))
    else:
        blocks.append(Placeholder(
            "Aucune formation saisie : /activite ajouter, type « Formation ou temps d'échange suivi par la coordination »."
        ))
    return Section("parcours", "Parcours de coordination", blocks)


def governance(data: ReportData) -> Section:
    blocks: list = _text(data, report_service.GOVERNANCE)
    blocks.append(Heading("Instances"))
    if data.governance:
        blocks.append(Bullets.of([
            _entry(e, KIND_LABELS[e.kind]) if not e.title else f"**{KIND_LABELS[e.kind]}**, {month_year(e.day)} : {e.title}"
            for e in data.governance
        ]))
    else:
        blocks.append(Placeholder("Aucun comité saisi : /activite ajouter, type « Comité technique » ou « Comité de pilotage »."))
    blocks.extend(time_split(data))
    return Section("instances", "Instances", blocks)


def time_split(data: ReportData) -> list:
    """The coordination's time by territory and "commun": this year and the years before
    (shares of the recap's coordination hours)."""
    r = data.recap
    scopes = [*r.codes, SHARED]
    years = [y for y in r.evolution_years if (r.evolution[y].get(ALL, {}).get(R.COORDINATION_HOURS) or R.Figure(None)).value]
    if not years:
        return []
    blocks: list = [Heading("Répartition du temps de travail")]
    rows = []
    for y in years:
        total = r.evolution[y][ALL][R.COORDINATION_HOURS].value or 0
        shares = [(r.evolution[y].get(s, {}).get(R.COORDINATION_HOURS) or R.Figure(None)).value or 0 for s in scopes]
        rows.append([str(y), *(pct(h / total) for h in shares), num(total)])
    header = ["Année", *(_name(data, c) for c in r.codes), "Commun", "Heures"]
    blocks.append(Table(header, rows))
    chart = recap_charts.coordination_split(r)
    if chart is not None:
        blocks.append(Image(chart.png, f"Répartition des heures de coordination en {r.year}", 10.5))
    return blocks


def perspectives(data: ReportData) -> Section:
    return Section("perspectives", "Perspectives", _text(data, report_service.PERSPECTIVES), new_page=False)


def synthesis(data: ReportData) -> Section:
    r = data.recap
    blocks: list = []
    for code in r.codes:
        v = lambda key, code=code: _value(data, code, key)
        blocks.append(Heading(f"{code} / {_name(data, code)}"))
        blocks.append(Bullets.of([
            f"**{plural(v(R.PROMENEURS), 'Promeneur du Net', 'Promeneurs du Net')}** dont {num(v(R.YOUTH_COUNT))} Jeunesse "
            f"et {num(v(R.PARENTING_COUNT))} Parentalité",
            f"{plural(v(R.PROFESSIONS), 'type de métier', 'types de métiers')}, "
            f"{plural(v(R.STRUCTURE_TYPES), 'type de structure', 'types de structures')}",
            f"{plural(v(R.PRESENTATIONS), 'présentation du projet', 'présentations du projet')}, "
            f"{plural(v(R.ACCOMP_INDIVIDUAL), 'accompagnement individuel', 'accompagnements individuels')}, "
            + plural(v(R.ACCOMP_TEAM), "accompagnement d'équipe", "accompagnements d'équipes"),
        ]))
    a = lambda key: _value(data, ALL, key)
    blocks.append(Para.of(
        f"→ Soit **{plural(a(R.PROMENEURS), 'Promeneur', 'Promeneurs')}** répartis sur "
        f"{plural(len(r.codes), 'territoire', 'territoires')}, {plural(a(R.PRESENTATIONS), 'présentation du projet', 'présentations du projet')}, "
        f"{plural(a(R.ACCOMP_INDIVIDUAL), 'accompagnement individuel', 'accompagnements individuels')} et "
        + plural(a(R.ACCOMP_TEAM), "accompagnement d'équipe", "accompagnements d'équipes") + " ; "
        f"{plural(a(R.PROFESSIONS), 'type de métier', 'types de métiers')} et "
        f"{plural(a(R.STRUCTURE_TYPES), 'type de structure', 'types de structures')} en tout.",
        key=True,
    ))
    if data.sessions:
        blocks.append(Heading("En commun"))
        blocks.append(Para.of(
            f"→ Soit **{plural(a(R.SESSIONS), 'temps collectif', 'temps collectifs')}** d'animation de réseau",
            key=True,
        ))
        titles = Counter(s.title for s in data.sessions)
        blocks.append(Bullets.of([f"{n} × {title}" for title, n in titles.items()]))
    if r.structure_types:
        blocks.append(Heading("Types de structures"))
        chart = recap_charts.structure_types(r)
        if chart is not None:
            blocks.append(Image(chart.png, chart.title, 13))
    if r.professions:
        blocks.append(Heading("Métiers"))
        blocks.append(Table(["Métier", "Promeneurs"], [[name, num(n)] for name, n in r.professions]))
    return Section("synthese", f"Synthèse des données – {r.year}", blocks)


def _evolution_table(data: ReportData, scope: str) -> Table:
    r = data.recap
    rows, notes = [], []
    for key in R.EVOLUTION_ROWS:
        cells = []
        for y in r.evolution_years:
            fig = r.evolution[y].get(scope, {}).get(key)
            text = num(fig.value if fig else None)
            if fig is not None and fig.imported and fig.value is not None:
                text += IMPORTED_MARK
                if fig.note:
                    notes.append(f"{y}, {EVOLUTION_LABELS[key].strip().lower()} : {fig.note}")
            cells.append(text)
        rows.append([EVOLUTION_LABELS[key].strip() if not EVOLUTION_LABELS[key].startswith(" ") else "dont " + EVOLUTION_LABELS[key].strip(), *cells])
    span = f"{r.evolution_years[0]}–{r.evolution_years[-1]}"
    caption = f"Ensemble des territoires, {span}" if scope == ALL else f"Détail {_name(data, scope)} ({scope}), {span}"
    note = f"{IMPORTED_MARK} chiffre importé des bilans précédents" + (" ; " + " ; ".join(notes) if notes else "") + "."
    has_imported = any(c.endswith(IMPORTED_MARK) for row in rows for c in row)
    return Table(["Indicateur", *(str(y) for y in r.evolution_years)], rows, caption, note=note if has_imported else None)


def evolution(data: ReportData) -> Section:
    blocks: list = [_evolution_table(data, ALL)]
    chart = recap_charts.promeneurs_per_year(data.recap)
    blocks.append(Image(chart.png, chart.title, 14))
    for code in data.recap.codes:
        blocks.append(_evolution_table(data, code))
    return Section("evolution", "Déploiement et évolution du projet", blocks)


# The seed's order (p. 1–20). The time split is inside "Instances", as in the seed.
SECTIONS: list[Callable[[ReportData], Section | None]] = [
    highlights, promotion, accompaniment, animation, evaluation, coordinator_path, governance,
    perspectives, synthesis, evolution,
]


def build(data: ReportData) -> tuple[Cover, list[Section]]:
    """Every section with something to show (blocking: draws charts)."""
    recap_charts._load_matplotlib()
    sections = [s for make in SECTIONS if (s := make(data)) is not None]
    return cover(data), sections
