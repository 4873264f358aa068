"""The /evenement command group, shared by the modules that add subcommands to it (the
main cog, the creation form, the recurring series): `Events` inherits their mixins."""

from discord import app_commands

evenement = app_commands.Group(
    name="evenement",
    description="Temps de réseau\u00a0: formations, échanges de pratiques, réunions",
    guild_only=True,
)
