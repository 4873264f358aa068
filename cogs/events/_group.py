"""The /evenement command group, shared by the modules that add subcommands to it (the
main cog, the members' commands, attendance, the creation form, the recurring series):
`Events` inherits their mixins, typed as Cogs (`CommandsMixin`) without importing `Events`."""

from typing import TYPE_CHECKING

from discord import app_commands

evenement = app_commands.Group(
    name="evenement",
    description="Temps de réseau\u00a0: formations, échanges de pratiques, réunions",
    guild_only=True,
)

if TYPE_CHECKING:
    from discord.ext.commands import Cog as CommandsMixin
else:
    CommandsMixin = object  # at run time a plain mixin; `Events` is the one Cog
