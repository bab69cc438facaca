"""Background activity that must not look hot: contacts, competitors, students, visitors, job seekers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from liidi.demo import actions
from liidi.demo.actors import Actor, Registry
from liidi.demo.catalog import SERVICE_THEMES, SERVICES, THEMES
from liidi.demo.clock import DAY, WEEK, chance, one_of, pick, poisson, working_time
from liidi.demo.scene import Scene, Visitor
from liidi.demo.web import Props, career_page, casual_pages, page_count, pick_channel, service_page, visit


@dataclass(frozen=True, slots=True)
class Habit:
    """How a kind of non-buyer behaves over the whole window."""

    visits_per_week: float
    career: float
    pricing: float
    downloads_per_week: float
    webinar: float
    raise_hand: float
    trial: float
    binge: float
    first_tools: tuple[tuple[str, float], ...]


HABITS: dict[str, Habit] = {
    "contact": Habit(
        visits_per_week=0.10,
        career=0.04,
        pricing=0.0,
        downloads_per_week=0.012,
        webinar=0.02,
        raise_hand=0.01,
        trial=0.01,
        binge=0.12,
        first_tools=(("download", 45), ("newsletter", 35), ("event", 20)),
    ),
    "competitor": Habit(
        visits_per_week=0.20,
        career=0.0,
        pricing=0.6,
        downloads_per_week=0.04,
        webinar=0.05,
        raise_hand=0.08,
        trial=0.10,
        binge=0.3,
        first_tools=(("download", 70), ("newsletter", 30)),
    ),
    "student": Habit(
        visits_per_week=0.12,
        career=0.35,
        pricing=0.0,
        downloads_per_week=0.02,
        webinar=0.01,
        raise_hand=0.02,
        trial=0.08,
        binge=0.1,
        first_tools=(("download", 40), ("newsletter", 40), ("trial", 20)),
    ),
}
VISITORS_PER_ACCOUNT_MONTH = 2.0
JOB_SEEKERS_PER_ACCOUNT_MONTH = 0.12


def noise_life(scene: Scene, actor: Actor) -> None:
    """A non-buyer's whole window: casual visits, an occasional download or webinar, rare hand-raisers."""
    habit = HABITS[actor.kind]
    rng, window = scene.rng, scene.window
    if actor.convert_ts is not None and not actor.known_at(actor.convert_ts):
        _first_conversion(scene, actor, habit, actor.convert_ts)
    weeks = (window.end - window.start) / WEEK
    for _ in range(poisson(rng, habit.visits_per_week * weeks)):
        ts = working_time(rng, rng.uniform(window.start, window.end))
        pages = _pages(scene, habit)
        visit(scene, actor, ts, pages, pick_channel(rng, -1), one_of(rng, THEMES))
    for _ in range(poisson(rng, habit.downloads_per_week * weeks)):
        _known_moment(
            scene, actor, lambda ts: actions.download(scene, actor, ts, one_of(rng, THEMES), None, None)
        )
    for event in scene.webinars:
        if chance(rng, habit.webinar):
            actions.webinar(scene, actor, event.ts - rng.uniform(1.0, 12.0) * DAY, event, 0.45)
    if chance(rng, habit.binge):
        _binge(scene, actor)
    if chance(rng, habit.raise_hand):
        kind = pick(rng, {"demo_request": 60, "contact_request": 40})
        _known_moment(scene, actor, lambda ts: actions.hand_raise(scene, actor, ts, kind, None, None))
    if chance(rng, habit.trial):
        _known_moment(scene, actor, lambda ts: actions.trial(scene, actor, ts, False, None))


def _pages(scene: Scene, habit: Habit) -> list[Props]:
    rng = scene.rng
    count = page_count(rng, -1)
    if chance(rng, habit.pricing):
        return [service_page(rng, one_of(rng, SERVICES), 3) for _ in range(count)]
    return casual_pages(rng, count, habit.career)


def _binge(scene: Scene, actor: Actor) -> None:
    """A curious week on one service's pages with no need behind it: a trap for naive rules."""
    rng, window = scene.rng, scene.window
    service, start = one_of(rng, SERVICES), rng.uniform(window.start, window.end - WEEK)
    for _ in range(rng.randint(2, 4)):
        ts = working_time(rng, start + rng.uniform(0.0, WEEK))
        pages = [service_page(rng, service, rng.randrange(4)) for _ in range(page_count(rng, 1))]
        visit(scene, actor, ts, pages, pick_channel(rng, 2), SERVICE_THEMES[service][0])


def _first_conversion(scene: Scene, actor: Actor, habit: Habit, ts: float) -> None:
    """A newcomer browses anonymously a little, then hands over an e-mail."""
    rng = scene.rng
    for _ in range(poisson(rng, 1.0)):
        before = working_time(rng, ts - rng.uniform(1.0, 30.0) * DAY)
        channel = pick_channel(rng, -1)
        actor.first_channel = actor.first_channel or channel
        pages = casual_pages(rng, page_count(rng, -1), habit.career)
        visit(scene, actor, before, pages, channel, one_of(rng, THEMES))
    _convert_with(scene, actor, pick(rng, dict(habit.first_tools)), working_time(rng, ts))


def _convert_with(scene: Scene, actor: Actor, tool: str, ts: float) -> None:
    """The first form a newcomer fills in: a download, the newsletter, a trial or a webinar."""
    upcoming = [w for w in scene.webinars if w.ts > ts]
    if tool == "download":
        actions.download(scene, actor, ts, one_of(scene.rng, THEMES), None, None)
    elif tool == "trial":
        actions.trial(scene, actor, ts, False, None)
    elif tool == "event" and upcoming:
        actions.webinar(scene, actor, ts, upcoming[0], 0.45)
    else:
        actions.newsletter_signup(scene, actor, ts)


def _known_moment(scene: Scene, actor: Actor, act: Callable[[float], object]) -> None:
    """Run an action at a random working moment (after the person became known, when they are)."""
    rng, window = scene.rng, scene.window
    start = actor.known_ts if actor.known_ts is not None and actor.known_ts < window.end else window.start
    ts = working_time(rng, rng.uniform(start, window.end))
    act(ts)


def visitors(scene: Scene, registry: Registry, accounts: int) -> None:
    """Anonymous traffic: casual visitors and job seekers who never identify."""
    months = (scene.window.end - scene.window.start) / (30.44 * DAY)
    for _ in range(poisson(scene.rng, VISITORS_PER_ACCOUNT_MONTH * accounts * months)):
        _casual_visitor(scene, Visitor(registry.anon_id()))
    for _ in range(poisson(scene.rng, JOB_SEEKERS_PER_ACCOUNT_MONTH * accounts * months)):
        _job_seeker(scene, Visitor(registry.anon_id()))


def _casual_visitor(scene: Scene, who: Visitor) -> None:
    """One to a few visits within three weeks: blog, front page, a single service page."""
    rng = scene.rng
    ts = rng.uniform(scene.window.start, scene.window.end)
    for _ in range(1 + poisson(rng, 0.4)):
        moment = working_time(rng, ts + rng.uniform(0.0, 20.0) * DAY)
        pages = casual_pages(rng, page_count(rng, -1))
        visit(scene, who, moment, pages, pick_channel(rng, -1), one_of(rng, THEMES))


def _job_seeker(scene: Scene, who: Visitor) -> None:
    """A few visits to /rekry/ pages within two weeks."""
    rng = scene.rng
    ts = rng.uniform(scene.window.start, scene.window.end)
    for _ in range(1 + poisson(rng, 1.0)):
        moment = working_time(rng, ts + rng.uniform(0.0, 14.0) * DAY)
        pages = [career_page(rng) for _ in range(page_count(rng, 0))]
        channel = pick(rng, {"organic_search": 60, "direct": 25, "referral": 15})
        visit(scene, who, moment, pages, channel, "career")
