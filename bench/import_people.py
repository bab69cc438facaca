"""People import benchmark: rows per second of `import_people`, with and without a published model.

Run: `python bench/import_people.py [--rows 5000] [--backend sqlite|postgresql|both]`. Prints a table and
writes bench/results/import_people.json. On a fresh database per model setting: a first import (every row
a new person), one event per person (so everyone has a score state when a model is published), then the
same file again unchanged, and again with every person's title changed (each person's fit changes, so
each is rescored when a model is published).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from functools import partial
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from databases import Databases
from liidi.services import ingest, models
from liidi.services.imports import import_people
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session

EXAMPLE = (Path(__file__).resolve().parents[1] / "examples" / "scoring.yaml").read_text(encoding="utf-8")
NOW = time.time()
PASSES = ("first import", "unchanged", "titles changed")


def people(rows: int, title: str) -> list[dict[str, Any]]:
    """Rows shaped like a CRM export: e-mail, names, a title and two extra attributes."""
    return [
        {
            "email": f"person{i}@company{i % 300}.fi",
            "first_name": f"First{i}",
            "last_name": f"Last{i}",
            "title": title,
            "traits": {"segment": f"s{i % 7}", "source": "crm"},
        }
        for i in range(rows)
    ]


def timed_import(engine: Any, records: list[dict[str, Any]]) -> float:
    start = time.perf_counter()
    import_people(UnitOfWork(engine), records=records, now=NOW)
    return len(records) / (time.perf_counter() - start)


def run(url: str, rows: int, *, model: bool) -> dict[str, float]:
    """Rows per second of each pass on one fresh database."""
    engine = session.make_engine(url)
    if model:
        draft = models.add_draft(UnitOfWork(engine), text=EXAMPLE, source_name="scoring.yaml", author="bench")
        new_uow = partial(UnitOfWork, engine)
        models.publish(new_uow, name=draft.name, version=draft.version, author="bench", now=NOW)
    rates = {PASSES[0]: timed_import(engine, people(rows, "Developer"))}
    for start in range(0, rows, 1000):
        batch = [
            {
                "id": f"e{i}",
                "type": "page_view",
                "email": f"person{i}@company{i % 300}.fi",
                "occurred_at": NOW - 60,
            }
            for i in range(start, min(rows, start + 1000))
        ]
        ingest.track_events(UnitOfWork(engine), events=batch, now=NOW)
    rates[PASSES[1]] = timed_import(engine, people(rows, "Developer"))
    rates[PASSES[2]] = timed_import(engine, people(rows, "CTO"))
    engine.dispose()
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description="people import benchmark")
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--backend", default="both", choices=["sqlite", "postgresql", "both"])
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--out", default="bench/results/import_people.json")
    args = parser.parse_args()
    kinds = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.postgres, Path(tmp))
        for kind in kinds:
            results[kind] = {
                label: run(dbs.fresh(kind), args.rows, model=model)
                for label, model in (("no model", False), ("model published", True))
            }
        dbs.drop_all()
    table = Table("backend", "model", *PASSES, title=f"People import, {args.rows:,} rows (rows/s)")
    for kind, by_model in results.items():
        for label, rates in by_model.items():
            table.add_row(kind, label, *(f"{rates[p]:,.0f}" for p in PASSES))
    Console().print(table)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
