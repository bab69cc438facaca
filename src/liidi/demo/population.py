"""Who is in the market: existing contacts, buying groups, outbound lists, newcomers and students."""

from __future__ import annotations

import random

from liidi.demo.actors import Actor, Registry
from liidi.demo.catalog import INBOUND_CHANNELS, OTHER_TITLES, STUDENT_TITLES, TITLES_EN, TITLES_FI
from liidi.demo.clock import DAY, chance, one_of, pick, poisson
from liidi.demo.market import BuyingProcess, MarketAccount
from liidi.demo.names import COUNTRIES, CountryProfile

PROFILES: dict[str, CountryProfile] = {c.code: c for c in COUNTRIES}
FREE_MAIL_SHARE = 0.05
CONTACT_ROLES: dict[str, float] = {"decision_maker": 20, "influencer": 30, "user": 35, "other": 15}
BASE_TOOLS: dict[str, float] = {"newsletter": 40, "download": 30, "event": 20, "contact_form": 10}
SALES_SOURCED_SHARE = 0.35
OUTBOUND_BY_TIER: dict[str, int] = {"most_wanted": 3, "tier_2": 2, "tier_3": 1, "none": 0}
DM_JOIN_STAGE: dict[int, float] = {1: 30, 2: 50, 3: 20}
STUDENTS_PER_ACCOUNT_YEAR = 0.12
NEW_CONTACTS_PER_YEAR = 0.45


def build_population(registry: Registry, accounts: list[MarketAccount]) -> list[Actor]:
    """Create every actor of the market, in a fixed order."""
    rng, window = registry.rng, registry.window
    years = (window.end - window.start) / (365.25 * DAY)
    actors: list[Actor] = []
    for account in accounts:
        size = account.record.employees**0.25 / 3.0
        own = [_existing_contact(registry, account) for _ in range(poisson(rng, min(4.0, 0.4 + size)))]
        own += [
            _new_contact(registry, account) for _ in range(poisson(rng, NEW_CONTACTS_PER_YEAR * size * years))
        ]
        if account.process is not None:
            own += _buying_group(registry, account, account.process)
        actors += own + _outbound_list(registry, account, own)
    actors += [
        _student(registry) for _ in range(poisson(rng, STUDENTS_PER_ACCOUNT_YEAR * len(accounts) * years))
    ]
    return actors


def _title(rng: random.Random, profile: CountryProfile, role: str) -> str:
    if role == "other":
        return one_of(rng, OTHER_TITLES)
    titles = TITLES_FI if profile.finnish and chance(rng, 0.45) else TITLES_EN
    return one_of(rng, titles[role])


def _member(registry: Registry, account: MarketAccount, kind: str, role: str) -> Actor:
    rng = registry.rng
    profile = PROFILES[account.record.country]
    title = _title(rng, profile, role)
    return registry.person(profile, account, kind, role, title, chance(rng, FREE_MAIL_SHARE))


def _make_known(rng: random.Random, actor: Actor, ts: float) -> None:
    """Mark an actor as already in the database at ts, with a plausible first touch."""
    actor.known_ts = ts
    actor.consent = pick(rng, {"granted": 65, "unknown": 33, "withdrawn": 2})
    if chance(rng, SALES_SOURCED_SHARE):
        actor.lead_tool = pick(rng, {"outbound_list": 75, "event": 25})
        actor.channel = "event" if actor.lead_tool == "event" else "outbound"
        actor.direction, actor.sourced_by = "outbound", "sales"
    else:
        actor.lead_tool = pick(rng, BASE_TOOLS)
        actor.channel = "event" if actor.lead_tool == "event" else pick(rng, INBOUND_CHANNELS)
    if actor.consent == "withdrawn":
        actor.mail_stop_ts = ts


def _existing_contact(registry: Registry, account: MarketAccount) -> Actor:
    rng = registry.rng
    kind = "competitor" if account.competitor else "contact"
    actor = _member(registry, account, kind, pick(rng, CONTACT_ROLES))
    actor.intent = round(rng.uniform(0.0, 0.15), 3)
    _make_known(rng, actor, registry.window.start)
    return actor


def _new_contact(registry: Registry, account: MarketAccount) -> Actor:
    rng = registry.rng
    kind = "competitor" if account.competitor else "contact"
    actor = _member(registry, account, kind, pick(rng, CONTACT_ROLES))
    actor.intent = round(rng.uniform(0.0, 0.15), 3)
    actor.convert_ts = rng.uniform(registry.window.start, registry.window.end)
    return actor


def _student(registry: Registry) -> Actor:
    rng = registry.rng
    profile = pick(rng, {c: c.weight for c in COUNTRIES})
    actor = registry.person(profile, None, "student", "other", one_of(rng, STUDENT_TITLES), True)
    actor.convert_ts = rng.uniform(registry.window.start, registry.window.end)
    return actor


def _buying_group(registry: Registry, account: MarketAccount, process: BuyingProcess) -> list[Actor]:
    rng = registry.rng
    employees = account.record.employees
    size = min(7, 2 + poisson(rng, 0.3 + employees**0.25 / 4.0))
    has_dm = chance(rng, 0.9 if employees < 50 else 0.75)
    dm_champion = has_dm and employees < 50 and chance(rng, 0.5)
    roles = (["decision_maker"] if has_dm else []) + [
        pick(rng, {"influencer": 55, "user": 45}) for _ in range(size)
    ]
    group: list[Actor] = []
    for index, role in enumerate(roles[:size]):
        champion = (index == 0) if dm_champion else (index == (1 if has_dm else 0))
        join_ts = _join_ts(rng, process, role == "decision_maker" and not champion)
        if join_ts is None:
            continue
        actor = _member(registry, account, "buyer", role)
        actor.champion, actor.join_ts = champion, join_ts
        actor.intent = round(rng.uniform(0.75, 1.0) if champion else rng.uniform(0.35, 0.85), 3)
        if chance(rng, 0.25):
            _make_known(rng, actor, registry.window.start)
        group.append(actor)
    return group


def _join_ts(rng: random.Random, process: BuyingProcess, late: bool) -> float | None:
    """When a member starts to act: most from the need onwards, decision makers later."""
    stage = pick(rng, DM_JOIN_STAGE) if late else (1 if chance(rng, 0.3) else 0)
    if stage >= len(process.stage_starts):
        return None
    start = process.stage_starts[stage]
    following = process.stage_starts[stage + 1] if stage + 1 < len(process.stage_starts) else process.ends_ts
    return start + rng.uniform(0.0, 0.6) * (following - start)


def _outbound_list(registry: Registry, account: MarketAccount, own: list[Actor]) -> list[Actor]:
    """Sales imports a few named people at target accounts, sometimes the buying group's decision maker."""
    rng, window = registry.rng, registry.window
    count = OUTBOUND_BY_TIER[account.record.tier]
    if count == 0 and not account.competitor and account.fit > 0.62 and chance(rng, 0.3):
        count = 1
    new: list[Actor] = []
    for _ in range(count):
        ts = rng.uniform(window.start, window.end - 10 * DAY)
        dm = next((a for a in own if a.kind == "buyer" and a.role == "decision_maker"), None)
        if dm is not None and dm.known_ts is None and dm.outbound_ts is None and chance(rng, 0.4):
            actor = dm
        else:
            actor = _member(registry, account, "contact", pick(rng, {"decision_maker": 60, "influencer": 40}))
            actor.intent = round(rng.uniform(0.0, 0.15), 3)
            new.append(actor)
        actor.known_ts, actor.outbound_ts, actor.consent = ts, ts, pick(rng, {"unknown": 85, "granted": 15})
        actor.lead_tool, actor.channel, actor.direction, actor.sourced_by = (
            "outbound_list",
            "outbound",
            "outbound",
            "sales",
        )
    return new
