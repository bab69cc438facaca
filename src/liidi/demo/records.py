"""The records a demo dataset is made of, and the hidden truth behind them."""

from __future__ import annotations

from dataclasses import dataclass, field

BUYING_STAGES: tuple[str, ...] = ("early_interest", "need_recognised", "comparing_solutions", "deciding")


@dataclass(frozen=True, slots=True)
class DemoAccount:
    """An organisation in the demo market."""

    key: str
    domain: str
    name: str
    industry: str
    country: str
    employees: int
    revenue_band: str
    tier: str
    owner: str | None


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """A known person (a lead) with first-touch attribution."""

    key: str
    email: str
    first_name: str
    last_name: str
    title: str
    account_domain: str | None
    consent: str
    lead_tool: str | None
    channel: str | None
    direction: str
    sourced_by: str
    created_ts: float


@dataclass(frozen=True, slots=True)
class DemoEvent:
    """One activity, keyed by a known e-mail or by an anonymous visitor id (exactly one)."""

    event_id: str
    type: str
    occurred_ts: float
    email: str | None
    anonymous_id: str | None
    properties: dict[str, object]


@dataclass(frozen=True, slots=True)
class DemoIdentify:
    """A visitor with anonymous history handing over an e-mail address."""

    anonymous_id: str
    email: str
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class DemoOpportunity:
    """A sales opportunity (deal) with its outcome."""

    key: str
    account_domain: str
    person_email: str
    name: str
    stage: str
    amount: float
    currency: str
    created_ts: float
    closed_ts: float | None
    lost_reason: str | None


@dataclass(frozen=True, slots=True)
class DemoTransition:
    """A lifecycle move made by sales (never MQL: that comes from scoring)."""

    email: str
    to_stage: str
    occurred_ts: float
    actor: str
    reason: str | None


@dataclass(frozen=True, slots=True)
class AccountTruth:
    """The hidden buying state of one account."""

    in_market: bool
    need_ts: float | None
    themes: tuple[str, ...]
    service: str | None
    max_stage: str
    outcome: str
    fit: float = 0.0
    competitor: bool = False


@dataclass(frozen=True, slots=True)
class PersonTruth:
    """The hidden state of one person."""

    in_buying_group: bool
    intent: float
    reached_sql: bool
    reached_opportunity: bool
    won: bool


@dataclass(frozen=True, slots=True)
class DemoTruth:
    """Hidden truth keyed by account domain and by person e-mail."""

    accounts: dict[str, AccountTruth] = field(default_factory=dict)
    people: dict[str, PersonTruth] = field(default_factory=dict)
