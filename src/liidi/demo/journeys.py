"""In-market buyers: weekly bursts of activity whose intensity and content follow the hidden stage."""

from __future__ import annotations

from liidi.demo import actions
from liidi.demo.actors import Actor
from liidi.demo.clock import DAY, WEEK, chance, one_of, pick, poisson, working_time
from liidi.demo.market import BuyingProcess
from liidi.demo.scene import Scene
from liidi.demo.web import buyer_pages, page_count, pick_channel, visit

STAGE_VISITS: tuple[float, ...] = (0.45, 0.9, 1.8, 2.2)  # visits per week at full intent
ROLE_ACTIVITY: dict[str, float] = {"decision_maker": 0.7, "influencer": 1.0, "user": 1.1}
DOWNLOAD: tuple[float, ...] = (0.10, 0.22, 0.20, 0.06)
CHAMPION_RAISE: tuple[float, ...] = (0.0, 0.0, 0.12, 0.35)
MEMBER_RAISE: tuple[float, ...] = (0.0, 0.0, 0.01, 0.04)
FADE_WEEKS = 3.0
WEBINAR_ATTEND = 0.7


def buyer_journey(scene: Scene, actor: Actor) -> None:
    """Everything one buying-group member does on our channels, week by week."""
    account = actor.account
    if account is None or account.process is None or actor.join_ts is None:
        return
    process = account.process
    stop = min(process.ends_ts + FADE_WEEKS * WEEK, scene.window.end)
    week = actor.join_ts
    while week < stop:
        if week + WEEK >= scene.window.start:
            _week(scene, actor, process, week)
        week += WEEK


def _level(actor: Actor, process: BuyingProcess, week: float) -> float:
    """How busy the actor is this week: intent × role, much lower once the journey has stopped."""
    level = (0.4 + actor.intent) * ROLE_ACTIVITY.get(actor.role, 1.0)
    return level if process.active(week) else level * 0.25


def _week(scene: Scene, actor: Actor, process: BuyingProcess, week: float) -> None:
    rng = scene.rng
    stage = max(0, process.stage_at(week))
    level = _level(actor, process, week)
    for _ in range(poisson(rng, STAGE_VISITS[stage] * level)):
        ts = working_time(rng, week + rng.uniform(0.0, WEEK))
        channel = pick_channel(rng, stage)
        pages = buyer_pages(rng, process.service, process.themes, stage, page_count(rng, stage))
        if scene.window.contains(ts) and actor.first_channel is None and not actor.known_at(ts):
            actor.first_channel = channel
        visit(scene, actor, ts, pages, channel, one_of(rng, process.themes))
    if process.active(week):
        _extras(scene, actor, process, week, stage, level)


def _extras(
    scene: Scene, actor: Actor, process: BuyingProcess, week: float, stage: int, level: float
) -> None:
    rng = scene.rng

    def when() -> float:
        return working_time(rng, week + rng.uniform(0.0, WEEK))

    theme = one_of(rng, process.themes)
    if chance(rng, DOWNLOAD[stage] * level):
        actions.download(scene, actor, when(), theme, stage, process.service)
    if stage == 0 and not actor.known_at(week) and chance(rng, 0.04 * level):
        actions.newsletter_signup(scene, actor, when())
    for event in scene.webinars:
        if week + 7 * DAY <= event.ts < week + 14 * DAY and stage <= 2:
            wanted = 0.3 if event.theme in process.themes else 0.04
            if chance(rng, wanted * level):
                actions.webinar(scene, actor, when(), event, WEBINAR_ATTEND)
    if stage >= 2 and chance(rng, 0.04 * level):
        actions.chat(scene, actor, when(), process.service, theme)
    if stage >= 2 and chance(rng, 0.05 * level):
        actions.calculator(scene, actor, when(), process.service)
    _maybe_trial(scene, actor, process, stage, when())
    _maybe_raise_hand(scene, actor, process, stage, when())


def _maybe_trial(scene: Scene, actor: Actor, process: BuyingProcess, stage: int, ts: float) -> None:
    account = actor.account
    if account is None or stage != 2 or actor.role == "decision_maker":
        return
    flag = ("trial", account.record.domain)
    if flag not in scene.flags and chance(scene.rng, 0.06):
        scene.flags.add(flag)
        actions.trial(scene, actor, ts, True, process.service)


def _maybe_raise_hand(scene: Scene, actor: Actor, process: BuyingProcess, stage: int, ts: float) -> None:
    account = actor.account
    if account is None:
        return
    flag = ("raised", account.record.domain)
    odds = CHAMPION_RAISE[stage] if actor.champion else MEMBER_RAISE[stage]
    if flag in scene.flags or not chance(scene.rng, odds):
        return
    small = account.record.employees < 50
    kind = "order" if stage == 3 and small and chance(scene.rng, 0.15) else None
    kind = kind or pick(scene.rng, {"demo_request": 55, "contact_request": 45})
    if actions.hand_raise(scene, actor, ts, kind, process.service, one_of(scene.rng, process.themes)):
        scene.flags.add(flag)
