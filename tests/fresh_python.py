"""Running a script in a fresh interpreter (what a test process has already imported cannot
hide an import), with the project on its path and no bot settings from the environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = {"DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID"}


def last_line(folder: Path, source: str, *args: str, name: str = "script.py", timeout: float = 180) -> str:
    """Write `source` to `folder/name`, run it with `args` (from `folder`), and return the
    last line it printed; a failure shows the end of its stderr."""
    script = folder / name
    script.write_text(source, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env["PYTHONPATH"] = str(ROOT)
    result = subprocess.run(
        [sys.executable, str(script), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip().splitlines()[-1]


def last_json(folder: Path, source: str, *args: str, name: str = "script.py", timeout: float = 180) -> Any:
    return json.loads(last_line(folder, source, *args, name=name, timeout=timeout))
