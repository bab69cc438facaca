"""Compile a scoring model to one SQL query per dialect (SQLite, PostgreSQL, DuckDB, Spark) with sqlglot."""

from __future__ import annotations

from collections.abc import Sequence

from sqlglot import exp

from liidi.domain.scoring.spec import ScoringModel
from liidi.engines.compile.base import UnsupportedByDialect
from liidi.engines.compile.dialects import DIALECTS, dialect_for
from liidi.engines.compile.ledger import Steps
from liidi.engines.compile.model import ModelCompiler
from liidi.engines.compile.steps_query import StepsCompiler
from liidi.engines.layout import EVENTS, PEOPLE

__all__ = ["DIALECTS", "Steps", "UnsupportedByDialect", "compile_model", "compile_steps", "compile_tree"]


def compile_tree(
    model: ScoringModel, dialect: str, as_of_ts: float, people: str = PEOPLE, events: str = EVENTS
) -> exp.Query:
    """The sqlglot tree of `compile_model`, before it is written out."""
    return ModelCompiler(model, dialect_for(dialect), as_of_ts, people, events).compile()


def compile_model(
    model: ScoringModel, dialect: str, as_of_ts: float, people: str = PEOPLE, events: str = EVENTS
) -> str:
    """One SELECT scoring everyone in `people` as of `as_of_ts` (epoch seconds); see docs/batch.md."""
    tree = compile_tree(model, dialect, as_of_ts, people, events)
    return str(tree.sql(dialect=dialect_for(dialect).sqlglot, pretty=True))


def compile_steps(
    model: ScoringModel,
    dialect: str,
    steps: Steps,
    people: str = PEOPLE,
    events: str = EVENTS,
    ordered: bool = True,
    columns: Sequence[str] | None = None,
) -> str:
    """One SELECT scoring everyone at every step (k, as_of_ts, then compile_model's columns).

    Rows come ordered by k, then person_id, unless `ordered` is false (cheaper for millions of rows).
    `columns` narrows the result to those columns (all when None).
    Raises UnsupportedByDialect for what a one-query replay cannot do exactly (see docs/batch.md);
    score such a model one step at a time with compile_model.
    """
    tree = StepsCompiler(model, dialect_for(dialect), steps, people, events).compile(ordered, columns)
    return str(tree.sql(dialect=dialect_for(dialect).sqlglot, pretty=True))
