"""The reports' shared query runner: SQL written once, transpiled by sqlglot per engine, run by the registry.

Report queries are PostgreSQL-flavoured SQL text over the batch layout (people_flat, stages_flat,
deals_flat, leads_flat, touches_flat, scores_flat). Three macros stand for what the engines spell
differently: `MONTH_OF(ts)` (the UTC month 'YYYY-MM' of epoch seconds), `WEEK_OF(ts)` (the index of
its ISO week, UTC) and `JSON_TEXT(column, 'key')` (a string value of a JSON text column). Times are
epoch numbers, cut-offs literals, and every ratio is left to Python, so the three engines return
identical rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol, cast

from liidi.domain.reports import DIMENSIONS, FUNNEL_STAGES
from liidi.engines import registry
from liidi.engines.registry import Source
from liidi.errors import FieldError, ValidationFailed

if TYPE_CHECKING:  # sqlglot loads when a report compiles, not when a command module is imported
    from sqlglot import exp

Result = tuple[list[str], list[tuple[Any, ...]]]
ENGINES = ("sqlite", "postgres", "duckdb")
NONE = "(none)"
SEGMENTS = ((10, "1-10"), (50, "11-50"), (200, "51-200"), (1000, "201-1000"))
PERSON_DIMENSIONS = DIMENSIONS
WEEK_SECONDS = 604800.0
WEEK_SHIFT = 259200.0


class Queryable(Protocol):
    """A batch engine that can run report statements over the layout."""

    def query(self, statements: Sequence[str]) -> list[Result]:
        """Each statement's column names and rows."""
        ...


def invalid(field: str, value: object, reason: str) -> ValidationFailed:
    """ValidationFailed naming the field, the value and the reason."""
    return ValidationFailed([FieldError(field, value, reason)], f"{field} {value!r}: {reason}")


def quote(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def number(value: float) -> str:
    """A finite number as a SQL literal (cut-offs are literals, not parameters)."""
    return repr(float(value))


def stage_rank(column: str) -> str:
    """The funnel position of a stage column (subscriber 0 … customer 6; other stages NULL)."""
    whens = " ".join(f"WHEN {quote(s)} THEN {i}" for i, s in enumerate(FUNNEL_STAGES))
    return f"CASE {column} {whens} END"


def segment(column: str) -> str:
    """The size band of an employee count column."""
    bands = " ".join(f"WHEN {column} <= {top} THEN {quote(label)}" for top, label in SEGMENTS)
    return f"CASE WHEN {column} IS NULL THEN {quote(NONE)} {bands} ELSE '1001+' END"


def person_dimension(by: str | None) -> str:
    """The SQL of a person grouping over `p`, a row of people_flat with lead_owner and arrived_ts."""
    if by is None:
        return "'all'"
    if by == "campaign":
        return f"COALESCE(JSON_TEXT(p.person_traits, 'campaign'), {quote(NONE)})"
    if by == "segment":
        return segment("p.employees")
    if by == "cohort":
        return "MONTH_OF(arrived_ts)"
    if by == "owner":
        return f"COALESCE(p.lead_owner, {quote(NONE)})"
    return f"COALESCE(p.{by}, {quote(NONE)})"


def persons_cte(by: str | None, since: float | None, until: float | None) -> str:
    """`persons`: each live person arrived in [since, until) with `grp`, `arrived_ts` and `top` (the
    furthest funnel stage entered, from the history or the current stage); arrival is the earlier of the
    person's creation and first recorded stage change."""
    window = []
    if since is not None:
        window.append(f"arrived_ts >= {number(since)}")
    if until is not None:
        window.append(f"arrived_ts < {number(until)}")
    where = f"WHERE {' AND '.join(window)}" if window else ""
    return f"""
history AS (
  SELECT person_id, MIN(ts) AS first_ts, MAX({stage_rank("to_stage")}) AS top
  FROM stages_flat GROUP BY person_id
),
arrivals AS (
  SELECT {", ".join(f"p.{c}" for c in _columns(by))}, l.owner AS lead_owner,
         LEAST(l.created_ts, COALESCE(h.first_ts, l.created_ts)) AS arrived_ts,
         GREATEST(COALESCE(h.top, 0), COALESCE({stage_rank("l.stage")}, 0)) AS top
  FROM people_flat p JOIN leads_flat l ON l.person_id = p.person_id
  LEFT JOIN history h ON h.person_id = p.person_id
),
persons AS (
  SELECT p.person_id, {person_dimension(by)} AS grp,
         p.arrived_ts, p.top
  FROM arrivals p {where}
)"""


def grouped_cte(by: str) -> str:
    """`grouped`: each live person's `grp` for a grouping, reading only what it needs (no history unless
    the grouping is the arrival cohort)."""
    joins, extra = "", ""
    if by in ("owner", "cohort"):
        joins = " JOIN leads_flat l ON l.person_id = p.person_id"
        extra = ", l.owner AS lead_owner"
    if by == "cohort":
        joins += " LEFT JOIN (SELECT person_id, MIN(ts) AS first_ts FROM stages_flat GROUP BY person_id) h"
        joins += " ON h.person_id = p.person_id"
        extra += ", LEAST(l.created_ts, COALESCE(h.first_ts, l.created_ts)) AS arrived_ts"
    columns = ", ".join(f"p.{c}" for c in _columns(by))
    return f"""
grouped AS (
  SELECT p.person_id, {person_dimension(by)} AS grp
  FROM (SELECT {columns}{extra} FROM people_flat p{joins}) p
)"""


def group_of(by: str | None, alias: str) -> tuple[str, str]:
    """(the group expression, the join it needs) for rows of `alias` that carry a person_id."""
    if by is None:
        return "'all'", ""
    return f"COALESCE(g.grp, {quote(NONE)})", f" LEFT JOIN grouped g ON g.person_id = {alias}.person_id"


def _columns(by: str | None) -> tuple[str, ...]:
    """The people_flat columns a grouping reads (only those: the views compute some columns per row)."""
    needed = {"campaign": "person_traits", "segment": "employees", "owner": None, "cohort": None}
    column = needed.get(by, by) if by is not None else None
    return ("person_id",) if column is None else ("person_id", column)


def compile_report(sql: str, engine: str) -> str:
    """The report SQL for one engine: parsed as PostgreSQL, macros expanded, written in its dialect."""
    import sqlglot

    tree = sqlglot.parse_one(sql, read="postgres")
    tree = tree.transform(lambda node: _macro(node, engine))
    return str(tree.sql(dialect=engine))


def _macro(node: exp.Expression, engine: str) -> exp.Expression:
    """MONTH_OF and JSON_TEXT spelled for the engine; any other node unchanged."""
    from sqlglot import exp

    if not isinstance(node, exp.Anonymous):
        return node
    name = str(node.this).upper()
    args = node.expressions
    if name == "MONTH_OF":
        return _month(args[0], engine)
    if name == "JSON_TEXT":
        return _json_text(args[0], str(args[1].this), engine)
    if name == "WEEK_OF":
        return _week(args[0], engine)
    return node


def _call(name: str, *args: exp.Expression) -> exp.Expression:
    from sqlglot import exp

    return exp.Anonymous(this=name, expressions=list(args))


def _month(ts: exp.Expression, engine: str) -> exp.Expression:
    from sqlglot import exp

    if engine == "sqlite":
        return _call("STRFTIME", exp.Literal.string("%Y-%m"), ts, exp.Literal.string("unixepoch"))
    if engine == "postgres":
        utc = exp.AtTimeZone(this=_call("TO_TIMESTAMP", ts), zone=exp.Literal.string("UTC"))
        return _call("TO_CHAR", utc, exp.Literal.string("YYYY-MM"))
    micros = exp.cast(exp.Mul(this=ts, expression=exp.Literal.number(1_000_000)), "BIGINT")
    return _call("STRFTIME", _call("MAKE_TIMESTAMP", micros), exp.Literal.string("%Y-%m"))


def _week(ts: exp.Expression, engine: str) -> exp.Expression:
    """Whole weeks since the Monday before the epoch: (ts + 3 days) / 7 days, floored (ts is never
    negative, so SQLite's truncating cast floors too)."""
    from sqlglot import exp

    shifted = exp.Div(
        this=exp.paren(exp.Add(this=ts, expression=exp.Literal.number(WEEK_SHIFT))),
        expression=exp.Literal.number(WEEK_SECONDS),
    )
    if engine == "sqlite":
        return exp.cast(shifted, "INTEGER")
    return exp.cast(_call("FLOOR", shifted), "BIGINT")


def _json_text(column: exp.Expression, key: str, engine: str) -> exp.Expression:
    from sqlglot import exp

    path = exp.Literal.string(f"$.{key}")
    if engine == "sqlite":
        return _call("JSON_EXTRACT", column, path)
    if engine == "postgres":
        return exp.paren(
            exp.JSONExtractScalar(this=exp.cast(column, "JSONB"), expression=exp.Literal.string(key))
        )
    return _call("JSON_EXTRACT_STRING", column, path)


def check_engine(engine: str) -> str:
    """An engine that runs reports, or ValidationFailed naming the ones that do."""
    if engine not in ENGINES:
        raise invalid("engine", engine, f"must be one of {', '.join(ENGINES)}")
    return engine


def run_report(source: Source, engine: str, statements: Sequence[str]) -> list[Result]:
    """Compile each statement for the engine and run them all through the engine registry."""
    runner = registry.RUNNERS[check_engine(engine)]
    compiled = [compile_report(sql, engine) for sql in statements]
    with runner.open(source) as opened:
        return cast(Queryable, opened).query(compiled)


def median_sql(table: str, keys: str, value: str) -> str:
    """Per group of `keys`: n, mean and median of `value` (portable: row numbers, no MEDIAN function)."""
    return f"""
ranked AS (
  SELECT {keys}, {value} AS v,
         ROW_NUMBER() OVER (PARTITION BY {keys} ORDER BY {value}) AS rn,
         COUNT(*) OVER (PARTITION BY {keys}) AS n
  FROM {table}
)
SELECT {keys}, COUNT(*) AS n, AVG(v) AS mean,
       AVG(CASE WHEN 2 * rn >= n AND 2 * rn <= n + 2 THEN v END) AS median
FROM ranked GROUP BY {keys} ORDER BY {keys}"""
