"""Website visits: which pages a visitor reads, and how a visit is written as events."""

from __future__ import annotations

import random

from liidi.demo.catalog import (
    CAREER_PAGES,
    GENERIC_PAGES,
    SERVICE_SUBPAGES,
    SERVICE_THEMES,
    SERVICES,
    THEME_POSTS,
    THEMES,
    UTM_SOURCE,
)
from liidi.demo.clock import chance, one_of, pick
from liidi.demo.records import BUYING_STAGES
from liidi.demo.scene import Keyed, Scene, quarter

Props = dict[str, object]
# Weights of overview, sub-page, references and pricing pages by buying stage.
SERVICE_PAGE_MIX: tuple[tuple[float, float, float, float], ...] = (
    (6, 4, 0.3, 0.2),
    (3, 5, 1, 1),
    (1, 3, 3.5, 2.5),
    (0.5, 1.5, 3, 5),
)
AD_CHANNELS = ("paid_search", "linkedin_ads")


def service_page(rng: random.Random, service: str, stage: int) -> Props:
    """A page under /palvelut/<service>/ fitting the buying stage: overview, sub-page, references, pricing."""
    kind = rng.choices(range(4), weights=SERVICE_PAGE_MIX[max(0, stage)])[0]
    leaf = ("", one_of(rng, SERVICE_SUBPAGES[service]), "referenssit", "hinnoittelu")[kind]
    topic = SERVICE_THEMES[service][0]
    return {
        "path": f"/palvelut/{service}/{leaf}",
        "service": service,
        "topic": topic,
        "stage": BUYING_STAGES[kind],
    }


def blog_page(rng: random.Random, theme: str, stage: int | None) -> Props:
    """A blog post on a theme, near the stage when one is given."""
    posts = THEME_POSTS[theme]
    index = (
        rng.randrange(len(posts))
        if stage is None
        else min(len(posts) - 1, max(0, stage + rng.choice((-1, 0, 0))))
    )
    slug, tag = posts[index]
    return {"path": f"/blogi/{slug}", "topic": theme, "stage": tag}


def generic_page(rng: random.Random) -> Props:
    """The front page, about us, customers or contact."""
    return {"path": one_of(rng, GENERIC_PAGES)}


def career_page(rng: random.Random) -> Props:
    """A page under /rekry/."""
    return {"path": one_of(rng, CAREER_PAGES)}


def casual_pages(rng: random.Random, count: int, career: float = 0.05) -> list[Props]:
    """Pages a visitor without a buying need reads: blog, front page, a single service page, careers."""
    pages: list[Props] = []
    for _ in range(count):
        roll = rng.random()
        if roll < career:
            pages.append(career_page(rng))
        elif roll < career + 0.45:
            pages.append(blog_page(rng, one_of(rng, THEMES), None))
        elif roll < career + 0.8:
            pages.append(generic_page(rng))
        else:
            pages.append(service_page(rng, one_of(rng, SERVICES), 0))
    return pages


def buyer_pages(
    rng: random.Random, service: str, themes: tuple[str, ...], stage: int, count: int
) -> list[Props]:
    """Pages an in-market buyer reads: their service's pages more and more, themed blog posts."""
    share = (0.2, 0.45, 0.65, 0.7)[stage]
    pages: list[Props] = []
    for _ in range(count):
        roll = rng.random()
        if roll < share:
            pages.append(service_page(rng, service, stage))
        elif roll < share + (1 - share) * 0.7:
            pages.append(blog_page(rng, one_of(rng, themes), stage))
        else:
            pages.append(generic_page(rng))
    return pages


def entry_props(channel: str, topic: str, ts: float) -> Props:
    """Attribution of the first page of a visit."""
    props: Props = {"channel": channel}
    if channel in UTM_SOURCE:
        props["utm_source"] = UTM_SOURCE[channel]
    if channel in AD_CHANNELS:
        props["campaign"] = f"{topic}-{'haku' if channel == 'paid_search' else 'linkedin'}-{quarter(ts)}"
    return props


def visit(scene: Scene, who: Keyed, ts: float, pages: list[Props], channel: str, topic: str) -> float:
    """Write a visit: an ad click when it came from an ad, then the page views; returns its last moment."""
    if not pages or not scene.window.contains(ts):
        return ts
    rng = scene.rng
    entry = entry_props(channel, topic, ts)
    if channel in AD_CHANNELS:
        scene.emit("ad_click", ts, who, {**entry, "topic": topic, "path": pages[0]["path"]})
        ts += rng.uniform(2.0, 8.0)
    for index, page in enumerate(pages):
        scene.emit("page_view", ts, who, {**page, **entry} if index == 0 else page)
        ts += rng.uniform(20.0, 240.0)
    return ts


def pick_channel(rng: random.Random, stage: int) -> str:
    """How a visit started; ads and retargeting grow with the buying stage (-1: not in market)."""
    boost = 5.0 * max(0, stage + 1) if stage >= 0 else 0.0
    return pick(
        rng,
        {
            "organic_search": 40,
            "direct": 28,
            "paid_search": 7 + boost,
            "linkedin_ads": 6 + boost,
            "referral": 8,
        },
    )


def page_count(rng: random.Random, stage: int) -> int:
    """Pages in one visit: deeper visits as the need matures."""
    extra = (0.8, 1.2, 1.8, 2.0)[stage] if stage >= 0 else 0.7
    count = 1
    while count < 8 and chance(rng, extra / (1.0 + extra)):
        count += 1
    return count
