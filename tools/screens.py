"""`python -m tools.screens DIR`: PNG screenshots of the main screens of the demo, for the
user guide (`docs/images/`), through headless Chromium (Debian package `chromium`).

Each screen is a real command or a real channel of the demo world, seen by the
coordinator or by a Promeneur in SimCord's Preview (French, Paris time)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from bot.demo.serve import run_demo
from bot.demo.timeline import past_year
from bot.demo.world import DemoWorld
from tools.screenshot import capture

WIDTH = 1000
# The Preview's side bar takes ~260 px of the window, and a fixed display keeps its exact
# width: the window is wider than the display, or the display is cut on the right (the
# recap's first line ended in « … Le tab »). crop_chrome trims the spare width again.
SIDE_BAR = 300
CHROMIUM_TIMEOUT = 300  # seconds for one shot: Chromium may take minutes on a busy machine
CONTENT_BACKGROUND = (50, 51, 57)  # the Preview's message pane


async def _shot(
    world: DemoWorld,
    channel: Any,
    viewer: Any,
    path: Path,
    *,
    target: Any = None,
    layout: str = "channel",
    height: int = 1000,
) -> Path:
    async with world.env.preview(
        channel,
        viewers=[viewer],
        layout=layout,
        locale="fr",
        timezone="Europe/Paris",
        display="fixed",
        width=WIDTH,
        height=height,
    ) as preview:
        if target is not None:
            await preview.show(target)
        if not await capture(preview.url, path, width=WIDTH + SIDE_BAR, height=height, seconds=CHROMIUM_TIMEOUT):
            print(f"Warning: {path.name} was shot before the Preview settled (a button may look faded)")
    return path


def crop_chrome(path: Path) -> Path:
    """Only the conversation: without the Preview's tool bar (its "Updating viewport…"
    notices) and its side bar of messages."""
    from PIL import Image

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        x_probe = rgb.width - 40
        top = next((y for y in range(min(200, rgb.height)) if rgb.getpixel((x_probe, y)) == CONTENT_BACKGROUND), 0)
        y_probe = min(rgb.height - 1, top + 40)
        left = next((x for x in range(min(400, rgb.width)) if rgb.getpixel((x, y_probe)) == CONTENT_BACKGROUND), 0)
        right = rgb.width
        spare = rgb.getpixel((rgb.width - 1, rgb.height - 1))
        while right > left + 100 and all(rgb.getpixel((right - 1, y)) == spare for y in range(top, rgb.height, 4)):
            right -= 1
        rgb.crop((left, top, min(rgb.width, right + 16), rgb.height)).save(path, optimize=True)
    return path


def keep_bottom(path: Path, height: int) -> Path:
    """Keep the last `height` pixels of content of a tall screenshot (below it, only the
    page's background): to show the end of a long message, such as the recap's charts."""
    from PIL import Image

    with Image.open(path) as image:
        rgb = image.convert("RGB")
        background = rgb.getpixel((rgb.width - 5, rgb.height - 5))
        bottom = rgb.height
        left = rgb.width * 3 // 10  # right of the Preview's side bar
        while bottom > height and all(rgb.getpixel((x, bottom - 1)) == background for x in range(left, rgb.width, 8)):
            bottom -= 1
        top = max(0, bottom + 24 - height)
        rgb.crop((0, top, rgb.width, min(rgb.height, bottom + 24))).save(path, optimize=True)
    return path


async def take_screenshots(world: DemoWorld, directory: Path) -> list[Path]:
    """The images of the user guide (`docs/images/`), as the coordinator (Claire) or a
    Promeneur (Camille) sees them."""
    await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
    here = world.channels["accueil"]
    claire = world.coordinator
    camille = world.promeneurs["camille"]
    year = past_year(world.bot.today())
    written = []

    async def reply_shot(actor: Any, command: str, name: str, height: int, **options: Any) -> None:
        result = await actor.slash(here, command, **options)
        written.append(
            await _shot(world, here, actor, directory / name, target=result, layout="message", height=height)
        )

    # Events: the last announcement in #annonces (full, with a waitlist), as a Promeneur.
    annonces = world.channels["annonces"]
    written.append(
        await _shot(
            world,
            annonces,
            camille,
            directory / "evenement-annonce.png",
            target=annonces.history()[-1],
            layout="message",
            height=660,
        )
    )
    # Requests: Camille's request thread (scheduled), and the coordination's list.
    thread = next(
        t
        for t in world.channels["demandes"].threads
        if any(m.embeds and "Camille" in str(m.embeds[0].to_dict()) for m in t.history())
    )
    written.append(await _shot(world, thread, camille, directory / "demande-fil.png", height=680))
    await reply_shot(claire, "accompagnement liste", "demandes-liste.png", 480, statut="active")
    # Watch: the draft (coordination) and the published digest in #veille.
    await reply_shot(claire, "veille brouillon", "veille-brouillon.png", 1250)
    written.append(await _shot(world, world.channels["veille"], camille, directory / "veille-publiee.png", height=860))
    # Recap: the year-end recap (tables; charts in #bilans), the monthly summary.
    await reply_shot(claire, "bilan annuel", "bilan-annuel.png", 1250, annee=year)
    bilans = world.channels["bilans"].history()
    charts = next(m for m in bilans if any(a.filename.endswith(".png") for a in m.attachments))
    written.append(
        keep_bottom(
            await _shot(
                world,
                world.channels["bilans"],
                claire,
                directory / "bilan-graphiques.png",
                target=charts,
                layout="message",
                height=5000,
            ),
            5000,  # every chart, « Promeneurs par année » first: only the empty end is cut
        )
    )
    written.append(
        await _shot(
            world,
            world.channels["bilans"],
            claire,
            directory / "bilan-mensuel.png",
            target=bilans[-1],
            layout="message",
            height=600,
        )
    )
    # Directory: a Promeneur's own profile.
    await reply_shot(camille, "profil voir", "profil.png", 420)
    # The panel the coordination posts once (/config panneau), and /aide, as a Promeneur.
    await claire.slash(here, "config panneau")
    panel = here.history()[-1]
    written.append(
        await _shot(world, here, camille, directory / "panneau.png", target=panel, layout="message", height=420)
    )
    await reply_shot(camille, "aide", "aide.png", 1000)
    return [crop_chrome(path) for path in written]


def mentions_in_embeds() -> None:
    """Discord shows `<#id>` and `<@id>` in an embed's description and field values as
    mentions (« #veille »); SimCord's Preview shows them raw there, so the images would show
    `<#1575…>` where members read « #veille ». Render them as Discord does."""
    from simcord.preview import _markdown  # the Preview's per-field markdown policies

    for field in ("embed_description", "embed_field_value"):
        _markdown._FIELD_POLICIES[field]["mentions"] = True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m tools.screens", description="PNG screenshots of the demo's main screens, for the user guide."
    )
    parser.add_argument("directory", type=Path, help="where to write the PNG files (docs/images for the guide)")
    args = parser.parse_args(argv)
    mentions_in_embeds()

    async def shoot_all(world: DemoWorld) -> None:
        for path in await take_screenshots(world, args.directory):
            print(f"Screenshot: {path}")

    return asyncio.run(run_demo(reset=True, on_ready=shoot_all))


if __name__ == "__main__":
    raise SystemExit(main())
