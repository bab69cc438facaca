"""Sales' side: outbound sequences, reactions to hand-raisers and trials, follow-ups, and meetings."""

from __future__ import annotations

from dataclasses import dataclass, field

from liidi.demo.actors import Actor
from liidi.demo.catalog import REP_DOMAIN, REPS_BY_COUNTRY
from liidi.demo.clock import DAY, chance, pick, working_time
from liidi.demo.deals import Deals
from liidi.demo.market import MarketAccount
from liidi.demo.records import DemoOpportunity, DemoTransition
from liidi.demo.scene import Scene, Signal

OUTBOUND_STEPS: tuple[tuple[float, str], ...] = (
    (0, "email"),
    (3, "email"),
    (5, "call"),
    (8, "email"),
    (12, "call"),
    (16, "email"),
)


@dataclass(slots=True)
class Meeting:
    """A first meeting between a rep and a person, the moment sales can qualify an account."""

    ts: float
    actor: Actor
    ordered: bool = False


@dataclass(slots=True)
class SalesDesk:
    """Runs every sales action of the window and collects meetings."""

    scene: Scene
    deals: Deals
    meetings: list[Meeting] = field(default_factory=list)

    def rep(self, actor: Actor) -> str:
        """The rep handling a person: the account's owner or territory rep, an inbound rep otherwise."""
        if actor.account is not None:
            return actor.account.rep
        return f"{REPS_BY_COUNTRY['FI'][0]}@{REP_DOMAIN}"

    def when(self, ts: float, floor: float) -> float:
        """A working moment near ts, never before floor."""
        return max(working_time(self.scene.rng, ts), floor)

    def touch(self, actor: Actor, ts: float, kind: str, **extra: str) -> bool:
        """A call, e-mail or meeting by the rep, recorded as a sales_touch event."""
        return self.scene.emit("sales_touch", ts, actor, {"kind": kind, "rep": self.rep(actor), **extra})

    def meet(self, actor: Actor, after: float, ordered: bool = False) -> None:
        """Book and hold a meeting a few days later."""
        ts = self.when(after + self.scene.rng.uniform(2.0, 8.0) * DAY, after + 3600.0)
        if self.touch(actor, ts, "meeting"):
            self.meetings.append(Meeting(ts, actor, ordered))


def run_sales(
    scene: Scene, accounts: list[MarketAccount], actors: list[Actor]
) -> tuple[list[DemoTransition], list[DemoOpportunity]]:
    """Play sales' part of the window and return the lifecycle moves and the deals it produced."""
    desk = SalesDesk(scene, Deals(scene, actors))
    for actor in actors:
        if actor.outbound_ts is not None:
            _outbound(desk, actor, actor.outbound_ts)
    raised = {s.actor.account.record.domain for s in scene.signals if s.actor.account is not None}
    for signal in sorted(scene.signals, key=lambda s: (s.ts, s.actor.email)):
        _react(desk, signal)
    for account in accounts:
        if account.record.domain not in raised:
            _follow_up(desk, account, [a for a in desk.deals.group(account) if a.kind == "buyer"])
    first: dict[str, Meeting] = {}
    for meeting in sorted(desk.meetings, key=lambda m: (m.ts, m.actor.email)):
        if meeting.actor.account is not None:
            first.setdefault(meeting.actor.account.record.domain, meeting)
    for meeting in first.values():
        desk.deals.qualify(meeting.actor, meeting.ts, desk.rep(meeting.actor), meeting.ordered)
    return desk.deals.transitions, desk.deals.opportunities


def _reply_odds(actor: Actor, ts: float) -> float:
    process = actor.account.process if actor.account else None
    if process is None or not process.active(ts):
        return 0.02
    boost = 1.3 if actor.kind == "buyer" and actor.role == "decision_maker" else 1.0
    return (0.08 if process.stage_at(ts) <= 0 else 0.3) * boost


def _outbound(desk: SalesDesk, actor: Actor, start: float) -> None:
    """An outbound sequence of e-mails and calls; a reply books a meeting and ends it."""
    floor = max(start, actor.known_ts or start)
    for days, kind in OUTBOUND_STEPS:
        if kind == "call" and not chance(desk.scene.rng, 0.6):
            continue
        ts = desk.when(start + days * DAY, floor)
        if not desk.touch(actor, ts, kind, sequence="outbound"):
            return
        if chance(desk.scene.rng, _reply_odds(actor, ts)):
            desk.meet(actor, ts)
            return


def _react(desk: SalesDesk, signal: Signal) -> None:
    """Hand-raisers are always contacted; trial users at in-market accounts sometimes."""
    rng, actor = desk.scene.rng, signal.actor
    if signal.type == "trial_signup":
        if actor.kind == "buyer" and chance(rng, 0.5):
            ts = desk.when(signal.ts + rng.uniform(5.0, 9.0) * DAY, signal.ts + 600.0)
            if desk.touch(actor, ts, "call") and chance(rng, 0.5):
                desk.meet(actor, ts)
        return
    ts = desk.when(signal.ts + rng.uniform(0.05, 1.5) * DAY, signal.ts + 600.0)
    if not desk.touch(actor, ts, "call"):
        return
    desk.touch(actor, ts + 3600.0, "email")
    if actor.kind in ("student", "competitor"):
        desk.deals.move(actor, ts + 7200.0, "disqualified", actor.kind, desk.rep(actor))
    elif actor.kind == "buyer" or chance(rng, 0.35):
        desk.meet(actor, ts, ordered=signal.type == "order")
    elif chance(rng, 0.3):
        desk.deals.move(actor, ts + 7200.0, "recycled", "timing", desk.rep(actor))
    else:
        reason = pick(rng, {"not_a_fit": 50, "no_budget": 50})
        desk.deals.move(actor, ts + 7200.0, "disqualified", reason, desk.rep(actor))


def _follow_up(desk: SalesDesk, account: MarketAccount, buyers: list[Actor]) -> None:
    """A rep calls a known buyer of an account busy comparing solutions, without a hand-raiser."""
    rng, process = desk.scene.rng, account.process
    if process is None or len(process.stage_starts) < 3 or not chance(rng, 0.35):
        return
    ts = working_time(rng, process.stage_starts[2] + rng.uniform(3.0, 20.0) * DAY)
    known = [a for a in buyers if a.known_at(ts)]
    if not known:
        return
    actor = max(known, key=lambda a: (a.intent, a.email))
    if desk.touch(actor, ts, "call") and chance(rng, 0.6):
        desk.meet(actor, ts)
