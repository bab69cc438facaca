"""Values no backend can hold, typed at the command line, get a one-line error and a non-zero exit."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from liidi.cli import app

HUGE = "99999999999999999999"

REFUSED = [
    ("explain", HUGE),
    ("explain", "1", "--as-of", "1e17"),
    ("explain", "1", "--as-of", "nan"),
    ("explain", "1", "--as-of", "-1e95"),
    ("people", "show", HUGE),
    ("people", "show", "1", "--events", HUGE),
    ("people", "list", "--account-id", HUGE),
    ("people", "merge", HUGE, "1"),
    ("people", "transition", HUGE, "sal"),
    ("accounts", "show", HUGE),
    ("leads", "--limit", HUGE),
    ("model", "publish", "core-services", "--version", HUGE),
    ("serve", "--port", HUGE),
    ("score", "--model", "core-services", "--as-of", "inf"),
]


@pytest.mark.parametrize("args", REFUSED, ids=" ".join)
def test_a_value_beyond_what_the_store_holds_is_a_one_line_error(
    cli: CliRunner, args: tuple[str, ...]
) -> None:
    result = cli.invoke(app, list(args))
    assert result.exit_code != 0, result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    assert "error" in result.output.lower() or "invalid value" in result.output.lower(), result.output
