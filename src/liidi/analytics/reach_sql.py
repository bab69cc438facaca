"""Who was reached, engaged and first reached: SQL text over the batch layout shared by the target-account
and marketing-value reports (analytics/targets.py, analytics/value.py).

A person is **reached** in [since, until) when they have a sales touch or an event in it, and **engaged**
when they acted themselves in it: an event other than a bounce, an unsubscribe or a sales touch, or a call
or meeting with sales. Each piece reads a CTE `who(person_id)` naming the people wanted.
"""

from __future__ import annotations

from liidi.analytics.report_query import number, quote
from liidi.analytics.sqlparts import FAR_FUTURE
from liidi.domain.icp import WantedRole

DAY = 86400.0
PASSIVE_EVENTS = ("email_bounce", "unsubscribe", "sales_touch")
CONVERSATIONS = ("call", "meeting")


def between(column: str, since: float, until: float) -> str:
    """`since <= column < until` with literal bounds."""
    return f"{column} >= {number(since)} AND {column} < {number(until)}"


def among(values: tuple[str, ...]) -> str:
    """A parenthesised list of string literals, for IN."""
    return "(" + ", ".join(quote(v) for v in values) + ")"


def role_match(role: WantedRole, alias: str) -> str:
    """SQL for 'this person of people_flat `alias` fills this role': every given key matches, a list any
    of its values (title words as lower-case substrings)."""
    parts = ["1 = 1"]
    if role.roles:
        parts.append(f"{alias}.role IN {among(role.roles)}")
    if role.seniorities:
        parts.append(f"{alias}.seniority IN {among(role.seniorities)}")
    if role.title_words:
        title = f"LOWER(COALESCE({alias}.title, ''))"
        words = " OR ".join(f"POSITION({quote(w)} IN {title}) > 0" for w in role.title_words)
        parts.append(f"({words})")
    return "(" + " AND ".join(parts) + ")"


def reach_ctes(since: float, until: float) -> str:
    """CTEs ending in `reach(person_id, engaged)`: the people of `who` reached in [since, until), each
    with engaged 1 or 0."""
    return f"""
touched AS (
  SELECT person_id, MAX(CASE WHEN kind IN {among(CONVERSATIONS)} THEN 1 ELSE 0 END) AS talked
  FROM touches_flat WHERE {between("ts", since, until)} GROUP BY person_id
),
evented AS (
  SELECT person_id, MAX(CASE WHEN type NOT IN {among(PASSIVE_EVENTS)} THEN 1 ELSE 0 END) AS acted
  FROM activity_flat WHERE person_id IS NOT NULL AND {between("ts", since, until)} GROUP BY person_id
),
reach AS (
  SELECT w.person_id,
         CASE WHEN COALESCE(t.talked, 0) = 1 OR COALESCE(e.acted, 0) = 1 THEN 1 ELSE 0 END AS engaged
  FROM who w LEFT JOIN touched t ON t.person_id = w.person_id
  LEFT JOIN evented e ON e.person_id = w.person_id
  WHERE t.person_id IS NOT NULL OR e.person_id IS NOT NULL
)"""


def first_reach_ctes(until: float) -> str:
    """CTEs ending in `firsts(person_id, first_ts)`: per person of `who`, the time of their first touch or
    event before `until` (people never reached left out)."""
    never = number(FAR_FUTURE)
    return f"""
first_touch AS (
  SELECT person_id, MIN(ts) AS ts FROM touches_flat WHERE ts < {number(until)} GROUP BY person_id
),
first_event AS (
  SELECT person_id, MIN(ts) AS ts FROM activity_flat
  WHERE person_id IS NOT NULL AND ts < {number(until)} GROUP BY person_id
),
reached_first AS (
  SELECT w.person_id, LEAST(COALESCE(t.ts, {never}), COALESCE(e.ts, {never})) AS first_ts
  FROM who w LEFT JOIN first_touch t ON t.person_id = w.person_id
  LEFT JOIN first_event e ON e.person_id = w.person_id
),
firsts AS (SELECT person_id, first_ts FROM reached_first WHERE first_ts < {never})"""
