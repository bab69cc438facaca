"""Docs that cannot drift: the CLI reference is generated from --help and checked here."""

from __future__ import annotations

from pathlib import Path

from liidi.cli import app
from liidi.cli.reference import render

ROOT = Path(__file__).resolve().parents[2]


def test_docs_cli_md_matches_the_commands_help() -> None:
    expected = render(app)
    actual = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/cli.md is out of date: run `make docs`"


def test_every_command_has_help_text() -> None:
    text = render(app)
    assert "liidi import" in text and "liidi people show" in text and "liidi demo generate" in text
    assert "Usage:" in text and "Error" not in text
