"""`python -m bot demo --screenshots DIR`: PNG screenshots of the main screens, for the user
guide, through headless Chromium (Debian package `chromium`)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bot.demo.chromium import shoot
from bot.demo.world import DemoWorld


async def _shot(world: DemoWorld, channel: str, viewer, path: Path) -> Path:  # noqa: ANN001
    async with world.env.preview(
        world.channels[channel], viewers=[viewer], layout="channel", locale="fr",
        timezone="Europe/Paris", display="fixed", width=1100, height=1400,
    ) as preview:
        await asyncio.to_thread(shoot, preview.url, path, width=1100, height=1400)
    return path


async def take_screenshots(world: DemoWorld, directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    here = world.channels["accueil"]
    camille = world.promeneurs["camille"]
    await camille.slash(here, "profil voir")
    await world.coordinator.slash(here, "membres liste", territoire="63")
    await world.coordinator.slash(here, "config voir")
    written = [
        await _shot(world, "accueil", world.coordinator, directory / "accueil-coordination.png"),
        await _shot(world, "accueil", camille, directory / "accueil-promeneur.png"),
    ]
    for name in ("annonces", "demandes", "veille", "bilans"):
        written.append(await _shot(world, name, world.coordinator, directory / f"{name}.png"))
    return written
