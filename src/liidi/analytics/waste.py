"""The waste report (R23): where leads and deals were lost, or never worked, and the value they carry.

Every measure is one aggregate query over the report relations of the batch layout (stages_flat,
deals_flat, touches_flat, clocks_flat, merges_flat), written once and run by any report engine
(analytics/report_query.py), for the period [since, until) (docs/analytics.md "Waste" defines each).
Each row counts the items (hand-overs, moves, clocks, deals or merges), the people behind them, their
**pipeline value** (the summed amounts of those people's deals; for lost deals, the deals' own amounts)
and an **estimated value**: people × the won value per handed-over lead of the period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liidi.analytics.report_query import Result, number, quote

ACCEPTED = ("sal", "sql", "opportunity", "customer")
CLOSED = ("recycled", "disqualified")
NONE = "(none)"
MEASURES = (
    "never_worked",
    "closed_without_reason",
    "deals_lost_without_reason",
    "sla_missed",
    "recycle_loops",
    "duplicates",
    "leads_lost",
    "deals_lost",
)


@dataclass(frozen=True, slots=True)
class WasteRow:
    """One measure or one (stage, reason) of the losses: how many, whose, and the value at stake."""

    measure: str
    count: int
    people: int
    value: float
    estimated_value: float | None
    stage: str | None = None
    to: str | None = None
    reason: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = {"measure": self.measure, "count": self.count, "people": self.people}
        if self.stage is not None:
            data |= {"stage": self.stage, "to": self.to, "reason": self.reason}
        return data | {"value": round(self.value, 2), "estimated_value": self.estimated_value}


@dataclass(frozen=True, slots=True)
class WasteReport:
    """The measures of the period, the losses by stage and reason, and the value per handed-over lead."""

    since: float
    until: float
    now: float
    handed_over: int
    won_value: float
    value_per_lead: float | None
    measures: list[WasteRow]
    lost: list[WasteRow]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API and `--json`."""
        return {
            "since": self.since,
            "until": self.until,
            "now": self.now,
            "handed_over": self.handed_over,
            "won_value": round(self.won_value, 2),
            "value_per_lead": self.value_per_lead,
            "measures": [m.as_dict() for m in self.measures],
            "lost_by_stage_and_reason": [r.as_dict() for r in self.lost],
        }


def _in(column: str, since: float, until: float) -> str:
    """`since <= column < until` with literal bounds."""
    return f"{column} >= {number(since)} AND {column} < {number(until)}"


def _among(values: tuple[str, ...]) -> str:
    return "(" + ", ".join(quote(v) for v in values) + ")"


def _blank(column: str) -> str:
    return f"({column} IS NULL OR TRIM({column}) = '')"


def _reason(column: str) -> str:
    return f"COALESCE(NULLIF(TRIM({column}), ''), {quote(NONE)})"


TOTALS = (
    "totals AS (SELECT person_id, COALESCE(SUM(amount), 0.0) AS amount FROM deals_flat "
    "WHERE person_id IS NOT NULL GROUP BY person_id)"
)


def _item_sql(since: float, until: float, now: float) -> dict[str, str]:
    """Per people-based measure, a query of one row per item with its person_id."""
    period = _in("h.ts", since, until)
    touched = "EXISTS (SELECT 1 FROM touches_flat t WHERE t.person_id = h.person_id AND t.ts >= h.ts)"
    accepted = (
        "EXISTS (SELECT 1 FROM stages_flat l WHERE l.person_id = h.person_id AND l.to_stage IN "
        f"{_among(ACCEPTED)} AND (l.ts > h.ts OR (l.ts = h.ts AND l.change_id > h.change_id)))"
    )
    late = (
        "(c.first_touch_ts >= c.due_ts OR (c.first_touch_ts IS NULL AND (c.breached_ts IS NOT NULL "
        f"OR (c.status <> 'closed' AND c.due_ts <= {number(now)}))))"
    )
    closed = f"h.to_stage IN {_among(CLOSED)} AND {period}"
    return {
        "never_worked": (
            f"SELECT h.person_id FROM stages_flat h WHERE h.to_stage = 'mql' AND {period} "
            f"AND NOT {touched} AND NOT {accepted}"
        ),
        "closed_without_reason": (
            f"SELECT h.person_id FROM stages_flat h WHERE {closed} AND {_blank('h.reason')}"
        ),
        "sla_missed": (
            f"SELECT c.person_id FROM clocks_flat c WHERE {_in('c.started_ts', since, until)} AND {late}"
        ),
        "recycle_loops": (
            f"SELECT h.person_id FROM stages_flat h WHERE h.to_stage = 'recycled' AND h.ts < {number(until)} "
            "GROUP BY h.person_id HAVING COUNT(*) >= 2 "
            f"AND SUM(CASE WHEN h.ts >= {number(since)} THEN 1 ELSE 0 END) >= 1"
        ),
        "duplicates": f"SELECT m.merged_id AS person_id FROM merges_flat m WHERE {_in('m.ts', since, until)}",
        "leads_lost": f"SELECT h.person_id FROM stages_flat h WHERE {closed}",
    }


def _deals_sql(since: float, until: float, *, unexplained: bool) -> str:
    """Deals lost in the period (only those without a reason when `unexplained`): count, people, value."""
    blank = f" AND {_blank('lost_reason')}" if unexplained else ""
    return (
        "SELECT COUNT(*) AS n, COUNT(DISTINCT person_id) AS people, COALESCE(SUM(amount), 0.0) AS amount "
        f"FROM deals_flat WHERE stage = 'lost' AND {_in('closed_ts', since, until)}{blank}"
    )


def waste_sql(since: float, until: float, now: float) -> list[str]:
    """The report's statements: the period's totals, each people measure, lost deals, losses by stage."""
    totals = (
        "SELECT (SELECT COUNT(DISTINCT person_id) FROM stages_flat WHERE to_stage = 'mql' AND "
        f"{_in('ts', since, until)}) AS handed, (SELECT COALESCE(SUM(amount), 0.0) FROM deals_flat "
        f"WHERE stage = 'won' AND {_in('closed_ts', since, until)}) AS won"
    )
    people = [
        f"""WITH items AS ({sql}), {TOTALS}, persons AS (SELECT DISTINCT person_id FROM items)
        SELECT (SELECT COUNT(*) FROM items) AS n, COUNT(*) AS people, COALESCE(SUM(d.amount), 0.0) AS amount
        FROM persons p LEFT JOIN totals d ON d.person_id = p.person_id"""
        for sql in _item_sql(since, until, now).values()
    ]
    moves = (
        f"moves AS (SELECT COALESCE(h.from_stage, {quote(NONE)}) AS stage, h.to_stage AS to_stage, "
        f"{_reason('h.reason')} AS reason, h.person_id FROM stages_flat h "
        f"WHERE h.to_stage IN {_among(CLOSED)} AND {_in('h.ts', since, until)})"
    )
    keys = "p.stage, p.to_stage, p.reason"
    by_stage = f"""WITH {moves}, {TOTALS},
    counts AS (SELECT stage, to_stage, reason, COUNT(*) AS n FROM moves GROUP BY stage, to_stage, reason),
    persons AS (SELECT DISTINCT stage, to_stage, reason, person_id FROM moves)
    SELECT {keys}, MAX(c.n) AS n, COUNT(*) AS people, COALESCE(SUM(d.amount), 0.0) AS amount
    FROM persons p JOIN counts c ON c.stage = p.stage AND c.to_stage = p.to_stage AND c.reason = p.reason
    LEFT JOIN totals d ON d.person_id = p.person_id GROUP BY {keys}"""
    by_reason = (
        f"SELECT {_reason('lost_reason')} AS reason, COUNT(*) AS n, COUNT(DISTINCT person_id) AS people, "
        "COALESCE(SUM(amount), 0.0) AS amount FROM deals_flat "
        f"WHERE stage = 'lost' AND {_in('closed_ts', since, until)} GROUP BY {_reason('lost_reason')}"
    )
    lost = [_deals_sql(since, until, unexplained=u) for u in (True, False)]
    return [totals, *people, *lost, by_stage, by_reason]


def _estimate(people: int, per_lead: float | None) -> float | None:
    return None if per_lead is None else round(people * per_lead, 2)


def _row(name: str, row: tuple[Any, ...], per_lead: float | None, *where: str) -> WasteRow:
    """A WasteRow from (count, people, value) and, for a loss, its stage, target stage and reason."""
    count, people, value = int(row[0]), int(row[1]), float(row[2])
    return WasteRow(name, count, people, value, _estimate(people, per_lead), *where)


def waste_report(results: list[Result], *, since: float, until: float, now: float) -> WasteReport:
    """The waste of [since, until), judged at `now`, from the results of `waste_sql`'s statements."""
    (_, [(handed, won)]), *rest = results
    handed_over, won_value = int(handed), float(won)
    per_lead = round(won_value / handed_over, 2) if handed_over else None
    names = [n for n in MEASURES if n not in ("deals_lost_without_reason", "deals_lost")]
    rows = [_row(n, r[1][0], per_lead) for n, r in zip(names, rest, strict=False)]
    unexplained, lost_deals, (_, by_stage), (_, by_reason) = rest[len(names) :]
    rows.insert(2, _row("deals_lost_without_reason", unexplained[1][0], per_lead))
    rows.append(_row("deals_lost", lost_deals[1][0], per_lead))
    stages = [_row("lead_lost", (n, p, v), per_lead, s, to, r) for s, to, r, n, p, v in by_stage]
    stages.sort(key=lambda w: (-w.count, w.stage or "", w.to or "", w.reason or ""))
    deals = [_row("deal_lost", (n, p, v), per_lead, "deal", "lost", str(r)) for r, n, p, v in by_reason]
    deals.sort(key=lambda w: (-w.value, w.reason or ""))
    return WasteReport(since, until, now, handed_over, won_value, per_lead, rows, stages + deals)
