"""Settings: one validated object, read from the environment with the LIIDI_ prefix."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
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
    serve_dispatch: bool = Field(
        True,
        description="`liidi serve` delivers the outbox in a background thread; off: run `liidi worker`.",
    )
    dispatch_interval_seconds: float = Field(
        0.5, ge=0.01, le=60, description="How often an idle dispatcher looks for messages due for delivery."
    )
    dispatch_batch: int = Field(
        50, ge=1, le=1000, description="Most outbox messages one dispatcher pass takes."
    )
    dispatch_concurrency: int = Field(
        8, ge=1, le=64, description="Deliveries one dispatcher sends at the same time."
    )
    dispatch_lease_seconds: float = Field(
        60,
        ge=1,
        le=3600,
        description="How long a worker holds the messages it took (renewed while it delivers them); after "
        "a crash, another worker takes them once the lease ends.",
    )
    delivery_max_attempts: int = Field(
        15, ge=1, le=100, description="Tries of one message to one target before it is dead-lettered."
    )
    delivery_backoff_seconds: float = Field(
        10,
        ge=0.01,
        le=3600,
        description="Wait after a first failed try; it doubles with each try, half jittered.",
    )
    delivery_backoff_max_seconds: float = Field(
        3600, ge=0.01, le=86400, description="Longest wait between two tries of one delivery."
    )
    delivery_timeout_seconds: float = Field(
        10, gt=0, le=300, description="Timeout of one webhook, Slack or SMTP call; a timeout is a failed try."
    )
    webhook_allow_private: bool = Field(
        False,
        description="Allow webhook targets on private, loopback and link-local addresses (development, "
        "tests, an internal network you trust).",
    )
    smtp_host: str = Field("", description="SMTP server for notification e-mails; empty: no e-mail is sent.")
    smtp_port: int = Field(587, ge=1, le=65535, description="Port of the SMTP server.")
    smtp_user: str = Field("", description="SMTP user name; empty: no login.")
    smtp_password: SecretStr = Field(SecretStr(""), description="SMTP password (never logged or shown).")
    smtp_from: str = Field("liidi@localhost", description="From address of notification e-mails.")
    smtp_starttls: bool = Field(True, description="Upgrade the SMTP connection with STARTTLS before login.")
    notify_emails: str = Field(
        "", description="Comma-separated addresses that get the e-mails of messages without an owner."
    )
    email_events: str = Field(
        "lead.assigned",
        description="Comma-separated topics sent by e-mail (to the message's owner, else "
        "LIIDI_NOTIFY_EMAILS).",
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
        self._check_notify_addresses()
        if self.log_level.lower() not in {"debug", "info", "warning", "error", "critical"}:
            raise ValueError(f"LIIDI_LOG_LEVEL={self.log_level!r} is not one of debug, info, warning, error")
        return self

    def _check_notify_addresses(self) -> None:
        for name, value in (("LIIDI_NOTIFY_EMAILS", self.notify_emails), ("LIIDI_SMTP_FROM", self.smtp_from)):
            bad = [a for a in split_list(value) if "@" not in a or any(c.isspace() for c in a)]
            if bad:
                raise ValueError(f"{name}: {bad[0]!r} is not an e-mail address")

    @property
    def notify_addresses(self) -> list[str]:
        """LIIDI_NOTIFY_EMAILS as a list."""
        return split_list(self.notify_emails)

    @property
    def email_topics(self) -> list[str]:
        """The topics e-mailed, or none when no SMTP server is set."""
        return split_list(self.email_events) if self.smtp_host else []


def split_list(value: str) -> list[str]:
    """A comma-separated setting as its non-empty items."""
    return [item.strip() for item in value.split(",") if item.strip()]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read once."""
    return Settings()
