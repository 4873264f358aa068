"""Developer entry point for screenshots of what users see (see `bot.demo.chromium`)."""

from bot.demo.chromium import screenshot, shoot

__all__ = ["screenshot", "shoot"]
