"""The shared state of one generation run: the event log, identifies, webinars and sales signals."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from liidi.demo.actors import Actor
from liidi.demo.clock import Window, chance
from liidi.demo.records import DemoEvent, DemoIdentify

Row = tuple[float, int, str, str | None, str | None, dict[str, object]]


class Keyed(Protocol):
    """Anything whose events can be keyed at a moment: an actor or an anonymous visitor."""

    def key_at(self, ts: float) -> tuple[str | None, str | None]:
        """(email, anonymous_id) at ts."""
        ...


@dataclass(frozen=True, slots=True)
class Visitor:
    """An anonymous visitor who never hands over an e-mail."""

    anon_id: str

    def key_at(self, ts: float) -> tuple[str | None, str | None]:
        """Always the anonymous id."""
        return (None, self.anon_id)


@dataclass(frozen=True, slots=True)
class Webinar:
    """A monthly webinar on one theme."""

    ts: float
    theme: str
    slug: str


@dataclass(frozen=True, slots=True)
class Signal:
    """Something sales reacts to: a hand-raiser or a trial."""

    actor: Actor
    ts: float
    type: str


@dataclass(slots=True)
class Scene:
    """Everything a generation step writes to."""

    rng: random.Random
    window: Window
    webinars: list[Webinar] = field(default_factory=list)
    signals: list[Signal] = field(default_factory=list)
    flags: set[tuple[str, str]] = field(default_factory=set)
    _rows: list[Row] = field(default_factory=list)

    def emit(self, type_: str, ts: float, who: Keyed, props: dict[str, object]) -> bool:
        """Record an event when ts is inside the window; False when it fell outside."""
        if not self.window.contains(ts):
            return False
        email, anon = who.key_at(ts)
        self._rows.append((ts, len(self._rows), type_, email, anon, props))
        return True

    def convert(self, actor: Actor, ts: float, tool: str, channel: str | None) -> None:
        """The actor hands over an e-mail in a form at ts (unless already known by then)."""
        if actor.known_at(ts):
            return
        actor.known_ts, actor.by_form = ts, True
        actor.lead_tool, actor.direction, actor.sourced_by = tool, "inbound", "marketing"
        actor.channel = actor.first_channel or channel or "direct"
        granted = 0.95 if tool == "newsletter" else 0.7
        actor.consent = "granted" if chance(self.rng, granted) else "unknown"

    def finish(self, seed: int, actors: list[Actor]) -> tuple[list[DemoEvent], list[DemoIdentify]]:
        """Events sorted by time with deterministic ids, and the identifies that stitch anonymous history.

        A visitor's events after the moment they became known carry their e-mail (actions within a
        week are drawn out of time order); a form fill stitches earlier anonymous history unless the
        cookie was lost.
        """
        known = {a.anon_id: a for a in actors if a.known_ts is not None}
        seen: set[str] = set()
        events: list[DemoEvent] = []
        for n, (ts, _, type_, email, anon, props) in enumerate(
            sorted(self._rows, key=lambda r: (r[0], r[1]))
        ):
            actor = known.get(anon or "")
            if actor is not None and actor.known_at(ts):
                email, anon = actor.email, None
            elif anon is not None:
                seen.add(anon)
            events.append(DemoEvent(f"demo-{seed}-{n}", type_, ts, email, anon, props))
        identifies = [
            DemoIdentify(a.anon_id, a.email, a.known_ts)
            for a in known.values()
            if a.known_ts is not None and a.by_form and a.cookie_kept and a.anon_id in seen
        ]
        return events, sorted(identifies, key=lambda i: (i.occurred_ts, i.email))


def quarter(ts: float) -> str:
    """A campaign period label like '2026q3'."""
    moment = datetime.fromtimestamp(ts, tz=UTC)
    return f"{moment.year}q{(moment.month - 1) // 3 + 1}"
