"""A person's readable timeline for the terminal."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from rich.console import Console
from rich.markup import escape

from liidi.cli.routing import assignment_lines, wrapped
from liidi.domain.events import Event, from_epoch
from liidi.services.queries import PersonView

ICONS = {
    "page_view": "👁 ",
    "download": "⬇ ",
    "form_submit": "📝",
    "email_open": "✉ ",
    "email_click": "🖱 ",
    "ad_click": "📣",
    "demo_request": "🙋",
    "contact_request": "🙋",
    "order": "🛒",
    "trial_signup": "🧪",
    "product_usage": "⚙ ",
    "sales_touch": "📞",
    "event_registration": "🎟 ",
    "event_attended": "🎤",
    "unsubscribe": "🚫",
    "newsletter_signup": "📰",
    "chat": "💬",
}


def _when(ts: float) -> str:
    return from_epoch(ts).strftime("%Y-%m-%d %H:%M")


def describe(event: Event) -> str:
    """One line for an event: type and its most telling properties."""
    props = event.properties
    detail = [
        str(props[k]) for k in ("path", "title", "topic", "campaign", "lead_tool", "kind") if props.get(k)
    ]
    if event.type == "product_usage" and "metric" in props:
        detail = [f"{props.get('metric')}={props.get('value')}"]
    return f"{ICONS.get(event.type, '• ')} {event.type}" + (f"  {' · '.join(detail)}" if detail else "")


def nurture_lines(item: dict[str, Any]) -> list[str]:
    """'nurture: cloud-explore (core-services)', then '  active, 1 of 4 steps done, next 2026-11-01 07:33'."""
    of = f" of {item['steps']}" if item["steps"] is not None else ""
    done = f"{item['steps_done']}{of} steps done"
    if item["status"] == "active":
        state = f"active, {done}" + (f", next {_when(item['next_due_ts'])}" if item["next_due_ts"] else "")
    else:
        why = f" ({item['exit_reason']})" if item["exit_reason"] else ""
        state = f"{item['status']}{why} {_when(item['ended_ts'])}, {done}"
    return [f"nurture: {item['track']} ({item['model']})", f"  {state}"]


def render_person(console: Console, view: PersonView) -> None:
    """Print header, identities, lifecycle and the newest events, grouped by day."""
    p = view.person
    account = f"{view.account.name} ({view.account.domain})" if view.account else "no account"
    named = (
        f"[bold]{escape(p.full_name)}[/] <{escape(p.handle)}>"
        if p.full_name
        else f"[bold]{escape(p.handle)}[/]"
    )
    console.print(f"{named}  #{p.id}", highlight=False)
    console.print(
        f"{p.title or 'no title'} · {p.role.value} · {p.seniority.value} · {account}",
        markup=False,
        highlight=False,
    )
    console.print(
        f"stage [bold]{p.lifecycle_stage}[/] · consent {p.consent.value} · "
        f"first touch {escape(p.first_touch.lead_tool or '-')} via {escape(p.first_touch.channel or '-')}",
        highlight=False,
    )
    if view.merged_from:
        console.print(f"(person {view.merged_from} was merged into this one)")
    ids = ", ".join(f"{kind}:{value}" for kind, value in view.identities)
    console.print(f"identities: {ids}", markup=False, highlight=False, soft_wrap=True)
    if view.attributes:
        console.print("attributes:", highlight=False)
    for item in view.attributes:
        shown = json.dumps(item["value"], ensure_ascii=False)
        console.print(
            f"  {item['name']} ({item['type'] or 'list/object'}) = {shown}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    for step in view.lifecycle:
        console.print(
            f"  {_when(step['occurred_ts'])}  {step['from_stage'] or '-'} → {step['to_stage']}"
            f"  by {step['actor']}" + (f" ({step['reason']})" if step["reason"] else ""),
            markup=False,
            highlight=False,
        )
    if view.assignments or p.owner:
        for line in assignment_lines(view.assignments) if view.assignments else [f"owner: {p.owner}"]:
            console.print(wrapped(line), markup=False, highlight=False, soft_wrap=True)
    for line in (line for item in view.nurture for line in nurture_lines(item)):
        console.print(line, markup=False, highlight=False)
    console.print(f"[bold]timeline[/] — {len(view.events)} newest of {view.event_count} events")
    day = None
    for event in view.events:
        stamp: datetime = from_epoch(event.occurred_ts)
        if stamp.date() != day:
            day = stamp.date()
            console.print(f"[dim]{day.isoformat()}[/]")
        console.print(f"  {stamp:%H:%M}  {describe(event)}", markup=False, highlight=False, soft_wrap=True)
