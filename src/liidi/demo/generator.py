"""Generate a demo dataset: a documented generative model of a B2B market with known hidden truth."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from liidi.demo.actors import Actor, Registry
from liidi.demo.clock import Window, months_before
from liidi.demo.journeys import buyer_journey
from liidi.demo.mailing import schedule_webinars, send_newsletters
from liidi.demo.market import MarketAccount, build_market
from liidi.demo.noise import noise_life, visitors
from liidi.demo.population import build_population
from liidi.demo.records import (
    BUYING_STAGES,
    AccountTruth,
    DemoAccount,
    DemoEvent,
    DemoIdentify,
    DemoOpportunity,
    DemoPerson,
    DemoTransition,
    DemoTruth,
    PersonTruth,
)
from liidi.demo.sales import run_sales
from liidi.demo.scene import Scene

__all__ = [
    "EVENTS_PER_ACCOUNT_MONTH",
    "AccountTruth",
    "DemoAccount",
    "DemoDataset",
    "DemoEvent",
    "DemoIdentify",
    "DemoOpportunity",
    "DemoPerson",
    "DemoTransition",
    "DemoTruth",
    "PersonTruth",
    "generate",
]

EVENTS_PER_ACCOUNT_MONTH = 12.0
"""Measured average events per account and month (±10 %): ask for N events with accounts × months ≈ N / 12."""


@dataclass(frozen=True, slots=True)
class DemoDataset:
    """Everything the demo loader needs, plus the hidden truth to evaluate scoring against."""

    accounts: list[DemoAccount]
    people: list[DemoPerson]
    events: list[DemoEvent]
    identifies: list[DemoIdentify]
    opportunities: list[DemoOpportunity]
    transitions: list[DemoTransition]
    truth: DemoTruth
    start_ts: float
    end_ts: float


def generate(accounts: int = 200, months: int = 6, seed: int = 7, *, end: datetime) -> DemoDataset:
    """Generate `accounts` accounts and `months` months of history ending at `end` (an aware datetime)."""
    if end.tzinfo is None or end.utcoffset() is None:
        raise ValueError("end must be an aware datetime (e.g. datetime(..., tzinfo=UTC))")
    if accounts < 1 or months < 1:
        raise ValueError("accounts and months must be at least 1")
    window = Window(months_before(end, months).timestamp(), end.timestamp())
    rng = random.Random(seed)
    registry = Registry(rng, window)
    market = build_market(rng, accounts, window)
    actors = build_population(registry, market)
    scene = _simulate(Scene(rng, window), registry, actors, accounts)
    transitions, opportunities = run_sales(scene, market, actors)
    events, identifies = scene.finish(seed, actors)
    return DemoDataset(
        accounts=[account.record for account in market],
        people=_people(actors),
        events=events,
        identifies=identifies,
        opportunities=opportunities,
        transitions=sorted(transitions, key=lambda t: (t.occurred_ts, t.email)),
        truth=_truth(market, actors, transitions, opportunities, window),
        start_ts=window.start,
        end_ts=window.end,
    )


def _simulate(scene: Scene, registry: Registry, actors: list[Actor], accounts: int) -> Scene:
    """Marketing's side of the window: every actor's behaviour, anonymous traffic, e-mail."""
    schedule_webinars(scene)
    for actor in actors:
        if actor.kind == "buyer":
            buyer_journey(scene, actor)
        else:
            noise_life(scene, actor)
    visitors(scene, registry, accounts)
    send_newsletters(scene, actors)
    return scene


def _known(actors: list[Actor]) -> list[Actor]:
    """Actors who became people (handed over an e-mail or were imported), oldest first."""
    known = [(a.known_ts, n, a) for n, a in enumerate(actors) if a.known_ts is not None]
    return [a for _, _, a in sorted(known, key=lambda item: (item[0], item[1]))]


def _people(actors: list[Actor]) -> list[DemoPerson]:
    return [
        DemoPerson(
            key=f"per-{n:06d}",
            email=a.email,
            first_name=a.first_name,
            last_name=a.last_name,
            title=a.title,
            account_domain=a.account.record.domain if a.account else None,
            consent=a.consent,
            lead_tool=a.lead_tool,
            channel=a.channel,
            direction=a.direction,
            sourced_by=a.sourced_by,
            created_ts=float(a.known_ts or 0.0),
        )
        for n, a in enumerate(_known(actors))
    ]


def _truth(
    market: list[MarketAccount],
    actors: list[Actor],
    transitions: list[DemoTransition],
    opportunities: list[DemoOpportunity],
    window: Window,
) -> DemoTruth:
    outcomes = {o.account_domain: o.stage for o in opportunities}
    accounts = {a.record.domain: _account_truth(a, outcomes, window) for a in market}
    stages: dict[str, set[str]] = {}
    for move in transitions:
        stages.setdefault(move.email, set()).add(move.to_stage)
    people = {
        a.email: PersonTruth(
            in_buying_group=a.in_buying_group,
            intent=a.intent,
            reached_sql="sql" in stages.get(a.email, set()),
            reached_opportunity="opportunity" in stages.get(a.email, set()),
            won="customer" in stages.get(a.email, set()),
        )
        for a in _known(actors)
    }
    return DemoTruth(accounts=accounts, people=people)


def _account_truth(account: MarketAccount, outcomes: dict[str, str], window: Window) -> AccountTruth:
    process = account.process
    reached = process.stage_at(window.end) if process else -1
    return AccountTruth(
        in_market=process is not None,
        need_ts=process.need_ts if process else None,
        themes=process.themes if process else (),
        service=process.service if process else None,
        max_stage=BUYING_STAGES[reached] if reached >= 0 else "none",
        outcome=outcomes.get(account.record.domain, "none"),
        fit=account.fit,
        competitor=account.competitor,
    )
