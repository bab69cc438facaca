"""Qualification and deals: SQL, opportunity and its outcome follow the account's hidden process."""

from __future__ import annotations

import math

from liidi.demo.actors import Actor
from liidi.demo.catalog import (
    LOST_REASONS,
    SERVICE_AFFINITY,
    SERVICE_LABELS,
    SERVICE_PRICE,
    SERVICES,
    STALL_REASONS,
)
from liidi.demo.clock import DAY, chance, pick, working_time
from liidi.demo.market import BuyingProcess, MarketAccount
from liidi.demo.records import DemoOpportunity, DemoTransition
from liidi.demo.scene import Scene

DISQUALIFY_FOR: dict[str, str] = {"no_budget": "no_budget", "bad_fit": "not_a_fit"}
NOT_BUYING: dict[str, float] = {"no_budget": 40, "not_a_fit": 40, "competitor": 5, "no_need": 15}
GRACE_DAYS = 21.0  # a buyer who talks to sales waits for them this long before deciding


class Deals:
    """Collects lifecycle transitions and opportunities, consistent with each other."""

    def __init__(self, scene: Scene, actors: list[Actor]) -> None:
        self.scene = scene
        self.transitions: list[DemoTransition] = []
        self.opportunities: list[DemoOpportunity] = []
        self._groups: dict[str, list[Actor]] = {}
        for actor in actors:
            if actor.account is not None:
                self._groups.setdefault(actor.account.record.domain, []).append(actor)

    def group(self, account: MarketAccount) -> list[Actor]:
        """The actors at an account, in creation order."""
        return self._groups.get(account.record.domain, [])

    def move(self, actor: Actor, ts: float, stage: str, reason: str | None, rep: str) -> bool:
        """Record a lifecycle move by a rep when it falls inside the window."""
        if not self.scene.window.contains(ts) or not actor.known_at(ts):
            return False
        self.transitions.append(DemoTransition(actor.email, stage, ts, rep, reason))
        return True

    def qualify(self, actor: Actor, meeting_ts: float, rep: str, ordered: bool) -> None:
        """After a first meeting: SQL, then an opportunity when the account is really buying."""
        rng, account = self.scene.rng, actor.account
        if account is None:
            return
        sql_ts = meeting_ts + rng.uniform(0.1, 2.0) * DAY
        process = account.process
        in_play = process is not None and process.need_ts <= sql_ts < process.ends_ts + GRACE_DAYS * DAY
        stage = process.stage_at(sql_ts) if process is not None and in_play else -1
        if not (in_play or ordered or chance(rng, 0.4)):
            self.move(actor, sql_ts, "disqualified", pick(rng, NOT_BUYING), rep)
        elif not self.move(actor, sql_ts, "sql", None, rep):
            return
        elif (in_play and (stage >= 2 or (stage == 1 and chance(rng, 0.4)))) or ordered or chance(rng, 0.06):
            self._open(actor, account, sql_ts + rng.uniform(2.0, 14.0) * DAY, rep, ordered)
        elif in_play:
            self.move(actor, sql_ts + rng.uniform(20.0, 60.0) * DAY, "recycled", "timing", rep)
        else:
            self.move(
                actor, sql_ts + rng.uniform(7.0, 30.0) * DAY, "disqualified", pick(rng, NOT_BUYING), rep
            )

    def _open(self, actor: Actor, account: MarketAccount, ts: float, rep: str, ordered: bool) -> None:
        """Open an opportunity; its close follows the hidden process and moves the contact on."""
        if not self.move(actor, ts, "opportunity", None, rep):
            return
        close, won, reason = self._outcome(account, account.process, ts, ordered)
        if close is not None and close > self.scene.window.end:
            close, won, reason = None, False, None
        stage = "open" if close is None else "won" if won else "lost"
        self.opportunities.append(self._record(actor, account, ts, stage, close, reason))
        if close is not None and won:
            self.move(actor, close, "customer", None, rep)
        elif close is not None and reason is not None:
            after = close + self.scene.rng.uniform(0.0, 2.0) * DAY
            to_stage = "disqualified" if reason in DISQUALIFY_FOR else "recycled"
            self.move(actor, after, to_stage, DISQUALIFY_FOR.get(reason, reason), rep)

    def _record(
        self,
        actor: Actor,
        account: MarketAccount,
        ts: float,
        stage: str,
        close: float | None,
        reason: str | None,
    ) -> DemoOpportunity:
        rng = self.scene.rng
        service = account.process.service if account.process else _service_for(account, rng.random())
        return DemoOpportunity(
            key=f"opp-{len(self.opportunities):05d}",
            account_domain=account.record.domain,
            person_email=actor.email,
            name=f"{account.record.name} – {SERVICE_LABELS[service]}",
            stage=stage,
            amount=_amount(account.record.employees, service, rng.lognormvariate(0.0, 0.35)),
            currency="EUR",
            created_ts=ts,
            closed_ts=close,
            lost_reason=reason,
        )

    def _outcome(
        self, account: MarketAccount, process: BuyingProcess | None, created: float, ordered: bool
    ) -> tuple[float | None, bool, str | None]:
        """(closed_ts, won, lost_reason); closed_ts None while the deal is still open at the end."""
        rng = self.scene.rng
        if ordered:
            close = max(working_time(rng, created + rng.uniform(3.0, 10.0) * DAY), created + DAY)
            won = chance(rng, 0.9)
            return close, won, None if won else "no_decision"
        if process is not None and process.decided:
            close = max(process.ends_ts, created + 7 * DAY)
            won = chance(rng, self._win_odds(account, close))
            return close, won, None if won else pick(rng, LOST_REASONS)
        if process is not None:
            return (
                max(process.ends_ts + rng.uniform(14.0, 45.0) * DAY, created + 14 * DAY),
                False,
                pick(rng, STALL_REASONS),
            )
        won = chance(rng, 0.05)
        return created + rng.uniform(20.0, 60.0) * DAY, won, None if won else pick(rng, LOST_REASONS)

    def _win_odds(self, account: MarketAccount, close: float) -> float:
        """Better fit and an involved decision maker make a win more likely."""
        dm_involved = any(
            a.kind == "buyer" and a.role == "decision_maker" and a.join_ts is not None and a.join_ts <= close
            for a in self.group(account)
        )
        return min(0.92, 0.2 + 0.45 * account.fit + (0.2 if dm_involved else 0.0))


def _service_for(account: MarketAccount, roll: float) -> str:
    boosts = SERVICE_AFFINITY.get(account.record.industry, {})
    weights = [boosts.get(s, 1.0) for s in SERVICES]
    edge = roll * sum(weights)
    for service, weight in zip(SERVICES, weights, strict=True):
        edge -= weight
        if edge <= 0:
            return service
    return SERVICES[-1]


def _amount(employees: int, service: str, noise: float) -> float:
    """Deal size in EUR: grows with company size, depends on the service, rounded to 500."""
    raw = 8000.0 * (employees / 50.0) ** 0.45 * SERVICE_PRICE[service] * noise
    return float(min(150_000.0, max(5_000.0, math.floor(raw / 500.0) * 500.0)))
