"""What one replay query can do exactly; anything else is scored one as-of query per step."""

from __future__ import annotations

from liidi.domain.scoring.spec import ScoringModel
from liidi.engines.compile.base import UnsupportedByDialect
from liidi.engines.compile.dialects import Dialect
from liidi.engines.compile.ledger import Steps

_HALF_LIFE_SPAN = 900.0


def check_replayable(model: ScoringModel, dialect: Dialect, steps: Steps) -> None:
    """Refuse (UnsupportedByDialect) what the replay cannot do exactly; callers query step by step."""

    def refuse(node: object, reason: str) -> None:
        raise UnsupportedByDialect(dialect.name, node, f"not replayable in one query: {reason}")

    if steps.count < 1 or steps.every <= 0 or not float(steps.start).is_integer():
        refuse(model, "the steps must be whole seconds apart, from a whole second")
    span = steps.last - steps.start
    for rule in model.engagement:
        if rule.decay.kind == "half_life" and span / rule.decay.period > _HALF_LIFE_SPAN:
            refuse(rule, "the steps span too many half-lives")
    for group in (g for g in model.groups if g.caps):
        if any(c.per is None for c in group.caps):
            refuse(group, "a group with a lifetime cap")
        periods = [c.per for c in group.caps if c.per]
        periods += [c.per for r in model.engagement if r.group == group.name for c in r.caps if c.per]
        for a in periods:
            for b in periods:
                if max(a, b) % min(a, b):
                    refuse(group, "cap periods of a group that do not divide each other")
