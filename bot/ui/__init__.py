"""Discord rendering helpers shared by the cogs (pagers, embeds, files)."""
