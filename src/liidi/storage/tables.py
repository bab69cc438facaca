"""Table definitions, identical on SQLite and PostgreSQL. Times are UTC epoch seconds (`*_ts`)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Double,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from liidi.storage import tables_handover, tables_pacing, tables_planning
from liidi.storage.table_base import Id, Ts, metadata

accounts = Table(
    "accounts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("domain", String(253), unique=True),
    Column("external_id", String(200), unique=True),
    Column("name", String(300)),
    Column("industry", String(100)),
    Column("country", String(100)),
    Column("employees", Integer),
    Column("revenue_band", String(20)),
    Column("tier", String(20), nullable=False, server_default="none"),
    Column("owner", String(254)),
    Column("traits", JSON, nullable=False),
    Column("created_ts", Ts, nullable=False),
    Column("updated_ts", Ts, nullable=False),
)

people = Table(
    "people",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("email", String(254)),
    Column("first_name", String(200)),
    Column("last_name", String(200)),
    Column("title", String(300)),
    Column("role", String(30), nullable=False, server_default="other"),
    Column("seniority", String(30), nullable=False, server_default="unknown"),
    Column("account_id", Id, ForeignKey("accounts.id"), index=True),
    Column("consent", String(20), nullable=False, server_default="unknown"),
    Column("lead_tool", String(100)),
    Column("channel", String(100)),
    Column("direction", String(20)),
    Column("sourced_by", String(20)),
    Column("lifecycle_stage", String(30), nullable=False, server_default="subscriber"),
    Column("owner", String(254)),
    Column("traits", JSON, nullable=False),
    Column("merged_into_id", Id, ForeignKey("people.id")),
    Column("created_ts", Ts, nullable=False),
    Column("updated_ts", Ts, nullable=False),
    Index("ix_people_lifecycle_stage", "lifecycle_stage"),
)

identities = Table(
    "identities",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("value", String(254), nullable=False),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("created_ts", Ts, nullable=False),
    UniqueConstraint("kind", "value"),
)

events = Table(
    "events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("event_id", String(200), nullable=False, unique=True),
    Column("type", String(100), nullable=False),
    Column("person_id", Id, ForeignKey("people.id")),
    Column("anonymous_id", String(200)),
    Column("account_id", Id, ForeignKey("accounts.id")),
    Column("occurred_ts", Ts, nullable=False),
    Column("received_ts", Ts, nullable=False),
    Column("properties", JSON, nullable=False),
    Index("ix_events_person_id_occurred_ts", "person_id", "occurred_ts"),
    Index("ix_events_anonymous_id", "anonymous_id"),
    Index("ix_events_account_id", "account_id"),
)

lifecycle_history = Table(
    "lifecycle_history",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("person_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("from_stage", String(30)),
    Column("to_stage", String(30), nullable=False),
    Column("occurred_ts", Ts, nullable=False),
    Column("actor", String(254), nullable=False),
    Column("reason", String(200)),
    Column("qualified_by", String(30)),
    Column("model_version", String(100)),
    Column("amount", Double),
    Index("ix_lifecycle_history_occurred_ts", "occurred_ts"),
)

merges = Table(
    "merges",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("survivor_id", Id, ForeignKey("people.id"), nullable=False, index=True),
    Column("merged_id", Id, ForeignKey("people.id"), nullable=False, unique=True),
    Column("occurred_ts", Ts, nullable=False),
    Column("actor", String(254), nullable=False),
    Column("reason", String(200)),
    Column("moved_events", Integer, nullable=False),
    Column("snapshot", JSON, nullable=False),
)

opportunities = Table(
    "opportunities",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("external_id", String(200), unique=True),
    Column("account_id", Id, ForeignKey("accounts.id"), index=True),
    Column("person_id", Id, ForeignKey("people.id"), index=True),
    Column("name", String(300), nullable=False),
    Column("stage", String(20), nullable=False),
    Column("amount", Double),
    Column("currency", String(3), nullable=False, server_default="EUR"),
    Column("created_ts", Ts, nullable=False),
    Column("closed_ts", Ts),
    Column("lost_reason", String(100)),
    Column("owner", String(254)),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("prefix", String(32), nullable=False, unique=True),
    Column("key_hash", String(64), nullable=False),
    Column("scope", String(20), nullable=False),
    Column("name", String(200), nullable=False),
    Column("created_ts", Ts, nullable=False),
    Column("revoked_ts", Ts),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("topic", String(100), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_ts", Ts, nullable=False),
    Column("available_ts", Ts, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("delivered_ts", Ts),
    Column("last_error", Text),
    Column("status", String(20), nullable=False, server_default="pending"),  # pending, delivered, dead
    Column("claimed_by", String(100)),
    Column("lease_until", Ts),
    Index("ix_outbox_due", "status", "available_ts"),
)

# Where outbox messages go: signed JSON webhooks and Slack-compatible incoming webhooks.
subscriptions = Table(
    "subscriptions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # webhook, slack
    Column("url", Text, nullable=False),
    Column("secret", String(200)),  # signs webhook bodies; never shown after creation
    Column("events", JSON, nullable=False),  # topics; empty: every topic
    Column("created_ts", Ts, nullable=False),
    Column("removed_ts", Ts),
)

# One message to one target (a subscription or the e-mail channel): its own attempts and retry time.
deliveries = Table(
    "deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("outbox_id", Id, ForeignKey("outbox.id"), nullable=False),
    Column("target", String(40), nullable=False),  # "subscription:12" or "email"
    Column("channel", String(20), nullable=False),  # webhook, slack, email
    Column("subscription_id", Id, ForeignKey("subscriptions.id")),
    Column("status", String(20), nullable=False),  # pending, delivered, dead, cancelled
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_ts", Ts, nullable=False),
    Column("last_error", Text),
    Column("delivered_ts", Ts),
    Column("created_ts", Ts, nullable=False),
    UniqueConstraint("outbox_id", "target"),
)

scoring_models = Table(
    "scoring_models",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("source", Text, nullable=False),
    Column("fingerprint", String(64), nullable=False),
    Column("created_ts", Ts, nullable=False),
    Column("published_ts", Ts),
    Column("author", String(254), nullable=False),
    UniqueConstraint("name", "version"),
)

score_states = Table(
    "score_states",
    metadata,
    Column("person_id", Id, ForeignKey("people.id"), primary_key=True),
    Column("model", String(100), primary_key=True),
    Column("model_version", String(100), nullable=False),
    Column("events", JSON, nullable=False),
    Column("score", Double, nullable=False),
    Column("fit", Double, nullable=False),
    Column("engagement", Double, nullable=False),
    Column("grade", String(1)),
    Column("qualified", Integer, nullable=False, server_default="0"),
    Column("qualified_by", String(30)),
    Column("qualified_ts", Ts),
    Column("buying_stage", String(50)),
    Column("themes", JSON, nullable=False),
    Column("scored_ts", Ts, nullable=False),
    Index("ix_score_states_model_score", "model", "score"),
)

batch_scores = Table(
    "batch_scores",
    metadata,
    Column("person_id", Id, primary_key=True),
    Column("model", String(100), primary_key=True),
    Column("as_of_ts", Ts, primary_key=True),
    Column("model_version", String(100), nullable=False),
    Column("fit", Double, nullable=False),
    Column("grade", String(1)),
    Column("engagement", Double, nullable=False),
    Column("score", Double, nullable=False),
    Column("mql", Boolean, nullable=False),
    Column("pql", Boolean, nullable=False),
    Column("hand_raiser", Boolean, nullable=False),
    Column("signals", JSON, nullable=False),
    Column("scored_ts", Ts, nullable=False),
    Column("email", String(254)),
    Column("external_id", String(254)),
    Index("ix_batch_scores_model_as_of_ts_score", "model", "as_of_ts", "score"),
)

backtest_jobs = Table(
    "backtest_jobs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("status", String(20), nullable=False),
    Column("progress", Double, nullable=False, server_default="0"),
    Column("params", JSON, nullable=False),
    Column("result", JSON),
    Column("error", Text),
    Column("created_ts", Ts, nullable=False),
    Column("started_ts", Ts),
    Column("finished_ts", Ts),
    # The run id of the server process that started the job; a later process fails its unfinished jobs.
    Column("runner", String(32)),
)

# The one type of each attribute (trait) of people or accounts, set when it is first seen.
attribute_types = Table(
    "attribute_types",
    metadata,
    Column("scope", String(20), primary_key=True),
    Column("name", String(200), primary_key=True),
    Column("type", String(20), nullable=False),
    Column("source", String(20), nullable=False),
    Column("first_seen_ts", Ts, nullable=False),
)

# The hand-over to sales and weekly pacing have their own table modules; `tables` names them all the same.
touches = tables_handover.touches
config_documents = tables_handover.config_documents
assignments = tables_handover.assignments
sla_clocks = tables_handover.sla_clocks
nurture_enrolments = tables_handover.nurture_enrolments
nurture_steps_done = tables_handover.nurture_steps_done
plans = tables_planning.plans
week_notes = tables_pacing.week_notes
tasks = tables_pacing.tasks
