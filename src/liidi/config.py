"""Settings: one validated object, read from the environment with the LIIDI_ prefix."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET = "change-me-in-production"


class Environment(StrEnum):
    """Where liidi runs; production refuses unsafe defaults."""

    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class Settings(BaseSettings):
    """Every setting liidi reads. Each is documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="LIIDI_", env_file=".env", extra="ignore")

    env: Environment = Field(
        Environment.DEVELOPMENT,
        description="development, test or production; production refuses unsafe values.",
    )
    database_url: str = Field(
        f"sqlite:///{Path.cwd() / 'liidi.db'}",
        description="SQLAlchemy URL: a SQLite file (default ./liidi.db) or postgresql+psycopg://user@host/db.",
    )
    host: str = Field("127.0.0.1", description="Address the HTTP server binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port the HTTP server listens on.")
    log_level: str = Field("info", description="Log level: debug, info, warning, error.")
    secret_key: str = Field(
        DEFAULT_SECRET,
        min_length=8,
        description="Secret used to sign webhooks and sessions; must be changed in production.",
    )
    max_batch_events: int = Field(1000, ge=1, le=10000, description="Most events accepted in one batch.")
    max_body_bytes: int = Field(
        5_000_000, ge=1024, description="Largest request body accepted, in bytes; larger ones get 413."
    )
    future_tolerance_seconds: int = Field(
        300,
        ge=0,
        description="How far in the future an event's time may be (clock skew) before it is refused.",
    )
    sql_echo: bool = Field(False, description="Log every SQL statement (development only).")
    feedback_reasons: Path | None = Field(
        None,
        description="A YAML file of the reason codes sales gives to reject, step back and lose (default: "
        "the shipped codes; see docs/feedback.md).",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_production_values(self) -> Settings:
        if self.env is Environment.PRODUCTION:
            if self.secret_key == DEFAULT_SECRET or len(self.secret_key) < 32:
                raise ValueError(
                    "LIIDI_SECRET_KEY must be set to a random value of 32+ characters in production"
                )
            if self.sql_echo:
                raise ValueError("LIIDI_SQL_ECHO must be off in production (it logs personal data)")
            if self.log_level.lower() == "debug":
                raise ValueError("LIIDI_LOG_LEVEL=debug is refused in production (it logs personal data)")
        if self.log_level.lower() not in {"debug", "info", "warning", "error", "critical"}:
            raise ValueError(f"LIIDI_LOG_LEVEL={self.log_level!r} is not one of debug, info, warning, error")
        return self


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
