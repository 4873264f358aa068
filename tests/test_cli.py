"""The command line as an operator uses it: `python -m bot check|migrate|backup` in a folder
with a `.env`, run as a separate process."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID"}}
    clean["PYTHONPATH"] = str(ROOT)
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args], cwd=cwd, env=clean, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    return tmp_path


def test_check_passes_on_a_fresh_env_with_the_placeholder_token(folder: Path) -> None:
    result = run(folder, "check")
    assert result.returncode == 0, result.stderr
    assert "Settings: ok" in result.stdout
    assert "DISCORD_TOKEN: still the placeholder" in result.stdout
    assert "Migrations: not applied yet" in result.stdout


def test_missing_or_invalid_settings_give_one_line_and_status_2(tmp_path: Path) -> None:
    missing = run(tmp_path, "check")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "Error: Missing setting DISCORD_TOKEN: add it to .env (see .env.example)."
    invalid = run(tmp_path, "check", env={"DISCORD_TOKEN": "x", "DATABASE_URL": "mysql://db"})
    assert invalid.returncode == 2
    assert invalid.stderr.startswith("Error: Invalid setting DATABASE_URL")
    assert "Traceback" not in invalid.stderr
    placeholder = run(tmp_path, "run", env={"DISCORD_TOKEN": "replace-me-with-your-bot-token"})
    assert placeholder.returncode == 2
    assert "DISCORD_TOKEN is still the placeholder" in placeholder.stderr


def test_migrate_then_backup_while_a_writer_holds_the_database(folder: Path) -> None:
    assert run(folder, "migrate").returncode == 0
    assert "Migrations: current" in run(folder, "check").stdout
    database = folder / "data" / "promeneurs.db"
    writer = sqlite3.connect(database, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("INSERT INTO guilds (guild_id, created_at, updated_at) VALUES (1, '2027-01-01', '2027-01-01')")
    try:
        result = run(folder, "backup", "backups/copy.db")
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert result.returncode == 0, result.stderr
    copy = sqlite3.connect(folder / "backups" / "copy.db")
    tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    copy.close()
    assert {"guilds", "members", "outbox_posts", "alembic_version"} <= tables


def test_backup_on_postgresql_explains_pg_dump(folder: Path) -> None:
    result = run(folder, "backup", "x.db", env={"DATABASE_URL": "postgresql+asyncpg://u@127.0.0.1:1/db"})
    assert result.returncode == 1
    assert "pg_dump" in result.stdout
