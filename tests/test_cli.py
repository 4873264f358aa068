"""The command line as an operator uses it: `python -m bot check|migrate|backup|run|demo` in a
folder with a `.env`, run as a separate process (`run` against a Discord on 127.0.0.1)."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.fake_discord import LAUNCH, FakeDiscord

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


def without_root_override() -> None:
    """In the child, before exec: as root, give up the capabilities that ignore file
    permissions, so a read-only file or folder is read-only as for the bot's usual user."""
    if os.geteuid() != 0:
        return
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def run_limited(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID"}}
    clean["PYTHONPATH"] = str(ROOT)
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=without_root_override,
    )


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "Event loop is closed" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def test_a_misspelt_setting_in_env_is_refused_other_names_are_warned(folder: Path) -> None:
    env_file = folder / ".env"
    env_file.write_text(env_file.read_text() + "DATABSE_URL=sqlite+aiosqlite:///./other.db\n")
    refused = run(folder, "check")
    assert one_error_line(refused) == "Error: Unknown setting DATABSE_URL in .env: did you mean DATABASE_URL?"

    env_file.write_text(
        env_file.read_text().replace("DATABSE_URL=sqlite+aiosqlite:///./other.db\n", "COMPOSE_PROJECT_NAME=pdn\n")
    )
    warned = run(folder, "check", env={"SOME_MACHINE_VARIABLE": "x", "DATABSE_URL": "ignored"})
    assert warned.returncode == 0, warned.stderr
    assert (
        warned.stderr.strip() == "Warning: .env sets COMPOSE_PROJECT_NAME, which is not a setting of the bot (ignored)."
    )


def test_database_faults_end_in_one_line_and_status_2(folder: Path) -> None:
    (folder / "a-folder").mkdir()
    not_a_file = run(folder, "migrate", env={"DATABASE_URL": "sqlite+aiosqlite:///./a-folder"})
    assert one_error_line(not_a_file) == (
        "Error: Cannot open the database a-folder (unable to open database file): check that it is "
        "reachable and that its file and folder are writable."
    )

    locked = folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    no_folder = run_limited(
        folder,
        "-m",
        "bot",
        "run",
        env={
            "DATABASE_URL": "sqlite+aiosqlite:///./locked/data/bot.db",
            "DISCORD_TOKEN": "x",
        },
    )
    assert one_error_line(no_folder) == (
        "Error: Cannot create the data folder locked/data (Permission denied): check its "
        "permissions, or set DATABASE_URL to a writable place."
    )

    assert run(folder, "migrate").returncode == 0
    (folder / "data" / "promeneurs.db").chmod(0o444)
    for command in ("run", "migrate", "check"):
        read_only = run_limited(folder, "-m", "bot", command, env={"DISCORD_TOKEN": "x"})
        assert read_only.returncode == 2
        assert read_only.stderr.strip().splitlines()[-1] == (
            "Error: Cannot write to the database data/promeneurs.db (attempt to write a readonly "
            "database): check the permissions of the file and of its folder."
        )
        assert "Traceback" not in read_only.stderr

    no_driver = run_limited(
        folder,
        "-c",
        "import sys; sys.modules['asyncpg'] = None  # as if the extra was not installed\n"
        "from bot.__main__ import main; sys.exit(main(['migrate']))",
        env={"DATABASE_URL": "postgresql+asyncpg://pdn:secret@127.0.0.1:5432/pdn"},
    )
    assert one_error_line(no_driver) == (
        "Error: DATABASE_URL is a PostgreSQL address but its driver (asyncpg) is not installed: "
        "pip install -e '.[postgres]'."
    )


def start(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID"}}
    clean["PYTHONPATH"] = str(ROOT)
    clean.update(env or {})
    return subprocess.Popen(
        [sys.executable, *args], cwd=cwd, env=clean, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_sigterm_stops_the_running_bot_cleanly(folder: Path) -> None:
    """`python -m bot run` against a Discord on 127.0.0.1: ready, then SIGTERM (systemd,
    docker stop): exit 0, no traceback, the database closed (SQLite removes its WAL files
    when the last connection closes)."""
    with FakeDiscord() as discord:
        process = start(folder, "-c", LAUNCH, str(discord.port), "", env={"DISCORD_TOKEN": "fake-token"})
        try:
            assert discord.identified.wait(60), process.stderr.read() if process.poll() is not None else ""
            wal = folder / "data" / "promeneurs.db-wal"
            deadline = time.monotonic() + 20
            while not wal.exists() and time.monotonic() < deadline:  # ready: the catch-up reads
                time.sleep(0.1)
            assert wal.exists()  # the bot holds the database open
            process.send_signal(signal.SIGTERM)
            _out, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, err
    assert "Traceback" not in err, err
    assert not (folder / "data" / "promeneurs.db-wal").exists()
    assert discord.sync_calls == 1


def test_discord_5xx_at_command_sync_is_retried_then_one_line_and_status_2(folder: Path) -> None:
    with FakeDiscord(sync_status=503) as discord:
        result = run_limited(folder, "-c", LAUNCH, str(discord.port), "0.1,0.2", env={"DISCORD_TOKEN": "fake-token"})
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        "Error: Discord is unavailable (HTTP 503) while registering the slash commands, 3 "
        "attempts; try again in a few minutes."
    )
    assert discord.sync_calls == 3
    assert result.stderr.count("retrying in") == 2  # the back-off, logged

    with FakeDiscord(login_status=503) as discord:
        at_login = run_limited(folder, "-c", LAUNCH, str(discord.port), "", env={"DISCORD_TOKEN": "fake-token"})
    assert at_login.returncode == 2, at_login.stderr
    assert "Traceback" not in at_login.stderr, at_login.stderr
    assert at_login.stderr.strip().splitlines()[-1] == (
        "Error: Discord is unavailable (HTTP 503) at login; try again in a few minutes."
    )


def test_sigterm_stops_the_demo_and_a_second_demo_refuses(folder: Path) -> None:
    port = _free_port()
    first = start(folder, "-m", "bot", "demo", "--port", str(port))
    try:
        assert first.stdout is not None
        ready = first.stdout.readline()
        assert ready.startswith("The demo is ready"), first.stderr.read() if first.poll() is not None else ready
        database = folder / "data" / "demo.db"
        before = database.stat()
        second = run(folder, "demo", "--port", str(_free_port()))
        assert one_error_line(second) == (
            "Error: a demo is already running from this folder (data/demo.lock is locked): use its "
            "page, or stop it first."
        )
        after = database.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # untouched
        first.send_signal(signal.SIGTERM)
        _out, err = first.communicate(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0, err
    assert "Traceback" not in err, err
    assert not (folder / "data" / "demo.db-wal").exists()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_scripts_run_installs_only_when_pyproject_changes(tmp_path: Path) -> None:
    """A reboot without network still starts the bot: `./scripts/run` asks pip (the package
    index) only on the first start and after pyproject.toml changed. pip is replaced by a
    recorder that fails like an unreachable index when told to."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    for name in ("run", "_venv.sh"):
        (project / "scripts" / name).write_bytes((ROOT / "scripts" / name).read_bytes())
        (project / "scripts" / name).chmod(0o755)
    (project / "pyproject.toml").write_bytes((ROOT / "pyproject.toml").read_bytes())
    (project / ".env").write_text((ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "pip.log"
    (venv / "bin" / "python").write_text(
        "#!/bin/sh\n"
        'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then echo "$*" >> "$PIP_LOG"; exit "${PIP_STATUS:-0}"; fi\n'
        f'exec "{sys.executable}" "$@"\n'
    )
    (venv / "bin" / "python").chmod(0o755)

    def script(pip_status: int) -> subprocess.CompletedProcess[str]:
        env = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "DATABASE_URL", "DEV_GUILD_ID"}}
        env.update(VENV=str(venv), PIP_LOG=str(log), PIP_STATUS=str(pip_status), PYTHONPATH=str(ROOT))
        return subprocess.run(
            [str(project / "scripts" / "run"), "check"],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    def pip_calls() -> int:
        return len(log.read_text().splitlines()) if log.exists() else 0

    first = script(pip_status=0)
    assert first.returncode == 0, first.stderr
    assert "Settings: ok" in first.stdout
    assert pip_calls() == 1

    offline = script(pip_status=1)  # no network: not needed, the bot starts
    assert offline.returncode == 0, offline.stderr
    assert "Settings: ok" in offline.stdout
    assert pip_calls() == 1

    pyproject = project / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n# a new dependency\n")
    changed_offline = script(pip_status=1)
    assert changed_offline.returncode == 1
    assert changed_offline.stderr.strip() == (
        "Could not install the dependencies (is the network or the package index reachable?)."
    )
    assert script(pip_status=0).returncode == 0
    assert script(pip_status=1).returncode == 0
    assert pip_calls() == 3
