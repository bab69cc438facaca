"""Accounts: the organisations people belong to (R3, R4, R17)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

REVENUE_BANDS: tuple[str, ...] = ("<1M", "1M-10M", "10M-50M", "50M-250M", "250M-1B", ">1B")


class Tier(StrEnum):
    """Place on the shared target list (the Most Wanted list, R17)."""

    MOST_WANTED = "most_wanted"
    TIER_2 = "tier_2"
    TIER_3 = "tier_3"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Account:
    """An organisation, matched to people by e-mail domain unless named explicitly."""

    id: int
    domain: str | None = None
    name: str | None = None
    industry: str | None = None
    country: str | None = None
    employees: int | None = None
    revenue_band: str | None = None
    tier: Tier = Tier.NONE
    owner: str | None = None
    external_id: str | None = None
    created_ts: float = 0.0
    traits: dict[str, Any] = field(default_factory=dict)


def name_from_domain(domain: str) -> str:
    """A readable provisional account name from a domain: 'acme-logistics.fi' → 'Acme Logistics'."""
    stem = domain.split(".")[0]
    return " ".join(word.capitalize() for word in stem.replace("_", "-").split("-") if word)
