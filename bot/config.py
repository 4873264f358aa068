"""Settings, read once from the environment and `.env`, then passed down explicitly."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

PLACEHOLDER_TOKEN = "replace-me-with-your-bot-token"
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/promeneurs.db"


class Settings(BaseSettings):
    """Every setting of the bot; `.env.example` documents each one."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr = Field(description="Bot token from the Discord developer portal.")
    database_url: str = DEFAULT_DATABASE_URL
    dev_guild_id: int | None = None
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    sqlite_synchronous: Literal["NORMAL", "FULL"] = "NORMAL"
    # Calendar feeds over HTTP: off unless both WEB_PORT and PUBLIC_URL are set.
    web_port: int | None = Field(default=None, ge=0, le=65535)
    web_host: str = "127.0.0.1"
    public_url: str | None = None

    @field_validator("dev_guild_id", "web_port", "public_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if value in ("", None) else value

    @field_validator("log_level", "sqlite_synchronous", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _supported_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError("must start with https:// (or http:// for a test)")
        return value

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def token_is_placeholder(self) -> bool:
        token = self.discord_token.get_secret_value().strip()
        return not token or token == PLACEHOLDER_TOKEN

    def sqlite_path(self) -> Path | None:
        """The database file for a SQLite URL (None for PostgreSQL or in-memory)."""
        if not self.is_sqlite:
            return None
        path = self.database_url.split(":///", 1)[1] if ":///" in self.database_url else ""
        return Path(path) if path and path != ":memory:" else None


def unknown_env_file_keys(path: Path) -> list[tuple[str, str | None]]:
    """The names set in the `.env` file that are not settings, each with the setting it most
    likely misspells (or None). Only the file is read: the machine's environment holds many
    other variables."""
    if not path.is_file():
        return []
    known = [name.upper() for name in Settings.model_fields]
    found = []
    for key in dotenv_values(path):
        if key.upper() not in known:
            close = difflib.get_close_matches(key.upper(), known, n=1, cutoff=0.8)
            found.append((key, close[0] if close else None))
    return found
