"""Compile a scoring model to one SQL query per dialect (SQLite, PostgreSQL, DuckDB, Spark) with sqlglot."""

from __future__ import annotations

from sqlglot import exp

from liidi.domain.scoring.spec import ScoringModel
from liidi.engines.compile.base import UnsupportedByDialect
from liidi.engines.compile.dialects import DIALECTS, dialect_for
from liidi.engines.compile.model import ModelCompiler
from liidi.engines.layout import EVENTS, PEOPLE

__all__ = ["DIALECTS", "UnsupportedByDialect", "compile_model", "compile_tree"]


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
