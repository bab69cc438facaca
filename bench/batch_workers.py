"""One measurement per process for bench/batch.py: time, result digest and peak memory."""

from __future__ import annotations

import resource
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from liidi.domain.scoring import ScoringModel, load_model_text
from liidi.engines.batch import BatchRow
from liidi.engines.sql import layout_views
from liidi.services.batch import SparkOptions, open_engine
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine

ROOT = Path(__file__).resolve().parents[1]
MODEL_PATH = ROOT / "examples" / "scoring.yaml"
END = 1_793_491_200.0  # 2026-11-01T00:00:00Z, the synthetic data's end
AS_OF = END - 3600.0
DAY = 86400.0
FLOOR = "SELECT person_id, SUM(ts) AS x FROM events_flat GROUP BY person_id"


def run_worker(task: str, params: dict[str, Any]) -> dict[str, Any]:
    """Dispatch to one measurement."""
    import os

    load = os.getloadavg()[0]
    model = load_model_text(MODEL_PATH.read_text(encoding="utf-8"), str(MODEL_PATH))
    worker: Callable[[ScoringModel, dict[str, Any]], dict[str, Any]] = {
        "duckdb": _duckdb,
        "spark": _spark,
        "store": _store,
        "pandas": _pandas,
        "backtest": _backtest,
    }[task]
    result = worker(model, params)
    peak = _peak_mb(result.pop("jvm_mb", 0.0))
    return {"size": params.get("size", ""), **result, "peak_mb": peak, "load_before": load}


def _best(func: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = func()
        best = min(best, time.perf_counter() - start)
    return best, value


def _digest(rows: list[BatchRow]) -> dict[str, Any]:
    return {
        "people": len(rows),
        "qualified": sum(1 for r in rows if r.qualified),
        "score_sum": round(sum(r.score for r in rows), 3),
    }


def _timed(floor: Callable[[], Any], model_run: Callable[[], list[BatchRow]], repeat: int) -> dict[str, Any]:
    floor_s, _ = _best(floor, 3)
    model_s, rows = _best(model_run, repeat)
    return {"floor_s": floor_s, "model_s": model_s, "ratio": model_s / floor_s, **_digest(rows)}


def _duckdb(model: ScoringModel, params: dict[str, Any]) -> dict[str, Any]:
    import duckdb

    path = Path(params["path"])
    con = duckdb.connect()
    con.execute(f"CREATE VIEW events_flat AS SELECT * FROM read_parquet('{path / 'events_flat.parquet'}')")
    with open_engine(_no_store, "duckdb", source=str(path), spark=SparkOptions()) as engine:
        repeat = params.get("repeat", 1)
        timed = _timed(lambda: con.execute(FLOOR).to_arrow_table(), lambda: _score(engine, model), repeat)
    return {"engine": "duckdb", **timed}


def _spark(model: ScoringModel, params: dict[str, Any]) -> dict[str, Any]:
    options = SparkOptions(
        master="local[2]", shuffle_partitions=params["partitions"], config={"spark.driver.memory": "8g"}
    )
    start = time.perf_counter()
    with open_engine(_no_store, "spark", source=params["path"], spark=options) as engine:
        started = time.perf_counter() - start
        spark: Any = engine.spark  # type: ignore[attr-defined]
        repeat = params.get("repeat", 1)
        timed = _timed(lambda: spark.sql(FLOOR).toArrow(), lambda: _score(engine, model), repeat)
        jvm = _children_hwm_mb()
    return {"engine": "spark", "session_start_s": started, **timed, "jvm_mb": jvm}


def _store(model: ScoringModel, params: dict[str, Any]) -> dict[str, Any]:
    engine = make_engine(params["url"])
    dialect = engine.dialect.name

    def floor() -> Any:
        with engine.connect() as conn:
            layout_views(conn, create=True)
            rows = conn.exec_driver_sql(FLOOR).all()
            layout_views(conn, create=False)
            conn.rollback()
        return rows

    name = "sqlite" if dialect == "sqlite" else "postgres"
    with open_engine(lambda: UnitOfWork(engine), name, source=None, spark=SparkOptions()) as batch:
        timed = _timed(floor, lambda: _score(batch, model), 1)
    return {"engine": dialect, **timed}


def _pandas(model: ScoringModel, params: dict[str, Any]) -> dict[str, Any]:
    """The whole model in pandas (bench/batch_pandas.py), with the same digest as the SQL engines."""
    from batch_pandas import load_events, load_people, score_people

    path = Path(params["path"])
    start = time.perf_counter()
    people = load_people(path)
    events = load_events(path, AS_OF)
    loaded = time.perf_counter() - start
    scored = score_people(model, people, events, AS_OF)
    total = time.perf_counter() - start
    qualified = scored["mql"] | scored["pql"] | scored["hand_raiser"]
    return {
        "engine": "pandas (the whole model)",
        "load_s": loaded,
        "model_s": total,
        "people": len(scored),
        "qualified": int(qualified.sum()),
        "score_sum": round(float(scored["score"].sum()), 3),
    }


def _backtest(model: ScoringModel, params: dict[str, Any]) -> dict[str, Any]:
    """A weekly replay in one query, run `repeat` times, against one as-of query (x steps) and the floor."""
    import statistics

    import duckdb

    steps = [AS_OF - 7 * DAY * i for i in range(params["steps"])][::-1]
    path = Path(params["path"])
    con = duckdb.connect()
    con.execute(f"CREATE VIEW events_flat AS SELECT * FROM read_parquet('{path / 'events_flat.parquet'}')")
    with open_engine(_no_store, "duckdb", source=params["path"], spark=SparkOptions()) as engine:
        floor_s, _ = _best(lambda: con.execute(FLOOR).to_arrow_table(), 3)
        single_s, _ = _best(lambda: _score(engine, model), 1)
        runs: list[float] = []
        for _ in range(params.get("repeat", 3)):
            start = time.perf_counter()
            found = engine.score_steps(model, steps)  # type: ignore[attr-defined]
            runs.append(time.perf_counter() - start)
    seconds = statistics.median(runs)
    per_step = single_s * len(steps)
    return {
        "engine": f"duckdb backtest, {len(steps)} weekly steps in one replay (median of {len(runs)})",
        "floor_s": floor_s,
        "single_step_s": single_s,
        "per_step_estimate_s": per_step,
        "model_s": seconds,
        "replay_runs_s": runs,
        "ratio": seconds / floor_s,
        "speedup_vs_per_step": per_step / seconds,
        "person_steps": len(found),
        "flags": int(found.qualified.sum()),
    }


def _score(engine: Any, model: ScoringModel) -> list[BatchRow]:
    rows: list[BatchRow] = engine.score_many(model, [AS_OF])[AS_OF]
    return rows


def _no_store() -> UnitOfWork:
    raise RuntimeError("this measurement reads Parquet, not the store")


def _children_hwm_mb() -> float:
    """Peak RSS (VmHWM) of this process's child processes, e.g. the Spark JVM."""
    import os

    total = 0.0
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        for child in (task / "children").read_text().split():
            status = Path(f"/proc/{child}/status").read_text()
            line = next((x for x in status.splitlines() if x.startswith("VmHWM:")), "VmHWM: 0 kB")
            total += int(line.split()[1]) / 1024
    return total


def _peak_mb(extra: float) -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 + extra
