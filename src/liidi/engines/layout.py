"""The batch layout: the two relations every batch engine reads, whatever the storage underneath.

`people_flat` — one row per live person with their account's attributes beside theirs:
    person_id, email, email_domain, role, seniority, title, consent, lead_tool, channel, direction,
    sourced_by, person_traits (JSON text), account_id, account_domain, account_name, industry, country,
    employees, revenue_band, tier, account_traits (JSON text), external_id (the person's CRM id: the
    lowest-id identity of kind external_id, or NULL)
`events_flat` — one row per event of a known person:
    person_id, event_id, type, ts (UTC epoch seconds, DOUBLE), properties (JSON text)

On SQLite and PostgreSQL they are views over the store's tables; for DuckDB and Spark they are Parquet
files with the same columns (`liidi export events --parquet DIR`).
"""

from __future__ import annotations

from pathlib import Path

from liidi.domain.scoring.conditions import ACCOUNT_ATTRIBUTES, PERSON_ATTRIBUTES
from liidi.engines.layout_history import HISTORY_COLUMNS, history_views

PEOPLE = "people_flat"
EVENTS = "events_flat"

PEOPLE_COLUMNS: tuple[str, ...] = (
    "person_id",
    "email",
    "email_domain",
    "role",
    "seniority",
    "title",
    "consent",
    "lead_tool",
    "channel",
    "direction",
    "sourced_by",
    "person_traits",
    "account_id",
    "account_domain",
    "account_name",
    "industry",
    "country",
    "employees",
    "revenue_band",
    "tier",
    "account_traits",
    "external_id",
)
# Columns the batch engines carry from people_flat to every result row, so that a row names its person.
IDENTITY_COLUMNS: tuple[str, ...] = ("email", "external_id")
EXTERNAL_KIND = "external_id"
EVENT_COLUMNS: tuple[str, ...] = ("person_id", "event_id", "type", "ts", "properties")

# Model attribute name (as written in a scoring model) → column of people_flat.
PERSON_ATTRIBUTE_COLUMNS: dict[str, str] = {name: name for name in PERSON_ATTRIBUTES}
ACCOUNT_ATTRIBUTE_COLUMNS: dict[str, str] = {
    name: f"account_{name}" if name in ("domain", "name") else name for name in ACCOUNT_ATTRIBUTES
}

_PEOPLE_SELECT = """
SELECT p.id AS person_id, p.email AS email,
       {domain} AS email_domain,
       p.role, p.seniority, p.title, p.consent, p.lead_tool, p.channel, p.direction, p.sourced_by,
       {person_traits} AS person_traits,
       a.id AS account_id, a.domain AS account_domain, a.name AS account_name, a.industry, a.country,
       a.employees, a.revenue_band, a.tier, {account_traits} AS account_traits,
       (SELECT i.value FROM identities i WHERE i.person_id = p.id AND i.kind = '{external}'
        ORDER BY i.id LIMIT 1) AS external_id
FROM people p LEFT JOIN accounts a ON a.id = p.account_id
WHERE p.merged_into_id IS NULL
"""
_EVENTS_SELECT = """
SELECT e.person_id, e.event_id, e.type, e.occurred_ts AS ts, {properties} AS properties
FROM events e JOIN people p ON p.id = e.person_id AND p.merged_into_id IS NULL
"""


def store_views(dialect: str) -> list[str]:
    """Statements creating `people_flat`, `events_flat` and the report relations (layout_history) as
    temporary views over the store's tables."""
    if dialect == "sqlite":
        domain = "lower(substr(p.email, instr(p.email, '@') + 1))"
        people = _PEOPLE_SELECT.format(
            domain=domain, person_traits="p.traits", account_traits="a.traits", external=EXTERNAL_KIND
        )
        events = _EVENTS_SELECT.format(properties="e.properties")
    elif dialect == "postgresql":
        domain = "lower(split_part(p.email, '@', 2))"
        people = _PEOPLE_SELECT.format(
            domain=domain,
            person_traits="p.traits::text",
            account_traits="a.traits::text",
            external=EXTERNAL_KIND,
        )
        events = _EVENTS_SELECT.format(properties="e.properties::text")
    else:
        raise ValueError(f"the store runs on sqlite or postgresql, not {dialect}")
    return [
        f"CREATE TEMPORARY VIEW {PEOPLE} AS {people}",
        f"CREATE TEMPORARY VIEW {EVENTS} AS {events}",
        *history_views(),
    ]


def columns(relation: str) -> tuple[str, ...]:
    """The columns of a relation of the layout."""
    return {PEOPLE: PEOPLE_COLUMNS, EVENTS: EVENT_COLUMNS, **HISTORY_COLUMNS}[relation]


def parquet_path(directory: Path, relation: str) -> Path:
    """Where a relation's Parquet file lives in an export directory: DIR/<relation>.parquet."""
    return directory / f"{relation}.parquet"
