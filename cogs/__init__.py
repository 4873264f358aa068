"""Feature packages: one per capability, each loaded as an extension by `bot.app`."""
