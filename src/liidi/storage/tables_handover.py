"""Tables of the hand-over to sales: touches, configuration documents, assignments, SLA clocks, nurture."""

from __future__ import annotations

from sqlalchemy import (
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from liidi.storage.table_base import Id, Ts, metadata

# Calls, e-mails, meetings and notes by sales, from the API, the CLI or a sales_touch event (event_id).
touches = Table(
    "touches",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("occurred_ts", Ts, nullable=False),
    Column("actor", String(254)),
    Column("note", Text),
    Column("source", String(20), nullable=False),
    Column("event_id", String(200), unique=True),
    Column("created_ts", Ts, nullable=False),
    Index("ix_touches_person_id_occurred_ts", "person_id", "occurred_ts"),
)

# Configuration documents (routing, sla, nurture): every loaded version; the newest of a kind is active.
config_documents = Table(
    "config_documents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("version", Integer, nullable=False),
    Column("source", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("author", String(254), nullable=False),
    Column("created_ts", Ts, nullable=False),
    UniqueConstraint("kind", "version"),
)

# Who was given which lead, by which rule and why: the audit trail and the basis of capacity counts.
assignments = Table(
    "assignments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("owner", String(254)),
    Column("team", String(100)),
    Column("rule", String(200)),
    Column("method", String(20), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("motion", String(20)),
    Column("actor", String(254), nullable=False),
    Column("routing_version", Integer),
    Column("assigned_ts", Ts, nullable=False),
    Index("ix_assignments_owner_assigned_ts", "owner", "assigned_ts"),
    Index("ix_assignments_assigned_ts", "assigned_ts"),
)

# A response-SLA clock: started when a lead is handed over to an owner, stopped by the first touch (met),
# ended without one when the lead is reassigned (closed). `next_ts` is when the scan next has work on it
# (the warning, the deadline or the next escalation step); null when nothing is left to do.
sla_clocks = Table(
    "sla_clocks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("policy", String(100), nullable=False),
    Column("sla_version", Integer, nullable=False),
    Column("owner", String(254), nullable=False),
    Column("team", String(100)),
    Column("motion", String(20)),
    Column("qualified_by", String(20)),
    Column("started_ts", Ts, nullable=False),
    Column("due_ts", Ts, nullable=False),
    Column("warning_ts", Ts),
    Column("first_touch_ts", Ts),
    Column("warned_ts", Ts),
    Column("breached_ts", Ts),
    Column("escalation_step", Integer, nullable=False),
    Column("status", String(20), nullable=False),  # open, breached (still waiting), met, closed
    Column("closed_ts", Ts),
    Column("next_ts", Ts),
    Index("ix_sla_clocks_status_next_ts", "status", "next_ts"),
    Index("ix_sla_clocks_owner_status", "owner", "status"),
    Index("ix_sla_clocks_started_ts", "started_ts"),
)

# A person on a nurture track under one scoring model: the next step and when it is due, how it ended.
# At most one active enrolment per person and model (a partial unique index).
nurture_enrolments = Table(
    "nurture_enrolments",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False),
    Column("model", String(100), nullable=False),
    Column("track", String(100), nullable=False),
    Column("document_version", Integer, nullable=False),
    Column("entry", String(20), nullable=False),  # not_ready, recycled
    Column("entry_stage", String(50)),  # the buying stage when enrolled
    Column("final_stage", String(50)),  # the buying stage when it ended
    Column("enrolled_ts", Ts, nullable=False),
    Column("step_index", Integer, nullable=False),
    Column("next_due_ts", Ts),
    Column("status", String(20), nullable=False),  # active, completed, exited
    Column("exit_reason", String(30)),  # qualified, disqualified, unsubscribed, merged, track_removed
    Column("ended_ts", Ts),
    Index("ix_nurture_enrolments_person_id_model", "person_id", "model"),
    Index("ix_nurture_enrolments_status_next_due_ts", "status", "next_due_ts"),
    Index(
        "uq_nurture_enrolments_active",
        "person_id",
        "model",
        unique=True,
        sqlite_where=text("status = 'active'"),
        postgresql_where=text("status = 'active'"),
    ),
)

# Each step done for an enrolment, once (the unique key), with the outbox message that carries it.
nurture_steps_done = Table(
    "nurture_steps_done",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("enrolment_id", Id, ForeignKey("nurture_enrolments.id"), nullable=False),
    Column("step_index", Integer, nullable=False),
    Column("action", String(20), nullable=False),
    Column("done_ts", Ts, nullable=False),
    Column("outbox_id", Id),
    UniqueConstraint("enrolment_id", "step_index"),
)
