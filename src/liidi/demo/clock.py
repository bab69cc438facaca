"""Time and chance helpers for the demo generator: the window, working hours, small distributions."""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

DAY = 86400.0
WEEK = 7 * DAY
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Window:
    """The generated period [start, end] in epoch seconds."""

    start: float
    end: float

    def contains(self, ts: float) -> bool:
        """True when ts falls inside the window."""
        return self.start <= ts <= self.end

    def clamp(self, ts: float) -> float:
        """The nearest moment inside the window."""
        return min(max(ts, self.start), self.end)


def months_before(end: datetime, months: int) -> datetime:
    """The same day-of-month and time `months` calendar months earlier (clamped to month length)."""
    index = end.year * 12 + end.month - 1 - months
    year, month = divmod(index, 12)
    for day in range(end.day, 0, -1):
        try:
            return end.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    raise ValueError("no valid day")  # pragma: no cover


def working_time(rng: random.Random, ts: float) -> float:
    """Move a moment onto a plausible working time: weekdays, mostly 07–17 Finnish time."""
    day = math.floor(ts / DAY)
    weekday = (day + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    if weekday >= 5 and rng.random() < 0.85:
        day += (-1 if rng.random() < 0.5 else 2) if weekday == 5 else 1
    hour = rng.uniform(5.0, 15.0) if rng.random() < 0.85 else rng.uniform(15.0, 20.5)
    return day * DAY + hour * 3600.0


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw: Knuth's method for small means, a rounded normal approximation for large ones."""
    if mean <= 0:
        return 0
    if mean > 30.0:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def pick(rng: random.Random, weights: Mapping[T, float]) -> T:
    """One key of a mapping, chosen with probability proportional to its weight."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def chance(rng: random.Random, p: float) -> bool:
    """True with probability p."""
    return rng.random() < p


def one_of(rng: random.Random, items: Sequence[T]) -> T:
    """A uniformly chosen item."""
    return items[rng.randrange(len(items))]
