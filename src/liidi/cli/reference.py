"""Generate docs/cli.md from the commands' --help, so the reference cannot drift."""

from __future__ import annotations

import typer
from typer.testing import CliRunner

HEADER = """# CLI reference

Generated from `liidi … --help` (`liidi docs-cli`); a test fails when this file and the code disagree.

Exit codes: 0 success, 1 other error, 2 usage error, 65 invalid input, 66 not found, 67 conflict,
69 database unavailable, 77 bad API key, 78 invalid setting.
"""


def _commands(app: typer.Typer) -> list[list[str]]:
    group = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(cmd: object, path: list[str]) -> None:
        if getattr(cmd, "hidden", False):
            return
        paths.append(path)
        for name, sub in sorted(getattr(cmd, "commands", {}).items()):
            walk(sub, [*path, name])

    walk(group, [])
    return paths


def render(app: typer.Typer) -> str:
    """The whole reference as Markdown."""
    runner = CliRunner()
    parts = [HEADER]
    for path in _commands(app):
        result = runner.invoke(
            app, [*path, "--help"], env={"COLUMNS": "100", "TERM": "dumb", "NO_COLOR": "1"}
        )
        title = " ".join(["liidi", *path])
        body = "\n".join(line.rstrip() for line in result.output.strip("\n ").splitlines())
        parts.append(f"## `{title}`\n\n```text\n{body}\n```\n")
    return "\n".join(parts)
