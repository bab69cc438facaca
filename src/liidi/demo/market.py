"""The demo market: accounts with firmographics, fit, tier, and a hidden buying process."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from liidi.demo.catalog import (
    COMPETITOR_SUFFIXES,
    COUNTRY_FIT,
    INDUSTRIES,
    REP_DOMAIN,
    REPS_BY_COUNTRY,
    SERVICE_AFFINITY,
    SERVICE_THEMES,
    SERVICES,
    SIZE_CLASSES,
    THEMES,
    Industry,
)
from liidi.demo.clock import DAY, Window, chance, one_of, pick
from liidi.demo.names import COUNTRIES, CountryProfile, ascii_slug
from liidi.demo.records import DemoAccount
from liidi.domain.accounts import REVENUE_BANDS

COMPETITOR_SHARE = 0.025
TIER_SHARES: tuple[tuple[str, float], ...] = (("most_wanted", 0.04), ("tier_2", 0.08), ("tier_3", 0.12))
TIER_HAZARD: dict[str, float] = {"most_wanted": 0.012, "tier_2": 0.007, "tier_3": 0.004, "none": 0.0}
DWELL_DAYS: tuple[tuple[float, float], ...] = ((2.0, 10.0), (2.0, 10.0), (2.0, 12.0), (2.0, 9.0))
ADVANCE: tuple[float, ...] = (0.65, 0.72, 0.78)
DECIDE = 0.85


@dataclass(frozen=True, slots=True)
class BuyingProcess:
    """An account's hidden buying journey: when each stage began and how it ended."""

    need_ts: float
    stage_starts: tuple[float, ...]
    ends_ts: float
    decided: bool
    themes: tuple[str, ...]
    service: str

    def stage_at(self, ts: float) -> int:
        """Index of the buying stage at ts (-1 before the need arose)."""
        return sum(1 for start in self.stage_starts if start <= ts) - 1

    def active(self, ts: float) -> bool:
        """True while the journey is under way (after it ends, the account goes quiet)."""
        return self.need_ts <= ts < self.ends_ts


@dataclass(slots=True)
class MarketAccount:
    """An account with what the generator knows about it and the loader never sees."""

    record: DemoAccount
    fit: float
    competitor: bool
    rep: str
    process: BuyingProcess | None = None


def build_market(rng: random.Random, count: int, window: Window) -> list[MarketAccount]:
    """Create `count` accounts, rank them into tiers and give some a buying process."""
    used: set[str] = set()
    accounts = [_account(rng, index, used) for index in range(count)]
    _assign_tiers(rng, accounts)
    months = (window.end - window.start) / (30.44 * DAY)
    for account in accounts:
        if not account.competitor:
            account.process = _maybe_process(rng, account, window, months)
    return accounts


def _account(rng: random.Random, index: int, used: set[str]) -> MarketAccount:
    profile = pick(rng, {c: c.weight for c in COUNTRIES})
    competitor = chance(rng, COMPETITOR_SHARE)
    industry = INDUSTRIES[0] if competitor else pick(rng, {i: i.weight for i in INDUSTRIES})
    low, high, _, size_fit = pick(rng, {s: s[2] for s in SIZE_CLASSES})
    employees = int(low * (high / low) ** rng.random())
    name, domain = _name_and_domain(rng, profile, industry, competitor, used)
    fit = 0.0 if competitor else _fit(rng, industry.fit, size_fit, COUNTRY_FIT[profile.code])
    rep = f"{one_of(rng, REPS_BY_COUNTRY[profile.code])}@{REP_DOMAIN}"
    record = DemoAccount(
        key=f"acc-{index:05d}",
        domain=domain,
        name=name,
        industry=industry.name,
        country=profile.code,
        employees=employees,
        revenue_band=_revenue_band(rng, employees),
        tier="none",
        owner=None,
    )
    return MarketAccount(record=record, fit=fit, competitor=competitor, rep=rep)


def _fit(rng: random.Random, industry_fit: float, size_fit: float, country_fit: float) -> float:
    raw = 0.45 * industry_fit + 0.35 * size_fit + 0.2 * country_fit + rng.gauss(0.0, 0.05)
    return round(min(1.0, max(0.0, raw)), 3)


def _revenue_band(rng: random.Random, employees: int) -> str:
    revenue = employees * rng.lognormvariate(math.log(140_000.0), 0.45)
    limits = (1e6, 1e7, 5e7, 2.5e8, 1e9)
    return REVENUE_BANDS[sum(1 for limit in limits if revenue >= limit)]


def _name_and_domain(
    rng: random.Random, profile: CountryProfile, industry: Industry, competitor: bool, used: set[str]
) -> tuple[str, str]:
    for attempt in range(40):
        stem = one_of(rng, profile.stems)
        finnish_suffix = profile.finnish and not competitor and chance(rng, 0.5)
        suffixes = (
            COMPETITOR_SUFFIXES
            if competitor
            else industry.suffixes_fi
            if finnish_suffix
            else industry.suffixes_en
        )
        suffix = one_of(rng, suffixes)
        parts = [ascii_slug(stem), ascii_slug(suffix)]
        if attempt >= 20:
            parts.append(one_of(rng, profile.cities))
        joiner = "" if chance(rng, 0.15) else "-"
        domain = f"{joiner.join(parts)}.{profile.tld}"
        if domain not in used:
            used.add(domain)
            return f"{stem} {suffix} {profile.legal}", domain
    domain = f"{ascii_slug(stem)}-{ascii_slug(suffix)}-{len(used)}.{profile.tld}"
    used.add(domain)
    return f"{stem} {suffix} {profile.legal}", domain


def _assign_tiers(rng: random.Random, accounts: list[MarketAccount]) -> None:
    ranked = sorted(
        (a for a in accounts if not a.competitor),
        key=lambda a: (-(a.fit + rng.gauss(0.0, 0.1)), a.record.key),
    )
    position = 0
    for tier, share in TIER_SHARES:
        size = max(1, round(share * len(accounts))) if len(accounts) >= 10 else 0
        for account in ranked[position : position + size]:
            account.record = _with_tier(account, tier)
        position += size


def _with_tier(account: MarketAccount, tier: str) -> DemoAccount:
    old = account.record
    return DemoAccount(
        old.key,
        old.domain,
        old.name,
        old.industry,
        old.country,
        old.employees,
        old.revenue_band,
        tier,
        account.rep,
    )


def _maybe_process(
    rng: random.Random, account: MarketAccount, window: Window, months: float
) -> BuyingProcess | None:
    hazard = 0.005 + 0.045 * account.fit**2 + TIER_HAZARD[account.record.tier]
    if not chance(rng, 1.0 - (1.0 - hazard) ** (months + 1.0)):
        return None
    need_ts = rng.uniform(window.start - 30 * DAY, window.end - DAY)
    starts, t, decided = [need_ts], need_ts, False
    for stage, (shape, scale) in enumerate(DWELL_DAYS):
        t += max(4.0, rng.gammavariate(shape, scale)) * DAY
        if stage == len(DWELL_DAYS) - 1:
            decided = chance(rng, DECIDE)
        elif chance(rng, ADVANCE[stage] + 0.3 * (account.fit - 0.5)):
            starts.append(t)
            continue
        break
    service = _service(rng, account.record.industry)
    return BuyingProcess(need_ts, tuple(starts), t, decided, _themes(rng, service), service)


def _service(rng: random.Random, industry: str) -> str:
    boosts = SERVICE_AFFINITY.get(industry, {})
    return pick(rng, {s: boosts.get(s, 1.0) for s in SERVICES})


def _themes(rng: random.Random, service: str) -> tuple[str, ...]:
    first = one_of(rng, SERVICE_THEMES[service])
    if not chance(rng, 0.5):
        return (first,)
    others = [t for t in SERVICE_THEMES[service] if t != first] or [t for t in THEMES if t != first]
    return (first, one_of(rng, others))
