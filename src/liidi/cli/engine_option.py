"""The `--engine` and `--parquet` options of the reports that run where the data lives."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="sqlite or postgres (the store; the default) or duckdb (over --parquet).",
        show_default=False,
    ),
]
ParquetOption = Annotated[
    Path | None,
    typer.Option(
        "--parquet",
        help="Layout directory for duckdb (liidi export history --parquet DIR).",
        show_default=False,
    ),
]
