"""Marketing e-mail and webinars: a newsletter every two weeks and a webinar every month."""

from __future__ import annotations

import math
from datetime import UTC, datetime

from liidi.demo.actors import Actor
from liidi.demo.catalog import THEME_POSTS, THEMES
from liidi.demo.clock import DAY, chance, one_of, working_time
from liidi.demo.scene import Scene, Webinar
from liidi.demo.web import Props, buyer_pages, casual_pages, page_count

NEWSLETTER_EVERY_DAYS = 14.0
BOUNCE = 0.012
UNSUBSCRIBE_PER_OPEN = 0.008


def schedule_webinars(scene: Scene) -> None:
    """One webinar a month on a rotating theme, mid-month."""
    rng, window = scene.rng, scene.window
    offset = rng.randrange(len(THEMES))
    months = math.ceil((window.end - window.start) / (30.44 * DAY))
    for month in range(months):
        ts = working_time(rng, window.start + (month + 0.5) * 30.44 * DAY)
        theme = THEMES[(offset + month) % len(THEMES)]
        stamp = datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m")
        scene.webinars.append(Webinar(ts, theme, f"webinaari-{theme}-{stamp}"))


def send_newsletters(scene: Scene, actors: list[Actor]) -> None:
    """Send every newsletter to consenting known people; opens and clicks follow hidden engagement."""
    rng, window = scene.rng, scene.window
    offset = rng.randrange(len(THEMES))
    sends = int((window.end - window.start) // (NEWSLETTER_EVERY_DAYS * DAY))
    mailed: set[str] = set()
    for n in range(sends):
        ts = working_time(rng, window.start + (n + 0.2) * NEWSLETTER_EVERY_DAYS * DAY)
        theme = THEMES[(offset + n) % len(THEMES)]
        campaign = "uutiskirje-" + datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%d")
        for actor in actors:
            if actor.consent != "withdrawn" and actor.known_at(ts) and ts < actor.mail_stop_ts:
                _deliver(scene, actor, ts, theme, campaign, first=actor.email not in mailed)
                mailed.add(actor.email)


def engagement(actor: Actor, ts: float) -> float:
    """Hidden engagement with our e-mail at ts: a buyer's stage × intent, a small constant otherwise."""
    process = actor.account.process if actor.account else None
    joined = actor.join_ts is not None and ts >= actor.join_ts
    if actor.kind == "buyer" and process is not None and joined and process.active(ts):
        return (process.stage_at(ts) + 1) / 4.0 * actor.intent
    return actor.intent * 0.5


def _deliver(scene: Scene, actor: Actor, ts: float, theme: str, campaign: str, first: bool) -> None:
    rng = scene.rng
    if actor.consent != "granted":
        return
    if first and chance(rng, BOUNCE):
        scene.emit("email_bounce", ts + 60.0, actor, {"campaign": campaign})
        actor.mail_stop_ts = ts
        return
    level = engagement(actor, ts)
    if not chance(rng, 0.18 + 0.45 * level):
        return
    opened = ts + rng.expovariate(1.0 / (10 * 3600.0))
    if not scene.emit(
        "email_open", opened, actor, {"campaign": campaign, "topic": theme, "channel": "email"}
    ):
        return
    if chance(rng, UNSUBSCRIBE_PER_OPEN):
        scene.emit("unsubscribe", opened + 30.0, actor, {"campaign": campaign, "channel": "email"})
        actor.mail_stop_ts, actor.consent = opened, "withdrawn"
        return
    match = 1.0 if theme in actor.themes else 0.3
    if chance(rng, 0.06 + 0.5 * level * match):
        _click(scene, actor, opened + rng.uniform(5.0, 300.0), theme, campaign, level)


def _click(scene: Scene, actor: Actor, ts: float, theme: str, campaign: str, level: float) -> None:
    rng = scene.rng
    slug, tag = one_of(rng, THEME_POSTS[theme])
    path = f"/blogi/{slug}"
    attribution: dict[str, object] = {"campaign": campaign, "channel": "email", "utm_source": "newsletter"}
    scene.emit("email_click", ts, actor, {**attribution, "topic": theme, "path": path})
    ts += rng.uniform(2.0, 10.0)
    scene.emit("page_view", ts, actor, {"path": path, "topic": theme, "stage": tag, **attribution})
    for page in _more_pages(actor, scene, ts, level):
        ts += rng.uniform(20.0, 200.0)
        scene.emit("page_view", ts, actor, page)


def _more_pages(actor: Actor, scene: Scene, ts: float, level: float) -> list[Props]:
    """Pages read after the landing page: a buyer goes on to their service's pages."""
    rng = scene.rng
    process = actor.account.process if actor.account and actor.kind == "buyer" else None
    extra = page_count(rng, 1 if level > 0.3 else -1) - 1
    if process is not None and level > 0.0:
        return buyer_pages(rng, process.service, process.themes, max(0, process.stage_at(ts)), extra)
    return casual_pages(rng, extra)
