"""Screenshots of what users see: SimCord's Preview of the real bot, shot by headless
Chromium (Debian package `chromium`). A developer tool, not part of the test run
(`tools/screens.py` uses it for the user guide's images).

    async with simcord.run(bot) as env:
        ...arrange and act...
        await screenshot(env, channel, viewer=alice, path="/tmp/shot.png")

Chromium is driven through its DevTools protocol (over a WebSocket, with aiohttp) and shoots
once the page has settled, in real time: the Preview's own requests answered (no « Updating
viewport… », no button faded while an action is pending). Chromium's `--screenshot` with a
virtual time budget shot before the answers came back, on a busy machine.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import re
import shutil
import tempfile
from pathlib import Path
from typing import Any

import aiohttp

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
# Settled: no action of the Preview pending (its status line ends with « … » while one is),
# no enabled button shown faded (the Preview fades them while an action is pending), every
# image loaded (the recap's charts).
SETTLED = """(() => {
  const status = (document.getElementById("action-status") || {}).textContent || "";
  const faded = document.querySelector('button.component-button[aria-disabled="true"]:not(:disabled)');
  const images = [...document.images].every((image) => image.complete && image.naturalWidth > 0);
  return document.readyState === "complete" && !status.trim().endsWith("…") && !faded && images;
})()"""
SETTLED_POLLS = 4  # consecutive settled checks, POLL_SECONDS apart, before shooting
POLL_SECONDS = 0.25
DEVTOOLS = re.compile(rb"DevTools listening on (ws://\S+)")


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Chromium not found: apt-get install chromium")


class _DevTools:
    """A minimal DevTools client: one page, commands answered in order."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self.ids)
        await self.socket.send_json({"id": call_id, "method": method, "params": params})
        async for message in self.socket:
            data = message.json()
            if data.get("id") == call_id:
                if "error" in data:
                    raise RuntimeError(f"{method}: {data['error']}")
                result: dict[str, Any] = data.get("result", {})
                return result
        raise RuntimeError("Chromium closed the DevTools connection")


async def capture(url: str, path: str | Path, *, width: int = 1100, height: int = 1400, seconds: float = 300) -> bool:
    """Load `url` in headless Chromium, wait until the Preview has settled (at most `seconds`
    seconds) and write a PNG of `width` x `height`. Returns whether the page had settled."""
    with tempfile.TemporaryDirectory() as profile:
        process = await asyncio.create_subprocess_exec(
            chromium(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "--remote-debugging-port=0",
            "about:blank",
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
        try:
            return await asyncio.wait_for(_capture(process, url, Path(path), width, height), seconds)
        finally:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()


async def _capture(process: asyncio.subprocess.Process, url: str, path: Path, width: int, height: int) -> bool:
    assert process.stderr is not None
    while not (found := DEVTOOLS.search(await process.stderr.readline())):
        if process.stderr.at_eof():
            raise RuntimeError("Chromium did not start its DevTools endpoint")
    browser_url = found.group(1).decode()
    http_root = "http://" + browser_url.split("/")[2]
    async with aiohttp.ClientSession() as http:
        async with http.get(f"{http_root}/json/list") as response:
            pages = [t for t in await response.json() if t.get("type") == "page"]
        async with http.ws_connect(pages[0]["webSocketDebuggerUrl"], max_msg_size=0) as socket:
            tools = _DevTools(socket)
            await tools.call(
                "Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False
            )
            await tools.call("Page.navigate", url=url)
            settled = 0
            for _ in range(int(120 / POLL_SECONDS)):  # at most two minutes; the caller may cut sooner
                await asyncio.sleep(POLL_SECONDS)
                check = await tools.call("Runtime.evaluate", expression=SETTLED, returnByValue=True)
                settled = settled + 1 if check.get("result", {}).get("value") is True else 0
                if settled >= SETTLED_POLLS:
                    break
            shot = await tools.call("Page.captureScreenshot", format="png")
    await asyncio.to_thread(path.write_bytes, base64.b64decode(shot["data"]))
    return settled >= SETTLED_POLLS


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
        await capture(preview.url, path, width=width, height=height)
    return Path(path)
