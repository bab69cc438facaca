"""Full rescoring as of one moment by a batch engine; results written to the store in bulk or to Parquet."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from liidi.domain.accounts import Account
from liidi.domain.events import Event
from liidi.domain.people import Person
from liidi.domain.scoring import ScoringModel, load_model_text
from liidi.engines import layout, registry
from liidi.engines.batch import BatchEngine, BatchRow
from liidi.engines.layout import EXTERNAL_KIND
from liidi.engines.registry import Runner, Source
from liidi.engines.registry import SparkOptions as SparkOptions
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from sqlalchemy import Engine

WRITE_CHUNK = 5_000
LOAD_CHUNK = 1000
RESULT_FILE = "batch_scores.parquet"

Progress = Callable[[str, int, int | None], None]
"""Called with (phase, amount done just now, phase total or None when unknown)."""


def _quiet(_phase: str, _done: int, _total: int | None) -> None:
    return None


@dataclass(frozen=True, slots=True)
class ChosenModel:
    """The model to run and the version label its rows carry."""

    name: str
    version: str
    model: ScoringModel


@dataclass(frozen=True, slots=True)
class BatchResult:
    """What a full rescoring did."""

    model: str
    model_version: str
    engine: str
    as_of: float
    people: int
    qualified: int
    written_to: str


def check_engine(name: str) -> str:
    """The name of an engine that scores the store or its Parquet layout, or ValidationFailed naming them."""
    engines = registry.names("store", "files")
    if name not in engines:
        reason = f"unknown engine {name!r}; use one of {', '.join(engines)}"
        raise ValidationFailed([FieldError("engine", name, reason)], reason)
    return name


def choose_model(uow: UnitOfWork, *, ref: str, text: str | None = None) -> ChosenModel:
    """A model file's text (labelled name@<fingerprint>) or the published version of the model named `ref`."""
    if text is not None:
        model = load_model_text(text, ref)
        return ChosenModel(model.name, f"{model.name}@{model.fingerprint()[:12]}", model)
    from liidi.services.scoring import published_models

    with uow:
        found = [p for p in published_models(uow) if p.name == ref]
    if not found:
        raise NotFound(f"no published scoring model '{ref}' and no such file")
    return ChosenModel(found[0].name, found[0].label, found[0].model)


def rescore_batch(
    new_uow: Callable[[], UnitOfWork],
    *,
    chosen: ChosenModel,
    engine: str,
    as_of: float,
    source: str | None = None,
    out: Path | None = None,
    spark: SparkOptions | None = None,
    progress: Progress = _quiet,
    now: float | None = None,
) -> BatchResult:
    """Score everyone as of `as_of` with one engine; rows go to the store or to DIR/batch_scores.parquet."""
    check_engine(engine)
    scored_ts = resolve_now(now)
    with open_engine(
        new_uow, engine, source=source, spark=spark or SparkOptions(), progress=progress
    ) as batch:
        progress("scoring", 0, None)
        rows = batch.score_many(chosen.model, [as_of])[as_of]
        progress("scoring", 1, 1)
    if out is not None:
        target = str(write_rows_parquet(out / RESULT_FILE, rows, chosen, as_of, scored_ts, progress))
    else:
        save_rows(new_uow(), rows=rows, chosen=chosen, as_of=as_of, scored_ts=scored_ts, progress=progress)
        target = "batch_scores"
    qualified = sum(1 for row in rows if row.qualified)
    return BatchResult(chosen.name, chosen.version, engine, as_of, len(rows), qualified, target)


@contextmanager
def open_engine(
    new_uow: Callable[[], UnitOfWork],
    engine: str,
    *,
    source: str | None,
    spark: SparkOptions,
    progress: Progress = _quiet,
) -> Iterator[BatchEngine]:
    """The named engine over its source; without one, DuckDB and Spark read a fresh export of the store."""
    runner = registry.RUNNERS.get(engine)
    if runner is None:
        reason = f"unknown engine {engine!r}; use one of {', '.join(registry.names())}"
        raise ValidationFailed([FieldError("engine", engine, reason)], reason)
    with ExitStack() as stack:
        where = _source(stack, new_uow, runner, source, spark, progress)
        yield stack.enter_context(runner.open(where))


def _source(
    stack: ExitStack,
    new_uow: Callable[[], UnitOfWork],
    runner: Runner,
    source: str | None,
    spark: SparkOptions,
    progress: Progress,
) -> Source:
    """What the runner reads: the store (or the database URL given), the Parquet layout, or people."""
    if runner.reads == "people":
        people, accounts, events = load_people(new_uow, None)
        pairs = {pid: (p, accounts.get(p.account_id) if p.account_id else None) for pid, p in people.items()}
        return Source(people=pairs, events=events, external_ids=external_ids(new_uow, set(people)))
    if runner.reads == "store":
        from liidi.storage.session import make_engine

        store = make_engine(source) if source else new_uow().engine
        if source:
            stack.callback(store.dispose)
        _check_dialect(runner, store)
        return Source(store=store)
    if source is None:
        source = stack.enter_context(tempfile.TemporaryDirectory(prefix="liidi-batch-"))
        _export(new_uow().engine, Path(source), progress)
    _check_parquet(source, runner.name)
    return Source(files=source, spark=spark)


def _check_dialect(runner: Runner, store: Engine) -> None:
    """A store engine runs on its own database only."""
    if runner.dialect is not None and store.dialect.name != runner.dialect:
        reason = f"the {runner.name} engine needs a {runner.dialect} database, not {store.dialect.name}"
        raise ValidationFailed([FieldError("engine", runner.name, reason)], reason)


def load_people(
    new_uow: Callable[[], UnitOfWork], ids: set[int] | None
) -> tuple[dict[int, Person], dict[int, Account], dict[int, list[Event]]]:
    """People (these, or every live one), their accounts and their events."""
    with new_uow() as uow:
        if ids is None:
            ids, after = set(), 0
            while chunk := uow.people.live_ids(after, LOAD_CHUNK):
                ids.update(chunk)
                after = chunk[-1]
        people = uow.people.get_many(ids)
        accounts = uow.accounts.get_many({p.account_id for p in people.values() if p.account_id})
        return people, accounts, uow.events.for_people(set(people))


def external_ids(new_uow: Callable[[], UnitOfWork], ids: set[int]) -> dict[int, str]:
    """These people's external ids (their first identity of kind external_id), for those who have one."""
    with new_uow() as uow:
        return uow.identities.first_of(EXTERNAL_KIND, ids)


def _check_parquet(source: str, engine: str) -> None:
    """A local source directory must hold the layout's Parquet files (Spark checks its own URIs)."""
    if "://" in source or source.startswith(("jdbc:", "delta:")):
        return
    for relation in ("people_flat", "events_flat"):
        delta = engine == "spark" and (Path(source) / relation / "_delta_log").is_dir()
        if not delta and not (Path(source) / f"{relation}.parquet").exists():
            reason = "write it with: liidi export events --parquet DIR"
            raise NotFound(f"no {relation}.parquet in {source} ({reason})")
        if not delta:
            _check_columns(Path(source) / f"{relation}.parquet", relation)


def _check_columns(path: Path, relation: str) -> None:
    """A Parquet file of the layout must have every column of its relation (older exports lack some)."""
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    missing = [c for c in layout.columns(relation) if c not in pq.read_schema(path).names]
    if missing:
        reason = f"no column {', '.join(missing)}; export it again with: liidi export events --parquet DIR"
        raise ValidationFailed([FieldError("source", str(path), reason)], f"{path}: {reason}")


def _export(store: Any, directory: Path, progress: Progress) -> None:
    """Export the store's batch layout for an engine that reads Parquet."""
    from liidi.engines.export import export_layout

    export_layout(store, directory, progress=lambda rel, n, total: progress(f"export {rel}", n, total))


def record(row: BatchRow, chosen: ChosenModel, as_of: float, scored_ts: float) -> dict[str, Any]:
    """A batch row as a batch_scores record."""
    return {
        "person_id": row.person_id,
        "email": row.email,
        "external_id": row.external_id,
        "model": chosen.name,
        "model_version": chosen.version,
        "as_of_ts": as_of,
        "fit": row.fit,
        "grade": row.grade,
        "engagement": row.engagement,
        "score": row.score,
        "mql": row.mql,
        "pql": row.pql,
        "hand_raiser": row.hand_raiser,
        "signals": list(row.signals),
        "scored_ts": scored_ts,
    }


def save_rows(
    uow: UnitOfWork,
    *,
    rows: Sequence[BatchRow],
    chosen: ChosenModel,
    as_of: float,
    scored_ts: float,
    progress: Progress = _quiet,
) -> int:
    """Replace the model's rows as of this moment in batch_scores, in one transaction."""
    with uow:
        uow.batch_scores.clear(chosen.name, as_of)
        for start in range(0, len(rows), WRITE_CHUNK):
            part = rows[start : start + WRITE_CHUNK]
            uow.batch_scores.add_many([record(r, chosen, as_of, scored_ts) for r in part])
            progress("writing", len(part), len(rows))
        uow.commit()
    return len(rows)


def write_rows_parquet(
    path: Path,
    rows: Sequence[BatchRow],
    chosen: ChosenModel,
    as_of: float,
    scored_ts: float,
    progress: Progress = _quiet,
) -> Path:
    """Write the rows with the batch_scores columns (signals as JSON text) to one Parquet file."""
    import pyarrow as pa  # type: ignore[import-untyped]

    from liidi.engines.export import write_parquet

    schema = pa.schema(
        [("person_id", pa.int64()), ("email", pa.string()), ("external_id", pa.string())]
        + [("model", pa.string()), ("model_version", pa.string())]
        + [("as_of_ts", pa.float64()), ("fit", pa.float64()), ("grade", pa.string())]
        + [("engagement", pa.float64()), ("score", pa.float64())]
        + [(name, pa.bool_()) for name in ("mql", "pql", "hand_raiser")]
        + [("signals", pa.string()), ("scored_ts", pa.float64())]
    )

    def batches() -> Iterator[pa.RecordBatch]:
        for start in range(0, len(rows), WRITE_CHUNK * 20):
            items = [record(r, chosen, as_of, scored_ts) for r in rows[start : start + WRITE_CHUNK * 20]]
            for item in items:
                item["signals"] = json.dumps(item["signals"])
            yield pa.RecordBatch.from_pylist(items, schema=schema)

    path.parent.mkdir(parents=True, exist_ok=True)
    write_parquet(path, schema, batches(), lambda n: progress("writing", n, len(rows)))
    return path
