"""The narrative sections of the report, in the seed's order: highlights, promotion,
activity and accompaniment, network animation, evaluation, the coordination's path,
governance (with the time split), perspectives."""

from __future__ import annotations

from bot.db.models.activity import PUBLIC_WORKSHOP, SCHOOL
from bot.services import report as report_service
from bot.services.activity import KIND_LABELS
from bot.services.events import rules as event_rules
from bot.services.periods import ALL, SHARED
from bot.services.recap import indicators as R
from bot.services.report import ReportData
from bot.services.survey import Q_AUDIENCE, Q_STRUCTURE
from bot.ui import recap_charts
from bot.ui.report.blocks import Bullets, Heading, Image, Para, Placeholder, Section, Table
from bot.ui.report.common import per_territory, territory_name, text_blocks, value
from bot.ui.report.typography import month_year, num, pct, plural, short_day


def highlights(data: ReportData) -> Section:
    return Section("faits-marquants", f"Faits marquants {data.year}", text_blocks(data, report_service.HIGHLIGHTS))


def promotion(data: ReportData) -> Section:
    blocks = text_blocks(data, report_service.PROMOTION)
    blocks.append(
        Para.of(
            per_territory(data, R.PRESENTATIONS, "présentation du projet", "présentations du projet")
            + f" auprès de collectivités, de structures ou d'associations en {data.year}.",
            key=True,
        )
    )
    return Section("promotion", "Promotion du dispositif", blocks, new_page=False)


def accompaniment(data: ReportData) -> Section:
    y = data.year
    blocks: list = text_blocks(data, report_service.ACCOMPANIMENT)
    promeneurs, youth, parenting = (value(data, ALL, k) for k in (R.PROMENEURS, R.YOUTH_COUNT, R.PARENTING_COUNT))
    arrivals, departures = value(data, ALL, R.ARRIVALS), value(data, ALL, R.DEPARTURES)
    blocks.append(Heading("Les Promeneurs du Net"))
    blocks.append(
        Para.of(
            f"En {y}, **{plural(promeneurs, 'Promeneur du Net', 'Promeneurs du Net')}**\u00a0: "
            f"{num(youth)} au volet Jeunesse et {num(parenting)} au volet Parentalité. "
            f"{plural(arrivals, 'arrivée', 'arrivées')} et {plural(departures, 'départ', 'départs')} dans l'année."
        )
    )
    rows = []
    for code in data.recap.codes:
        rows.append(
            [
                f"{territory_name(data, code)} ({code})",
                *(
                    num(value(data, code, k))
                    for k in (R.PROMENEURS, R.YOUTH_COUNT, R.PARENTING_COUNT, R.ARRIVALS, R.DEPARTURES)
                ),
            ]
        )
    rows.append(
        [
            "Ensemble",
            *(
                num(value(data, ALL, k))
                for k in (R.PROMENEURS, R.YOUTH_COUNT, R.PARENTING_COUNT, R.ARRIVALS, R.DEPARTURES)
            ),
        ]
    )
    blocks.append(Table(["Territoire", "Promeneurs", "Jeunesse", "Parentalité", "Arrivées", "Départs"], rows))
    blocks.append(Heading("Accompagnement technique individuel"))
    blocks.append(
        Para.of(
            "→ En "
            + str(y)
            + ", "
            + per_territory(
                data,
                R.ACCOMP_INDIVIDUAL,
                "accompagnement technique individuel",
                "accompagnements techniques individuels",
            )
            + ".",
            key=True,
        )
    )
    blocks.append(Heading("Accompagnement des équipes"))
    blocks.append(
        Para.of(
            "→ En "
            + str(y)
            + ", "
            + per_territory(data, R.ACCOMP_TEAM, "accompagnement d'équipe", "accompagnements d'équipes")
            + ".",
            key=True,
        )
    )
    workshops = [
        (kind, sum(q for (s, k), (_, q) in data.recap.activities.items() if k == kind))
        for kind in (PUBLIC_WORKSHOP, SCHOOL)
    ]
    if any(q for _, q in workshops):
        blocks.append(Heading("Événements et ateliers avec le public"))
        blocks.append(Bullets.of([f"{KIND_LABELS[k]}\u00a0: **{num(q)}**" for k, q in workshops if q]))
    total = value(data, ALL, R.ACCOMPANIMENTS)
    blocks.append(
        Para.of(
            f"→ Soit au total **{plural(total, 'accompagnement individuel ou collectif réalisé', 'accompagnements individuels ou collectifs réalisés')}** durant l'année {y}.",
            key=True,
        )
    )
    return Section("accompagnement", "Activité et accompagnement des Promeneurs", blocks, new_page=False)


def _place(data: ReportData, line: report_service.SessionLine) -> str:
    code = "" if line.territory == SHARED else f" ({line.territory})"
    return f"{line.place}{code}" if line.place else ("—" if not code else code.strip())


def animation(data: ReportData) -> Section:
    y = data.year
    blocks: list = [
        Para.plain(
            "Afin de conserver une dynamique au projet et de favoriser l'interconnaissance, les "
            "Promeneurs sont invités à se réunir plusieurs fois par an."
        )
    ]
    by_type: dict[str, list[report_service.SessionLine]] = {}
    for line in data.sessions:
        by_type.setdefault(line.type, []).append(line)
    order = list(event_rules.TYPE_LABELS)
    for kind in sorted(by_type, key=lambda k: order.index(k) if k in order else len(order)):
        lines = by_type[kind]
        label = event_rules.TYPE_LABELS.get(kind, kind)
        type_days = sum(s.days for s in lines)
        blocks.append(
            Heading(f"{label}\u00a0: {plural(len(lines), 'temps', 'temps')}, {plural(type_days, 'jour', 'jours')}")
        )
        marked = any(s.present for s in data.sessions)  # the column only when marked
        blocks.append(
            Table(
                ["Date", "Intitulé", "Lieu", "Format", "Jours", *(["Présents"] if marked else [])],
                [
                    [
                        short_day(s.day),
                        s.title,
                        _place(data, s),
                        event_rules.FORMAT_LABELS.get(s.format, s.format),
                        num(s.days),
                        *([num(s.present)] if marked else []),
                    ]
                    for s in lines
                ],
                numeric_from=4,
                widths=[11, 38, 24, 12, 7, 8] if marked else [11, 43, 26, 12, 8],
            )
        )
    sessions, days = value(data, ALL, R.SESSIONS), value(data, ALL, R.SESSION_DAYS)
    in_person, remote = value(data, ALL, R.SESSIONS_IN_PERSON), value(data, ALL, R.SESSIONS_REMOTE)
    blocks.append(
        Para.of(
            f"→ Soit au total **{plural(sessions, 'temps de réseau proposé', 'temps de réseau proposés')}** durant "
            f"l'année {y} ({plural(days, 'jour', 'jours')})\u00a0: {num(in_person)} en présentiel, {num(remote)} à distance.",
            key=True,
        )
    )
    attendance, reached = value(data, ALL, R.ATTENDANCE), value(data, ALL, R.REACHED)
    if attendance:
        blocks.append(
            Para.of(
                f"{plural(attendance, 'présence', 'présences')} en tout\u00a0; "
                f"{plural(reached, 'Promeneur différent a', 'Promeneurs différents ont')} participé à au moins un temps."
            )
        )
    if data.recap.digests is not None:
        blocks.append(Heading("Maintien du lien"))
        blocks.append(
            Para.plain(
                "La veille en ligne permet à la coordination de relayer aux Promeneurs des informations "
                "utiles\u00a0: actualités du numérique, événements du territoire, études, projets de Promeneurs."
            )
        )
        if data.recap.digests:
            blocks.append(
                Para.of(
                    f"→ En {y}, **{plural(data.recap.digests, 'lettre de veille publiée', 'lettres de veille publiées')}**, "
                    f"soit {plural(data.recap.digest_links, 'lien partagé', 'liens partagés')}.",
                    key=True,
                )
            )
        else:
            blocks.append(Para.plain(f"Aucune lettre de veille publiée en {y}."))
    return Section("animation", "Animation du réseau", blocks)


def _distribution(results, question: str) -> Table:
    total = results.respondents or 1
    rows = [[answer, num(count), pct(count / total)] for answer, count in results.distributions.get(question, [])]
    return Table(["Réponse", "Répondants", "Part"], rows)


def evaluation(data: ReportData) -> Section:
    results = data.recap.survey
    blocks: list = [
        Para.plain(
            "Les Promeneurs sont questionnés sur leurs pratiques deux fois par an, par un "
            "questionnaire en ligne sur le serveur Discord du réseau."
        )
    ]
    if results is None:
        blocks.append(Para.plain(f"Aucun questionnaire n'a été clos en {data.year}."))
        return Section("evaluation", "Évaluation du projet et de la coordination", blocks)
    blocks.append(
        Para.of(
            f"Questionnaire n°{results.campaign.number}\u00a0: **{plural(results.respondents, 'réponse', 'réponses')}** sur "
            f"{plural(results.eligible, 'Promeneur actif', 'Promeneurs actifs')} au lancement, soit un taux de "
            f"réponse de **{pct(results.rate)}**.",
            key=True,
        )
    )
    for title, question in (("Public principal sur les réseaux", Q_AUDIENCE), ("Type de structure", Q_STRUCTURE)):
        blocks.append(Heading(title))
        blocks.append(_distribution(results, question))
    for make, title in (
        (recap_charts.weekly_hours, "Présence éducative sur Internet"),
        (recap_charts.networks, "Présence sur les réseaux sociaux"),
    ):
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
    blocks: list = text_blocks(data, report_service.COORDINATOR_PATH)
    blocks.append(Heading("Formations et temps d'échange de la coordination"))
    if data.trainings:
        blocks.append(
            Para.plain(
                f"En {data.year}, la coordination a participé à "
                + plural(len(data.trainings), "formation ou temps d'échange", "formations ou temps d'échange")
                + "\u00a0:"
            )
        )
        blocks.append(Bullets.of([_entry(e) for e in data.trainings]))
    else:
        blocks.append(
            Placeholder(
                "Aucune formation saisie\u00a0: /activite ajouter, type «\u00a0Formation ou temps d'échange suivi par la coordination\u00a0»."
            )
        )
    return Section("parcours", "Parcours de coordination", blocks)


def governance(data: ReportData) -> Section:
    blocks: list = text_blocks(data, report_service.GOVERNANCE)
    blocks.append(Heading("Instances"))
    if data.governance:
        blocks.append(
            Bullets.of(
                [
                    _entry(e, KIND_LABELS[e.kind])
                    if not e.title
                    else f"**{KIND_LABELS[e.kind]}**, {month_year(e.day)}\u00a0: {e.title}"
                    for e in data.governance
                ]
            )
        )
    else:
        blocks.append(
            Placeholder(
                "Aucun comité saisi\u00a0: /activite ajouter, type «\u00a0Comité technique\u00a0» ou «\u00a0Comité de pilotage\u00a0»."
            )
        )
    blocks.extend(time_split(data))
    return Section("instances", "Instances", blocks)


def time_split(data: ReportData) -> list:
    """The coordination's time by territory and "commun": this year and the years before
    (shares of the recap's coordination hours)."""
    r = data.recap
    scopes = [*r.codes, SHARED]
    years = [
        y for y in r.evolution_years if (r.evolution[y].get(ALL, {}).get(R.COORDINATION_HOURS) or R.Figure(None)).value
    ]
    if not years:
        return []
    blocks: list = [Heading("Répartition du temps de travail")]
    rows = []
    for y in years:
        total = r.evolution[y][ALL][R.COORDINATION_HOURS].value or 0
        shares = [(r.evolution[y].get(s, {}).get(R.COORDINATION_HOURS) or R.Figure(None)).value or 0 for s in scopes]
        rows.append([str(y), *(pct(h / total) for h in shares), num(total)])
    header = ["Année", *(territory_name(data, c) for c in r.codes), "Commun", "Heures"]
    blocks.append(Table(header, rows))
    chart = recap_charts.coordination_split(r)
    if chart is not None:
        blocks.append(Image(chart.png, f"Répartition des heures de coordination en {r.year}", 10.5))
    return blocks


def perspectives(data: ReportData) -> Section:
    return Section("perspectives", "Perspectives", text_blocks(data, report_service.PERSPECTIVES), new_page=False)
