"""Screenshots of what users see: SimCord's Preview of the real bot, shot by headless
Chromium (Debian package `chromium`). A developer tool, not part of the test run
(`tools/screens.py` uses it for the user guide's images).

    async with simcord.run(bot) as env:
        ...arrange and act...
        await screenshot(env, channel, viewer=alice, path="/tmp/shot.png")
"""

from __future__ import annotations

import asyncio
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Chromium not found: apt-get install chromium")


def shoot(
    url: str, path: str | Path, *, width: int = 1100, height: int = 1400, wait_ms: int = 2500, timeout: int = 90
) -> None:
    """Load `url` in headless Chromium and write a PNG (blocking; run it in a thread)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(
            [
                chromium(),
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--virtual-time-budget={wait_ms}",
                f"--screenshot={Path(path).resolve()}",
                url,
            ],
            check=True,
            capture_output=True,
            timeout=timeout,
        )


async def screenshot(
    env: Any,
    channel: Any,
    *,
    viewer: Any,
    path: str | Path,
    width: int = 1100,
    height: int = 1400,
) -> Path:
    """Serve the channel as `viewer` sees it (French, Paris time) and screenshot it."""
    async with env.preview(
        channel,
        viewers=[viewer],
        layout="channel",
        locale="fr",
        timezone="Europe/Paris",
        display="fixed",
        width=width,
        height=height,
    ) as preview:
        await asyncio.to_thread(shoot, preview.url, path, width=width, height=height)
    return Path(path)
