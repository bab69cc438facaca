"""Spark in local mode, reading the exported Parquet layout, scores every person exactly as the reference."""

from __future__ import annotations

import json
import math
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from liidi.cli import app, common
from liidi.demo.generator import generate
from liidi.domain.scoring import ScoringModel, load_model_text
from liidi.engines.batch import BatchRow, ReferenceEngine
from liidi.engines.export import export_layout
from liidi.engines.spark import INSTALL_HINT, SparkEngine, spark_session
from liidi.errors import ConfigError, NotFound
from liidi.services.demo import load_demo
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage.session import make_engine
from tests.builders import person_with_ids

if TYPE_CHECKING:
    from pyspark.sql import SparkSession
    from sqlalchemy import Engine

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml"
END = datetime(2026, 11, 1, tzinfo=UTC)
DAY = 86400.0
NOW, EARLIER = END.timestamp(), END.timestamp() - 60 * DAY


@dataclass(frozen=True)
class Market:
    """A demo market in a SQLite store, its Parquet export, and the reference engine over the store."""

    db_url: str
    parquet: Path
    reference: ReferenceEngine


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    """One local Spark session for the module, two shuffle partitions."""
    # The JIT's quick tier only: on a few thousand rows the query is all warm-up (a third faster).
    quick_jit = {"spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1"}
    session = spark_session("local[2]", shuffle_partitions=2, config=quick_jit)
    yield session
    session.stop()


@pytest.fixture(scope="module")
def market(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Market:
    """A demo market in a SQLite store, exported to Parquet, and the reference engine over the same store."""
    workdir = tmp_path_factory.mktemp("spark-parity")
    shutil.copy(sqlite_template, workdir / "liidi.db")
    db_url = f"sqlite:///{workdir / 'liidi.db'}"
    engine = make_engine(db_url)
    dataset = generate(accounts=70, months=6, seed=11, end=END)
    load_demo(UnitOfWork(engine), dataset=dataset, now=END.timestamp())
    _crm_ids(engine)
    export_layout(engine, workdir / "parquet")
    with UnitOfWork(engine) as uow:
        ids = set(uow.people.live_ids(0, 1_000_000))
        people = uow.people.get_many(ids)
        accounts = uow.accounts.get_many({p.account_id for p in people.values() if p.account_id})
        events = uow.events.for_people(ids)
        external_ids = uow.identities.first_of("external_id", ids)
    engine.dispose()
    pairs = {pid: (p, accounts.get(p.account_id) if p.account_id else None) for pid, p in people.items()}
    return Market(db_url, workdir / "parquet", ReferenceEngine(pairs, events, external_ids=external_ids))


def _crm_ids(engine: Engine) -> None:
    """CRM ids on every third person (two on every ninth), and two people known only by a CRM id."""
    with UnitOfWork(engine) as uow:
        ids = uow.people.live_ids(0, 1_000_000)
        for pid in ids[::3]:
            uow.identities.add("external_id", f"crm-{pid}", pid, NOW)
        for pid in ids[::9]:
            uow.identities.add("external_id", f"crm-{pid}-later", pid, NOW)
        uow.commit()
    for k in range(2):
        person_with_ids(lambda: UnitOfWork(engine), external_ids=(f"crm-only-{k}",))


@pytest.fixture(scope="module")
def model() -> ScoringModel:
    return load_model_text(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


def _same(spark_row: BatchRow, ref: BatchRow) -> bool:
    exact = (spark_row.person_id, spark_row.email, spark_row.external_id, spark_row.grade, spark_row.mql)
    exact += (spark_row.pql, spark_row.hand_raiser)
    floats = zip(
        (spark_row.fit, spark_row.engagement, spark_row.score),
        (ref.fit, ref.engagement, ref.score),
        strict=True,
    )
    return (
        exact == (ref.person_id, ref.email, ref.external_id, ref.grade, ref.mql, ref.pql, ref.hand_raiser)
        and spark_row.signals == ref.signals
        and all(_close(a, b) for a, b in floats)
    )


def _assert_parity(got: list[BatchRow], want: list[BatchRow]) -> None:
    assert [r.person_id for r in got] == [r.person_id for r in want]
    wrong = [(g, w) for g, w in zip(got, want, strict=True) if not _same(g, w)]
    assert wrong == [], f"{len(wrong)} rows differ; first: {wrong[:1]}"


def test_spark_rows_equal_the_reference_rows(
    spark: SparkSession, market: Market, model: ScoringModel
) -> None:
    engine = SparkEngine(str(market.parquet), session=spark, shuffle_partitions=2)
    got = engine.score_many(model, [NOW])[NOW]
    want = market.reference.score_many(model, [NOW])[NOW]
    assert spark.conf.get("spark.sql.shuffle.partitions") == "2"
    _assert_parity(got, want)
    assert any(r.engagement > 0 for r in want) and any(r.qualified for r in want)
    assert any(r.signals for r in want)
    assert {(r.email is None, r.external_id is None) for r in want} == {
        (False, True),
        (False, False),
        (True, False),
    }  # e-mail only, both, external id only


def test_the_score_command_on_spark_writes_the_reference_rows_to_parquet(
    spark: SparkSession, market: Market, model: ScoringModel, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LIIDI_DATABASE_URL", market.db_url)
    common.settings.cache_clear()
    common.engine.cache_clear()
    args = ["score", "--model", str(EXAMPLE), "--engine", "spark", "--source", str(market.parquet)]
    args += ["--as-of", str(EARLIER), "--shuffle-partitions", "2", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, args)
    common.engine.cache_clear()
    assert result.exit_code == 0, result.output
    assert spark.range(3).count() == 3  # the module's session was borrowed, not stopped
    table = pq.read_table(tmp_path / "batch_scores.parquet").to_pylist()
    got = [
        BatchRow(r["person_id"], r["fit"], r["grade"], r["engagement"], r["score"], r["mql"], r["pql"],
                 r["hand_raiser"], tuple(json.loads(r["signals"])), r["email"], r["external_id"])
        for r in table
    ]  # fmt: skip
    _assert_parity(got, market.reference.score_many(model, [EARLIER])[EARLIER])


def test_a_missing_parquet_directory_is_a_one_line_not_found(spark: SparkSession, tmp_path: Path) -> None:
    with pytest.raises(NotFound, match="liidi export events --parquet"):
        SparkEngine(str(tmp_path / "nowhere"), session=spark)


def test_an_export_without_external_ids_is_a_one_line_error_naming_the_column(
    spark: SparkSession, market: Market, tmp_path: Path
) -> None:
    shutil.copy(market.parquet / "events_flat.parquet", tmp_path / "events_flat.parquet")
    people = pq.read_table(market.parquet / "people_flat.parquet").drop_columns(["external_id"])
    pq.write_table(people, tmp_path / "people_flat.parquet")
    with pytest.raises(ConfigError) as raised:
        SparkEngine(str(tmp_path), session=spark)
    assert f"people_flat in {tmp_path} has no column external_id" in raised.value.message
    assert "export it again with: liidi export events --parquet DIR" in raised.value.message


def test_delta_without_the_delta_package_is_a_clear_error(spark: SparkSession, market: Market) -> None:
    with pytest.raises(ConfigError, match="delta-spark"):
        SparkEngine(f"delta:{market.parquet}", session=spark)


def test_without_pyspark_the_error_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    with pytest.raises(ConfigError) as raised:
        spark_session()
    assert raised.value.message == INSTALL_HINT and "pip install 'liidi[spark]'" in INSTALL_HINT
