"""Batch scoring benchmark: full rescoring of examples/scoring.yaml on DuckDB, Spark, SQLite and PostgreSQL.

Run: `python bench/batch.py [--people 1000000] [--events 10000000] [--store-events 1000000]
[--big-events 100000000]`. Synthetic data is written straight to Parquet (bench/batch_synth.py); the SQLite
and PostgreSQL stores are bulk-loaded from a smaller Parquet set. Every measurement runs in its own worker
process, so peak memory (getrusage ru_maxrss of the worker, plus the Spark JVM's VmHWM from /proc) is that
measurement's own. Prints a table and writes bench/results/batch.json.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
END = datetime(2026, 11, 1, tzinfo=UTC).timestamp()
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
console = Console(width=150)


def main() -> None:
    args = _arguments()
    work = Path(args.workdir)
    earlier = _previous() if args.merge else {}
    results: dict[str, Any] = {k: v for k, v in earlier.items() if k != "runs"}
    results |= {"date": datetime.now(UTC).strftime("%Y-%m-%d"), "model": "examples/scoring.yaml"}
    results["machine"] = f"{os.cpu_count()} CPUs, {_ram_gib():.0f} GiB RAM; load_before: 1-min load average"
    results["memory"] = "peak RSS: resource.getrusage ru_maxrss of each worker process (+ Spark JVM VmHWM)"
    large = _dataset(work / f"p{args.people}-e{args.events}", args.people, args.events, results, "large")
    small = _dataset(
        work / f"p{args.store_people}-e{args.store_events}", args.store_people, args.store_events
    )
    runs: list[dict[str, Any]] = earlier.get("runs", [])
    for engine in args.engines.split(","):
        if engine in ("sqlite", "postgresql"):
            url = _store(engine, small, work)
            _add(runs, _worker("store", engine=engine, url=url, size=_size(args, "store")))
        elif engine == "duckdb":
            _add(runs, _worker("duckdb", path=str(large), size=_size(args, "large")))
            _add(runs, _worker("duckdb", path=str(small), size=_size(args, "store")))
        elif engine == "spark":
            _add(
                runs, _worker("spark", path=str(large), size=_size(args, "large"), partitions=args.partitions)
            )
            _add(
                runs, _worker("spark", path=str(small), size=_size(args, "store"), partitions=args.partitions)
            )
        elif engine == "pandas":
            _add(runs, _worker("pandas", path=str(large), size=_size(args, "large")))
        elif engine == "backtest":
            sized = {"path": str(large), "size": _size(args, "large")}
            _add(runs, _worker("backtest", **sized, steps=args.steps, repeat=args.repeat))
        elif engine == "big" and args.big_events:
            big = _dataset(
                work / f"p{args.people}-e{args.big_events}", args.people, args.big_events, results, "big"
            )
            _add(
                runs,
                _worker("duckdb", path=str(big), size=f"{args.people:,} people / {args.big_events:,} events"),
            )
        _save(results | {"runs": runs})
    _save(results | {"runs": runs})
    _print(runs)


def _previous() -> dict[str, Any]:
    """The last results file (its runs are kept unless measured again)."""
    path = ROOT / "bench" / "results" / "batch.json"
    found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    return found


def _ram_gib() -> float:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30


def _add(runs: list[dict[str, Any]], run: dict[str, Any]) -> None:
    """Add a run, replacing an earlier one of the same task and data size."""
    key = ("task", "engine", "size")
    runs[:] = [r for r in runs if [r.get(k) for k in key] != [run.get(k) for k in key]] + [run]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--people", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--store-people", type=int, default=100_000)
    parser.add_argument("--store-events", type=int, default=1_000_000)
    parser.add_argument("--big-events", type=int, default=100_000_000)
    parser.add_argument("--steps", type=int, default=26)
    parser.add_argument("--repeat", type=int, default=3, help="Replay runs in the backtest measurement.")
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--engines", default="duckdb,pandas,backtest,spark,sqlite,postgresql,big")
    parser.add_argument("--workdir", default="/tmp/liidi-bench")
    parser.add_argument("--merge", action="store_true", help="Keep the last results file's other runs.")
    return parser.parse_args()


def _size(args: argparse.Namespace, which: str) -> str:
    if which == "store":
        return f"{args.store_people:,} people / {args.store_events:,} events"
    return f"{args.people:,} people / {args.events:,} events"


def _dataset(
    path: Path, people: int, events: int, results: dict[str, Any] | None = None, key: str = ""
) -> Path:
    """Generate the Parquet layout once per size (kept between runs)."""
    from batch_synth import generate

    meta = path / "meta.json"
    if not (path / "events_flat.parquet").exists():
        start = time.perf_counter()
        generate(path, people=people, events=events, end=END)
        meta.write_text(json.dumps({"generate_s": round(time.perf_counter() - start, 1)}), encoding="utf-8")
    if results is not None and meta.exists():
        results[f"generate_{key}_s"] = json.loads(meta.read_text(encoding="utf-8"))["generate_s"]
    return path


def _worker(task: str, **params: Any) -> dict[str, Any]:
    """Run one measurement in a fresh process; its last stdout line is the JSON result."""
    console.print(f"[dim]{task} {params}[/]")
    cmd = [sys.executable, str(Path(__file__)), "--worker", task, json.dumps(params)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        console.print(done.stderr[-3000:])
        return {"task": task, "size": params["size"], "error": done.stderr.strip().splitlines()[-1:]}
    result: dict[str, Any] = {"task": task, **json.loads(done.stdout.strip().splitlines()[-1])}
    console.print(result)
    return result


def _save(results: dict[str, Any]) -> None:
    out = ROOT / "bench" / "results" / "batch.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")


def _print(runs: list[dict[str, Any]]) -> None:
    table = Table(
        "engine", "data", "floor s", "model s", "ratio", "peak MB", "people", "qualified", title="batch"
    )
    for run in runs:
        if "error" in run:
            table.add_row(run["task"], run.get("size", ""), "error", str(run["error"]), "", "", "", "")
            continue
        table.add_row(
            run["engine"],
            run["size"],
            _fmt(run.get("floor_s")),
            _fmt(run.get("model_s")),
            _fmt(run.get("ratio")),
            f"{run['peak_mb']:,.0f}",
            f"{run.get('people', '')}",
            f"{run.get('qualified', '')}",
        )
    console.print(table)


def _fmt(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _store(kind: str, parquet: Path, work: Path) -> str:
    """A migrated store bulk-loaded from the Parquet layout (not through the services)."""
    from batch_store import load_postgres, load_sqlite

    if kind == "sqlite":
        return load_sqlite(parquet, work / f"{parquet.name}.db")
    return load_postgres(parquet, PG_ADMIN, f"liidi_bench_{parquet.name.replace('-', '_')}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--worker":
        from batch_workers import run_worker

        print(json.dumps(run_worker(sys.argv[2], json.loads(sys.argv[3]))))
    else:
        main()
