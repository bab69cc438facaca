"""Settings: defaults, unsafe production values, and docs/settings.md in step with the code."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from liidi.config import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs" / "settings.md"


def test_the_default_database_is_a_sqlite_file_in_the_working_directory() -> None:
    assert Settings().database_url.startswith("sqlite:///") and Settings().database_url.endswith("liidi.db")


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="LIIDI_SECRET_KEY"):
        Settings(env="production")


def test_production_accepts_a_long_random_secret() -> None:
    assert Settings(env="production", secret_key="x" * 40).env.value == "production"


def test_production_refuses_sql_echo_and_debug_logging() -> None:
    with pytest.raises(ValidationError, match="SQL_ECHO"):
        Settings(env="production", secret_key="x" * 40, sql_echo=True)
    with pytest.raises(ValidationError, match="debug"):
        Settings(env="production", secret_key="x" * 40, log_level="debug")


def test_settings_are_read_from_liidi_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIIDI_PORT", "9001")
    assert Settings().port == 9001


def test_every_setting_is_documented_in_docs_settings_md() -> None:
    text = DOCS.read_text(encoding="utf-8")
    for name, field in Settings.model_fields.items():
        assert f"`LIIDI_{name.upper()}`" in text, f"LIIDI_{name.upper()} missing from docs/settings.md"
        assert field.description and field.description in text, f"description of {name} differs from the docs"
    documented = {line.split("`")[1] for line in text.splitlines() if line.startswith("| `LIIDI_")}
    assert documented == {f"LIIDI_{n.upper()}" for n in Settings.model_fields}
