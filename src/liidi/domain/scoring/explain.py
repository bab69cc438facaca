"""A score card as plain text for a terminal: headline, verdict, profile, then every rule's points."""

from __future__ import annotations

from liidi.domain.events import from_epoch
from liidi.domain.scoring import describe
from liidi.domain.scoring.card import RuleScore, ScoreCard, SignalHit

_KIND_TITLES = (("fit", "Fit"), ("engagement", "Engagement"), ("signal", "Signals"), ("product", "Product"))
_PATH_NAMES = {"hand_raiser": "hand-raiser", "pql": "PQL", "mql": "MQL"}


def when(ts: float) -> str:
    """'2024-05-03 14:00 UTC'."""
    return from_epoch(ts).strftime("%Y-%m-%d %H:%M UTC")


def format_card(card: ScoreCard) -> str:
    """The whole card, a few lines per section, sections separated by blank lines."""
    blocks = [_headline(card), _profile(card)] + [_rules(card, kind, title) for kind, title in _KIND_TITLES]
    return "\n\n".join(block for block in blocks if block) + "\n"


def _headline(card: ScoreCard) -> str:
    """Model, person, moment, total and verdict."""
    grade = f" (grade {card.grade})" if card.grade else ""
    lines = [
        f"{card.model} · person {card.person_id} · as of {when(card.as_of_ts)}",
        f"score {describe.number(card.score)} = fit {describe.number(card.fit)}{grade}"
        f" + engagement {describe.number(card.engagement)}",
        verdict(card),
    ]
    return "\n".join(lines)


def verdict(card: ScoreCard) -> str:
    """'qualified: MQL since 2024-05-03 14:00 UTC; now MQL yes, PQL no, hand-raiser no'."""
    now = f"now MQL {_yes(card.mql)}, PQL {_yes(card.pql)}, hand-raiser {_yes(card.hand_raiser)}"
    if card.qualified_at_ts is None or card.qualified_by is None:
        return f"not qualified; {now}"
    return f"qualified: {_PATH_NAMES[card.qualified_by]} since {when(card.qualified_at_ts)}; {now}"


def _yes(value: bool) -> str:
    """yes / no."""
    return "yes" if value else "no"


def _profile(card: ScoreCard) -> str:
    """Buying stage, themes and fired window rules."""
    lines = []
    if card.buying_stage or card.themes:
        themes = ", ".join(f"{t.theme} {t.share * 100:.0f}%" for t in card.themes) or "none yet"
        lines.append(f"buying stage: {card.buying_stage or 'unknown'} · themes: {themes}")
    lines += [_signal_line(hit) for hit in (*card.signals, *card.products)]
    return "\n".join(lines)


def _signal_line(hit: SignalHit) -> str:
    """'signal service binge: active, last fired 2024-05-03 14:00 UTC, +20'."""
    state = "active" if hit.active else "expired"
    return (
        f"{hit.kind} {hit.name}: {state}, last fired {when(hit.fired_at_ts)}, {describe.signed(hit.points)}"
    )


def _rules(card: ScoreCard, kind: str, title: str) -> str:
    """One section of rule lines, aligned; empty when no rule of that kind scored."""
    rules = [r for r in card.rules if r.kind == kind]
    if not rules:
        return ""
    total = sum(r.points for r in rules)
    width = max(len(r.rule) for r in rules)
    return "\n".join([f"{title} {describe.signed(total)}"] + [_rule_line(r, width) for r in rules])


def _rule_line(rule: RuleScore, width: int) -> str:
    """'  +7.1  service page visit   3 events, 9.0 raw, decayed (half-life 14d)'."""
    return f"  {describe.signed(rule.points):>7}  {rule.rule:<{width}}  {rule.detail}"
