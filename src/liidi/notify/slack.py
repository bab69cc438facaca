"""Slack-compatible incoming webhooks: `text` (the fallback) and simple `blocks` rendered from the message."""

from __future__ import annotations

import json
from typing import Any

from liidi.notify.render import Note, note_for
from liidi.notify.webhook import USER_AGENT, Clients, post
from liidi.services.deliveries import Work

MAX_FIELD, MAX_TITLE = 1900, 2900


def escape(text: str) -> str:
    """Text safe in Slack mrkdwn: `&`, `<` and `>` escaped, so no name can mention @channel or link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, most: int) -> str:
    return text if len(text) <= most else text[: most - 1] + "…"


def blocks_of(note: Note) -> list[dict[str, Any]]:
    """A title section and a section of labelled fields (Slack shows ten fields at most)."""
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": _cut(f"*{escape(note.title)}*", MAX_TITLE)}}
    ]
    fields = [
        {
            "type": "mrkdwn",
            "text": _cut(f"*{escape(label)}*\n" + "\n".join(escape(x) for x in lines), MAX_FIELD),
        }
        for label, lines in note.fields[:10]
    ]
    if fields:
        blocks.append({"type": "section", "fields": fields})
    return blocks


def payload_of(work: Work) -> dict[str, Any]:
    """What the hook receives: a plain `text` fallback and the blocks."""
    note = note_for(work.topic, work.payload)
    return {"text": _cut(escape(note.title), MAX_TITLE), "blocks": blocks_of(note)}


def deliver(clients: Clients, work: Work, *, allow_private: bool) -> str | None:
    """Post one message to a Slack-style hook; None when it was accepted."""
    if not work.url:
        return "the subscription has no URL"
    body = json.dumps(payload_of(work), ensure_ascii=False).encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT}
    return post(
        clients,
        work.url,
        body,
        headers | {"Idempotency-Key": work.idempotency_key},
        allow_private=allow_private,
    )
