"""Command line interface (Typer): `liidi --help`."""

from liidi.cli.main import app, main

__all__ = ["app", "main"]
