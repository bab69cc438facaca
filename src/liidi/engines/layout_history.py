"""The report relations of the batch layout: dated stage history, deals, leads, touches and batch scores.

`stages_flat` — one row per stage change (a merge moves the history and touches to the survivor, so
  they belong to live people):
    change_id, person_id, from_stage, to_stage, ts (epoch seconds), actor, reason, qualified_by,
    model_version
`deals_flat` — one row per opportunity, with its account's industry and size beside it:
    deal_id, person_id, account_id, industry, employees, stage (open/won/lost), amount, created_ts,
    closed_ts, lost_reason, owner
`leads_flat` — one row per live person: person_id, stage (the current lifecycle stage), owner, created_ts
`touches_flat` — one row per sales touch: touch_id, person_id, kind, ts, actor
`scores_flat` — one row per batch score: person_id, model, model_version, as_of_ts, score, grade
`clocks_flat` — one row per SLA clock: clock_id, person_id, started_ts, due_ts, first_touch_ts,
  breached_ts, status
`merges_flat` — one row per merge of duplicates: merge_id, merged_id, survivor_id, ts
`accounts_flat` — one row per account: account_id, domain, name, tier, industry, country, revenue_band,
  employees
`activity_flat` — one row per event, of a person or only of an account: person_id, account_id, type, ts

Like people_flat and events_flat they are temporary views over the store on SQLite and PostgreSQL and
Parquet files for DuckDB (`liidi export history --parquet DIR`).
"""

from __future__ import annotations

STAGES = "stages_flat"
DEALS = "deals_flat"
LEADS = "leads_flat"
TOUCHES = "touches_flat"
SCORES = "scores_flat"
CLOCKS = "clocks_flat"
MERGES = "merges_flat"
ACCOUNTS = "accounts_flat"
ACTIVITY = "activity_flat"

STAGE_COLUMNS = (
    "change_id",
    "person_id",
    "from_stage",
    "to_stage",
    "ts",
    "actor",
    "reason",
    "qualified_by",
    "model_version",
)
DEAL_COLUMNS = (
    "deal_id",
    "person_id",
    "account_id",
    "industry",
    "employees",
    "stage",
    "amount",
    "created_ts",
    "closed_ts",
    "lost_reason",
    "owner",
)
LEAD_COLUMNS = ("person_id", "stage", "owner", "created_ts")
TOUCH_COLUMNS = ("touch_id", "person_id", "kind", "ts", "actor")
SCORE_COLUMNS = ("person_id", "model", "model_version", "as_of_ts", "score", "grade")
CLOCK_COLUMNS = ("clock_id", "person_id", "started_ts", "due_ts", "first_touch_ts", "breached_ts", "status")
MERGE_COLUMNS = ("merge_id", "merged_id", "survivor_id", "ts")
ACCOUNT_COLUMNS = (
    "account_id",
    "domain",
    "name",
    "tier",
    "industry",
    "country",
    "revenue_band",
    "employees",
)
ACTIVITY_COLUMNS = ("person_id", "account_id", "type", "ts")

HISTORY_COLUMNS: dict[str, tuple[str, ...]] = {
    STAGES: STAGE_COLUMNS,
    DEALS: DEAL_COLUMNS,
    LEADS: LEAD_COLUMNS,
    TOUCHES: TOUCH_COLUMNS,
    SCORES: SCORE_COLUMNS,
    CLOCKS: CLOCK_COLUMNS,
    MERGES: MERGE_COLUMNS,
    ACCOUNTS: ACCOUNT_COLUMNS,
    ACTIVITY: ACTIVITY_COLUMNS,
}
# The relations each family of reports reads (people_flat aside).
FUNNEL_RELATIONS = (STAGES, DEALS, LEADS, TOUCHES)
WASTE_RELATIONS = (STAGES, DEALS, TOUCHES, CLOCKS, MERGES)
TARGET_RELATIONS = (ACCOUNTS, TOUCHES, ACTIVITY)
VALUE_RELATIONS = (DEALS, TOUCHES, ACTIVITY)
# Column kinds for the Parquet files: integer ids and counts, epoch seconds and amounts, the rest text.
INTEGER_COLUMNS = frozenset(
    {
        "change_id",
        "person_id",
        "deal_id",
        "account_id",
        "employees",
        "touch_id",
        "clock_id",
        "merge_id",
        "merged_id",
        "survivor_id",
    }
)
DOUBLE_COLUMNS = frozenset(
    {
        "ts",
        "amount",
        "created_ts",
        "closed_ts",
        "as_of_ts",
        "score",
        "started_ts",
        "due_ts",
        "first_touch_ts",
        "breached_ts",
    }
)
ORDER: dict[str, str] = {
    STAGES: "person_id, ts, change_id",
    DEALS: "deal_id",
    LEADS: "person_id",
    TOUCHES: "person_id, ts, touch_id",
    SCORES: "model, as_of_ts, person_id",
    CLOCKS: "clock_id",
    MERGES: "merge_id",
    ACCOUNTS: "account_id",
    ACTIVITY: "person_id, ts",
}

_LIVE = "JOIN people p ON p.id = {alias}.person_id AND p.merged_into_id IS NULL"
_SELECTS: dict[str, str] = {
    STAGES: (
        "SELECT h.id AS change_id, h.person_id, h.from_stage, h.to_stage, h.occurred_ts AS ts, h.actor, "
        "h.reason, h.qualified_by, h.model_version FROM lifecycle_history h"
    ),
    DEALS: (
        "SELECT o.id AS deal_id, o.person_id, o.account_id, a.industry, a.employees, o.stage, o.amount, "
        "o.created_ts, o.closed_ts, o.lost_reason, o.owner "
        "FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id"
    ),
    LEADS: (
        "SELECT p.id AS person_id, p.lifecycle_stage AS stage, p.owner, p.created_ts "
        "FROM people p WHERE p.merged_into_id IS NULL"
    ),
    TOUCHES: ("SELECT t.id AS touch_id, t.person_id, t.kind, t.occurred_ts AS ts, t.actor FROM touches t"),
    SCORES: (
        "SELECT s.person_id, s.model, s.model_version, s.as_of_ts, s.score, s.grade "
        "FROM batch_scores s " + _LIVE.format(alias="s")
    ),
    CLOCKS: (
        "SELECT c.id AS clock_id, c.person_id, c.started_ts, c.due_ts, c.first_touch_ts, c.breached_ts, "
        "c.status FROM sla_clocks c"
    ),
    MERGES: "SELECT m.id AS merge_id, m.merged_id, m.survivor_id, m.occurred_ts AS ts FROM merges m",
    ACCOUNTS: (
        "SELECT a.id AS account_id, a.domain, a.name, a.tier, a.industry, a.country, a.revenue_band, "
        "a.employees FROM accounts a"
    ),
    ACTIVITY: "SELECT e.person_id, e.account_id, e.type, e.occurred_ts AS ts FROM events e",
}


def history_views() -> list[str]:
    """Statements creating the report relations as temporary views (the same SQL on both stores)."""
    return [f"CREATE TEMPORARY VIEW {name} AS {select}" for name, select in _SELECTS.items()]
