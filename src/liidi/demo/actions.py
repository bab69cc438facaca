"""Single actions anyone can take: downloads, webinars, trials with product usage, hand-raisers, chats."""

from __future__ import annotations

from liidi.demo.actors import Actor
from liidi.demo.catalog import THEME_DOWNLOADS, THEME_SERVICE
from liidi.demo.clock import DAY, chance, pick
from liidi.demo.records import BUYING_STAGES
from liidi.demo.scene import Scene, Signal, Webinar

HAND_RAISE_TOOLS: dict[str, str] = {
    "order": "order_form",
    "demo_request": "demo_request",
    "contact_request": "contact_form",
}


def download(
    scene: Scene, actor: Actor, ts: float, theme: str, stage: int | None, service: str | None
) -> None:
    """A gated download: landing page, the form (which identifies the visitor), the file."""
    if not scene.window.contains(ts + 300.0):
        return
    slug, tag, service = _content(scene, theme, stage, service)
    page: dict[str, object] = {"path": f"/lataa/{slug}", "topic": theme, "stage": tag, "service": service}
    scene.emit("page_view", ts, actor, page)
    ts += scene.rng.uniform(40.0, 240.0)
    scene.convert(actor, ts, "download", "organic_search")
    scene.emit("download", ts, actor, {**page, "lead_tool": "download"})


def _content(scene: Scene, theme: str, stage: int | None, service: str | None) -> tuple[str, str, str]:
    """(slug, stage tag, service) of a download: the tag tracks the stage (random when none is given)."""
    rng = scene.rng
    if stage == 3 and service is not None:
        return f"{service}-palvelukuvaus-ja-hinnat", BUYING_STAGES[3], service
    items = THEME_DOWNLOADS[theme]
    index = rng.randrange(len(items)) if stage is None else min(2, max(0, stage + rng.choice((-1, 0, 0, 0))))
    slug, tag = items[index]
    return slug, tag, THEME_SERVICE[theme]


def newsletter_signup(scene: Scene, actor: Actor, ts: float) -> None:
    """Subscribing to the newsletter from the blog."""
    if not scene.window.contains(ts):
        return
    scene.convert(actor, ts, "newsletter", "organic_search")
    scene.emit("newsletter_signup", ts, actor, {"path": "/blogi/", "lead_tool": "newsletter"})


def webinar(scene: Scene, actor: Actor, ts: float, event: Webinar, attend: float) -> None:
    """Registering for a webinar (identifies the visitor) and, with probability `attend`, attending."""
    if not scene.window.contains(ts) or ts >= event.ts:
        return
    channel = pick(scene.rng, {"email": 50, "linkedin_ads": 30, "organic_search": 20})
    scene.convert(actor, ts, "event", channel)
    props: dict[str, object] = {
        "path": f"/webinaarit/{event.slug}",
        "campaign": event.slug,
        "topic": event.theme,
        "lead_tool": "event",
        "channel": channel,
    }
    scene.emit("event_registration", ts, actor, props)
    if chance(scene.rng, attend):
        scene.emit("event_attended", event.ts, actor, {"campaign": event.slug, "topic": event.theme})


def hand_raise(
    scene: Scene, actor: Actor, ts: float, type_: str, service: str | None, topic: str | None
) -> bool:
    """A contact or demo request (rarely an order): the form identifies the person and sales is told."""
    if not scene.window.contains(ts + 600.0):
        return False
    tool = HAND_RAISE_TOOLS[type_]
    page = f"/palvelut/{service}/hinnoittelu" if service else "/yhteystiedot"
    scene.emit("page_view", ts, actor, {"path": page, **({"service": service} if service else {})})
    ts += scene.rng.uniform(60.0, 400.0)
    scene.convert(actor, ts, tool, "direct")
    props: dict[str, object] = {"path": page, "lead_tool": tool}
    if service:
        props["service"] = service
    if topic:
        props["topic"] = topic
    scene.emit(type_, ts, actor, props)
    scene.signals.append(Signal(actor, ts, type_))
    return True


def chat(scene: Scene, actor: Actor, ts: float, service: str, topic: str) -> None:
    """A chat opened on a pricing page."""
    scene.emit(
        "chat", ts, actor, {"path": f"/palvelut/{service}/hinnoittelu", "service": service, "topic": topic}
    )


def calculator(scene: Scene, actor: Actor, ts: float, service: str) -> None:
    """A cost calculator form: a gated form that identifies the visitor."""
    if not scene.window.contains(ts):
        return
    scene.convert(actor, ts, "contact_form", "direct")
    props: dict[str, object] = {
        "path": f"/palvelut/{service}/laskuri",
        "form": "kustannuslaskuri",
        "service": service,
        "lead_tool": "contact_form",
        "stage": BUYING_STAGES[2],
    }
    scene.emit("form_submit", ts, actor, props)


def trial(scene: Scene, actor: Actor, ts: float, heavy: bool, service: str | None) -> None:
    """A trial sign-up followed by daily product usage: real buyers send far more messages."""
    if not scene.window.contains(ts):
        return
    scene.convert(actor, ts, "trial_signup", "direct")
    props: dict[str, object] = {"path": "/kokeile", "lead_tool": "trial_signup"}
    if service:
        props["service"] = service
    scene.emit("trial_signup", ts, actor, props)
    scene.signals.append(Signal(actor, ts, "trial_signup"))
    _usage(scene, actor, ts, heavy)


def _usage(scene: Scene, actor: Actor, ts: float, heavy: bool) -> None:
    """Daily messages_sent on working days and weekly active_users during the trial."""
    rng = scene.rng
    employees = actor.account.record.employees if actor.account else 1
    mean = rng.uniform(25.0, 90.0) if heavy else rng.uniform(0.5, 6.0)
    users = max(1, round(min(employees, 60) ** 0.6 * rng.uniform(0.6, 1.2))) if heavy else 1
    day0 = ts - ts % DAY
    for day in range(1, (rng.randint(14, 30) if heavy else rng.randint(2, 8)) + 1):
        moment = day0 + day * DAY + rng.uniform(6.0, 16.0) * 3600.0
        if (int(moment // DAY) + 3) % 7 >= 5 and chance(rng, 0.85):
            continue
        value = max(0, round(rng.gauss(mean, mean * 0.35)))
        if value:
            scene.emit("product_usage", moment, actor, {"metric": "messages_sent", "value": value})
        if day % 7 == 1:
            scene.emit("product_usage", moment + 60.0, actor, {"metric": "active_users", "value": users})
