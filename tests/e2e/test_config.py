"""/config through SimCord: the real bot, real discord.py dispatch, simulated users."""

from __future__ import annotations

from tests.conftest import slash_anyway


async def test_admin_configures_roles_channels_and_territories(configured) -> None:
    w = configured
    result = await w.coordinator.slash(w.general, "config voir")

    assert result.ephemeral
    embed = result.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Rôles"] == (
        f"Coordination\u00a0: <@&{w.coordination_role.id}>\nPromeneurs\u00a0: <@&{w.promeneur_role.id}>"
    )
    assert f"Annonces\u00a0: <#{w.announcements.id}>" in fields["Salons"]
    assert f"Bilans\u00a0: <#{w.recaps.id}>" in fields["Salons"]
    assert fields["Territoires"] == "**03** Allier\n**63** Puy-de-Dôme"
    assert "Types de structure\u00a0: 18 valeurs" in fields["Listes"]


async def test_plain_member_is_refused_everywhere(configured) -> None:
    w = configured
    for name, options in [
        ("config voir", {}),
        ("config territoire-ajouter", {"code": "15", "nom": "Cantal"}),
        ("config roles", {"coordination": w.promeneur_role}),
    ]:
        result = await slash_anyway(w.alice, w.general, name, **options)
        assert result.ephemeral
        assert "réservée à la coordination" in result.response.content

    voir = await w.coordinator.slash(w.general, "config voir")
    territories = {f.name: f.value for f in voir.response.embeds[0].fields}["Territoires"]
    assert "Cantal" not in territories
    roles = {f.name: f.value for f in voir.response.embeds[0].fields}["Rôles"]
    assert f"<@&{w.coordination_role.id}>" in roles


async def test_before_roles_are_set_only_manage_server_may_configure(world) -> None:
    w = world
    refused = await w.coordinator.slash(w.general, "config territoire-ajouter", code="63", nom="Puy-de-Dôme")
    assert "réservée à la coordination" in refused.response.content
    done = await w.admin.slash(w.general, "config territoire-ajouter", code="63", nom="Puy-de-Dôme")
    assert done.response.content == "Territoire ajouté\u00a0: **63 Puy-de-Dôme**."


async def test_territory_errors_are_clear_and_write_nothing(configured) -> None:
    w = configured
    dup = await w.coordinator.slash(w.general, "config territoire-ajouter", code="63", nom="Autre")
    assert dup.response.content == "Le territoire 63 existe déjà (Puy-de-Dôme)."
    bad = await w.coordinator.slash(w.general, "config territoire-ajouter", code="6 3!", nom="X")
    assert "n'est pas valide" in bad.response.content
    unknown = await w.coordinator.slash(w.general, "config territoire-retirer", territoire="99")
    assert "n'est pas configuré" in unknown.response.content
    assert "03 Allier, 63 Puy-de-Dôme" in unknown.response.content

    removed = await w.coordinator.slash(w.general, "config territoire-retirer", territoire="03")
    assert removed.response.content.startswith("Territoire retiré\u00a0: **03 Allier**")
    choices = await w.coordinator.autocomplete(w.general, "config territoire-retirer", "territoire", "")
    assert [c["value"] for c in choices] == ["63"]


async def test_lists_can_be_extended_and_trimmed(configured) -> None:
    w = configured
    added = await w.coordinator.slash(
        w.general, "config liste-ajouter", liste="structure_types", valeur="  Maison des   jeunes "
    )
    assert (
        added.response.content == "«\u00a0Maison des jeunes\u00a0» ajouté à la liste «\u00a0Types de structure\u00a0»."
    )
    again = await w.coordinator.slash(
        w.general, "config liste-ajouter", liste="structure_types", valeur="maison des jeunes"
    )
    assert "figure déjà" in again.response.content
    too_long = await w.coordinator.slash(w.general, "config liste-ajouter", liste="professions", valeur="x" * 101)
    assert "dépasse 100 caractères" in too_long.response.content

    removed = await w.coordinator.slash(
        w.general, "config liste-retirer", liste="structure_types", valeur="Médiathèque"
    )
    assert "retiré de la liste" in removed.response.content
    choices = await w.alice.autocomplete(w.general, "profil modifier", "type_structure", "")
    values = [c["value"] for c in choices]
    assert "Maison des jeunes" in values
    assert "Médiathèque" not in values
    assert len(values) == 18  # 18 defaults - 1 hidden + 1 added


async def test_planning_without_scheduled_posts_says_so(configured) -> None:
    w = configured
    for extension in ("cogs.recap", "cogs.survey", "cogs.watch"):  # a bot whose features post nothing
        await w.env.bot.unload_extension(extension)
    result = await w.coordinator.slash(w.general, "config planning", publication="digest", heure="9h")
    assert result.response.content == "Aucune publication programmée n'est disponible sur ce bot pour l'instant."
