"""The layering of docs/ARCHITECTURE.md holds: import contracts, one engine registry, no SQL in services."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from liidi.domain.scoring import ScoringModel, load_model_text
from liidi.engines import registry
from liidi.engines.batch import BatchEngine, ReferenceEngine
from liidi.errors import ValidationFailed
from liidi.services import backtest, batch
from liidi.services.unit_of_work import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "src" / "liidi" / "services"


def test_the_import_contracts_in_pyproject_are_kept() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-1000:]
    assert "0 broken" in done.stdout and "kept" in done.stdout


def test_a_contract_breaks_when_an_entry_point_imports_storage(tmp_path: Path) -> None:
    config = tmp_path / "contracts.toml"
    config.write_text(
        '[tool.importlinter]\nroot_package = "liidi"\n\n[[tool.importlinter.contracts]]\n'
        'name = "entry points never import storage, even indirectly"\ntype = "forbidden"\n'
        'source_modules = ["liidi.cli"]\nforbidden_modules = ["liidi.storage"]\n',
        encoding="utf-8",
    )
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache", "--config", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1 and "BROKEN" in done.stdout


def test_services_write_through_repositories_not_on_the_connection() -> None:
    leaks = [
        f"{path.name}:{number}"
        for path in sorted(SERVICES.glob("*.py"))
        if path.name != "unit_of_work.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ".conn.execute(" in line and "duck" not in line
    ]
    assert leaks == []


def test_importing_the_backtest_report_and_routes_leaves_matplotlib_unloaded() -> None:
    code = (
        "import sys, liidi.presentation.backtest, liidi.api.routes.backtest, liidi.cli.backtest;"
        "print(sorted(m for m in ('matplotlib', 'pyspark') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_an_engine_registered_once_is_offered_by_batch_scoring_and_backtests(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, opened = create_engine("sqlite://"), []

    @contextmanager
    def fake(source: registry.Source) -> Iterator[BatchEngine]:
        opened.append(source.store)
        yield ReferenceEngine({}, {})

    monkeypatch.setitem(registry.RUNNERS, "fake", registry.Runner("fake", "store", fake))
    params = backtest.check_params(start="2026-09-01", end="2026-10-01", engine="fake")
    assert batch.check_engine("fake") == "fake" and params.engine == "fake"
    with backtest.open_engine(lambda: UnitOfWork(store), "fake") as engine:
        assert engine.score_many(_example(), [0.0]) == {0.0: []}
    assert opened == [store]


def test_batch_scoring_and_backtests_name_the_same_engines_from_the_registry() -> None:
    assert batch.check_engine("duckdb") == "duckdb"
    assert backtest.engine_names() == ["reference", "sqlite", "postgres", "duckdb", "spark"]
    with pytest.raises(ValidationFailed, match="use one of sqlite, postgres, duckdb, spark"):
        batch.check_engine("reference")


def test_an_engine_whose_package_is_missing_is_refused_with_the_package_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opener = registry.RUNNERS["duckdb"].open
    runner = registry.Runner("remote", "files", opener, package="no_such_package_x", install="pip install x")
    monkeypatch.setitem(registry.RUNNERS, "remote", runner)
    with pytest.raises(ValidationFailed) as caught:
        backtest.check_params(start="2026-09-01", end="2026-10-01", engine="remote")
    (error,) = caught.value.errors
    assert (error.field, error.value) == ("engine", "remote")
    assert (
        error.reason
        == "not available in this installation: needs no_such_package_x; install it with: pip install x"
    )


def _example() -> ScoringModel:
    return load_model_text((ROOT / "examples" / "scoring.yaml").read_text(encoding="utf-8"), "scoring.yaml")
