"""Tables of weekly pacing: notes per week and the tasks playbooks (and people) create."""

from __future__ import annotations

from sqlalchemy import Column, Index, Integer, String, Table, Text, UniqueConstraint

from liidi.storage.table_base import Id, Ts, metadata

# What was done in an ISO week and what is done next ("2026-W49"), one row per week.
week_notes = Table(
    "week_notes",
    metadata,
    Column("week", String(8), primary_key=True),
    Column("done", Text),
    Column("next", Text),
    Column("author", String(254), nullable=False),
    Column("updated_ts", Ts, nullable=False),
)

# Work for people: a playbook's play for a week (at most one per playbook and period: the unique key).
tasks = Table(
    "tasks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # playbook
    Column("title", String(300), nullable=False),
    Column("detail", Text),
    Column("owner", String(254)),
    Column("playbook", String(100)),
    Column("period", String(8)),  # the week measured, "2026-W48"
    Column("due_period", String(8)),  # the week the play runs in
    Column("plan_version", Integer),
    Column("status", String(20), nullable=False),  # open, done
    Column("created_ts", Ts, nullable=False),
    Column("outbox_id", Id),
    UniqueConstraint("playbook", "period"),
    Index("ix_tasks_status_created_ts", "status", "created_ts"),
)
