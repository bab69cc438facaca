"""The reverse funnel (R19): from a revenue target back to deals, proposals, meetings and contacts.

Arithmetic is exact (fractions): a count is rounded up to a whole item at each stage, from the whole
count of the stage after it — you cannot win half a deal or hold a third of a meeting. So
deals = ⌈revenue / deal size⌉, proposals = ⌈deals / win rate⌉, meetings = ⌈proposals / meeting-to-proposal⌉
and contacts = ⌈meetings / contact-to-meeting⌉.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from liidi.errors import FieldError, ValidationFailed

STAGES = ("contacts", "meetings", "proposals", "deals")
RATES = ("contact_to_meeting", "meeting_to_proposal", "win_rate")
LAGS = ("contact_to_meeting", "meeting_to_proposal", "proposal_to_deal")
MEANING = {
    "contacts": "people moved to lead or mql (or created past subscriber without such a move)",
    "meetings": "people moved to sal or sql",
    "proposals": "opportunities opened",
    "deals": "opportunities won",
}
MAX_MONEY = Decimal(10) ** 12
MAX_COUNT = 10**12
Z95 = 1.959963984540054
_PERCENT = re.compile(r"^(\d{1,6}(?:\.\d{1,6})?)\s*%$")
_DECIMAL = re.compile(r"^(\d{1,6}(?:\.\d{1,12})?)$")
_RATIO = re.compile(r"^(\d{1,9})\s*(?:/|\s+in\s+|-in-)\s*(\d{1,9})$")
_MONEY = re.compile(r"^€?\s*(\d{1,3}(?:[,_]\d{3})+|\d{1,13})(\.\d{1,2})?$")
_COUNT = re.compile(r"^\d{1,13}$")


def invalid(field: str, value: object, reason: str) -> ValidationFailed:
    """ValidationFailed naming one field, its value and the reason."""
    return ValidationFailed([FieldError(field, value, reason)], f"{field} {value!r}: {reason}")


def _text(value: object, field: str) -> str:
    """A number or text given for a field, as text; booleans, lists and the like are refused."""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise invalid(field, value, "must be a number or text")
    text = str(value).strip()
    if len(text) > 40 or "\x00" in text:
        raise invalid(field, str(value)[:40], "is too long or holds a NUL character")
    return text


def parse_rate(value: object, field: str) -> Fraction:
    """A conversion rate from '20%', '0.2', '1/3' or '1 in 3': above 0 and at most 100 %."""
    text = _text(value, field)
    reason = "expected a rate such as 20%, 0.2, 1/3 or '1 in 3', above 0 and at most 100%"
    if match := _PERCENT.match(text):
        rate = Fraction(Decimal(match.group(1))) / 100
    elif match := _DECIMAL.match(text):
        rate = Fraction(Decimal(match.group(1)))
    elif match := _RATIO.match(text):
        top, bottom = int(match.group(1)), int(match.group(2))
        if bottom == 0:
            raise invalid(field, text, "divides by zero; " + reason)
        rate = Fraction(top, bottom)
    else:
        raise invalid(field, text, reason)
    if rate <= 0 or rate > 1:
        raise invalid(field, text, reason)
    return rate


def parse_money(value: object, field: str) -> Fraction:
    """An amount in euros such as 50000, 50,000 or 12500.50: above 0 and below 10^12."""
    text = _text(value, field)
    match = _MONEY.match(text)
    reason = "expected an amount such as 50000 or 50,000.50, above 0 and below 1,000,000,000,000"
    if not match:
        raise invalid(field, text, reason)
    amount = Decimal(match.group(1).replace(",", "").replace("_", "") + (match.group(2) or ""))
    if not 0 < amount < MAX_MONEY:
        raise invalid(field, text, reason)
    return Fraction(amount)


def parse_count(value: object, field: str) -> int:
    """A whole number of deals from 1 to 10^12."""
    text = _text(value, field)
    if not _COUNT.match(text) or not 0 < int(text) <= MAX_COUNT:
        raise invalid(field, text, f"expected a whole number from 1 to {MAX_COUNT:,}")
    return int(text)


def ceil(value: Fraction) -> int:
    """The smallest whole number at or above an exact value."""
    return -((-value.numerator) // value.denominator)


def percent(rate: Fraction) -> str:
    """A rate as a percentage for people: '20%', '33.3%'."""
    shown = f"{float(rate) * 100:.1f}".removesuffix(".0")
    return f"{shown}%"


def wilson(successes: int, trials: int, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share (95 % by default)."""
    if trials <= 0:
        raise ValueError("the Wilson interval needs at least one trial")
    share = successes / trials
    factor = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / factor
    half = z / factor * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True, slots=True)
class Rate:
    """A conversion rate: given, or measured from `successes` of `trials` with its 95 % interval."""

    value: Fraction
    source: str  # given, measured
    successes: int | None = None
    trials: int | None = None

    @classmethod
    def measured(cls, successes: int, trials: int) -> Rate:
        """The share measured from history."""
        return cls(Fraction(successes, trials), "measured", successes, trials)

    def interval(self) -> tuple[float, float] | None:
        """The 95 % Wilson interval of a measured rate."""
        return None if self.trials is None else wilson(self.successes or 0, self.trials)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape: the exact fraction, the share, where it came from, the interval."""
        low_high = self.interval()
        return {
            "value": float(self.value),
            "fraction": str(self.value),
            "percent": percent(self.value),
            "source": self.source,
            "successes": self.successes,
            "trials": self.trials,
            "ci_low": None if low_high is None else round(low_high[0], 4),
            "ci_high": None if low_high is None else round(low_high[1], 4),
        }


@dataclass(frozen=True, slots=True)
class Counts:
    """How many of each stage the target needs."""

    contacts: int
    meetings: int
    proposals: int
    deals: int

    def as_dict(self) -> dict[str, int]:
        return {stage: getattr(self, stage) for stage in STAGES}


def back_from(deals: int, rates: dict[str, Fraction]) -> Counts:
    """Proposals, meetings and contacts for a number of deals, rounded up at each stage."""
    proposals = ceil(deals / rates["win_rate"])
    meetings = ceil(proposals / rates["meeting_to_proposal"])
    contacts = ceil(meetings / rates["contact_to_meeting"])
    counts = Counts(contacts, meetings, proposals, deals)
    for stage in STAGES:
        if getattr(counts, stage) > MAX_COUNT:
            given = {k: str(v) for k, v in rates.items()}
            raise invalid("rates", given, f"they need over {MAX_COUNT:,} {stage}")
    return counts


def deals_for(revenue: Fraction, deal_size: Fraction) -> int:
    """Deals needed to reach a revenue at an average deal size (rounded up)."""
    deals = ceil(revenue / deal_size)
    if deals > MAX_COUNT:
        raise invalid("deal_size", float(deal_size), f"the revenue needs over {MAX_COUNT:,} deals")
    return deals


@dataclass(frozen=True, slots=True)
class Lags:
    """Median days between stages, measured from history (None where nothing was measured)."""

    contact_to_meeting: float | None
    meeting_to_proposal: float | None
    proposal_to_deal: float | None

    def as_dict(self) -> dict[str, float | None]:
        return {name: None if (v := getattr(self, name)) is None else round(v, 1) for name in LAGS}

    def needed_by(self, start: date) -> dict[str, date | None]:
        """When each stage must be reached for deals closing from `start` on: each earlier stage by the
        later one's date less its median lag in whole days (rounded up); None past an unmeasured lag."""
        dates: dict[str, date | None] = {"deals": start}
        current: date | None = start
        for stage, lag in (
            ("proposals", self.proposal_to_deal),
            ("meetings", self.meeting_to_proposal),
            ("contacts", self.contact_to_meeting),
        ):
            current = None if current is None or lag is None else current - timedelta(days=math.ceil(lag))
            dates[stage] = current
        return dates


def money(amount: Fraction) -> str:
    """An amount in euros for people: '€50,000', '€12,500.50'."""
    cents = round(amount * 100)
    whole, rest = divmod(cents, 100)
    return f"€{whole:,}" + (f".{rest:02d}" if rest else "")


def money_value(amount: Fraction) -> float | int:
    """An amount for JSON: a whole number when it is one, else euros and cents."""
    return int(amount) if amount.denominator == 1 else round(float(amount), 2)


@dataclass(frozen=True, slots=True)
class DealSize:
    """The average deal: given, or measured as the mean amount of `basis` won deals."""

    value: Fraction
    source: str  # given, measured
    basis: int | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """A revenue target for a period worked back to the contacts, meetings, proposals and deals it needs."""

    period: str
    period_start: date
    revenue: Fraction
    deal_size: DealSize
    counts: Counts
    rates: dict[str, Rate]
    lags: Lags | None = None
    window: tuple[float, float] | None = None

    def needed_by(self) -> dict[str, date | None]:
        """When each stage must be reached for deals closing in the period (from its first day)."""
        return self.lags.needed_by(self.period_start) if self.lags is not None else {}

    def sentence(self) -> str:
        """'To reach €50,000 in 2026-12 you need 375 contacts → 75 meetings → 25 proposals → 5 deals.'"""
        c = self.counts
        chain = f"{c.contacts:,} contacts → {c.meetings:,} meetings → {c.proposals:,} proposals"
        chain += f" → {c.deals:,} deals"
        return f"To reach {money(self.revenue)} in {self.period} you need {chain}."

    def timing(self) -> str | None:
        """'Contacts needed by 2026-11-03 for deals closing in 2026-12.', when the lags are known."""
        when = self.needed_by().get("contacts")
        if when is None:
            return None
        return f"Contacts needed by {when.isoformat()} for deals closing in {self.period}."

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of the API, `--json` and the stored plan."""
        return {
            "period": self.period,
            "revenue": money_value(self.revenue),
            "deal_size": money_value(self.deal_size.value),
            "deal_size_source": self.deal_size.source,
            "deal_size_basis": self.deal_size.basis,
            **self.counts.as_dict(),
            "rates": {name: self.rates[name].as_dict() for name in RATES},
            "lags_days": None if self.lags is None else self.lags.as_dict(),
            "needed_by": {k: None if v is None else v.isoformat() for k, v in self.needed_by().items()},
            "window": None if self.window is None else {"since": self.window[0], "until": self.window[1]},
            "sentence": self.sentence(),
            "stages": MEANING,
        }


def plan_for(
    *,
    period: str,
    period_start: date,
    revenue: Fraction | None,
    deals: int | None,
    deal_size: DealSize,
    rates: dict[str, Rate],
    lags: Lags | None = None,
    window: tuple[float, float] | None = None,
) -> Plan:
    """The plan for a revenue target, or for a number of deals (revenue = deals × deal size)."""
    if revenue is not None and deals is not None:
        raise invalid("deals", deals, "give the target as revenue or as deals, not both")
    if revenue is None and deals is None:
        raise invalid("revenue", None, "is required (or give the target as deals with a deal size)")
    won = deals if deals is not None else deals_for(revenue or Fraction(0), deal_size.value)
    target = revenue if revenue is not None else won * deal_size.value
    counts = back_from(won, {name: rates[name].value for name in RATES})
    return Plan(period, period_start, target, deal_size, counts, rates, lags, window)
