"""A message as people read it: a title and labelled fields, shared by Slack and e-mail.

For `lead.assigned` the fields answer who, why now, what they care about, the motion, the owner and the
SLA deadline (the context the routing part puts in the message); other topics get one plain sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

MAX_LINES = 8


@dataclass(frozen=True, slots=True)
class Note:
    """What a notification says: a title and (label, lines) fields, all plain text."""

    title: str
    fields: list[tuple[str, list[str]]] = field(default_factory=list)


def iso(ts: float) -> str:
    """Epoch seconds as ISO 8601 UTC, to the second."""
    return datetime.fromtimestamp(ts, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def note_for(topic: str, payload: Mapping[str, Any]) -> Note:
    """The note for a message of any topic."""
    if topic == "lead.assigned":
        return _assigned(payload)
    if topic == "lead.stage_changed":
        who = f"person {payload.get('person_id')}"
        title = f"Lead stage changed: {who} {payload.get('from')} → {payload.get('to')}"
        by = [f"by {payload.get('actor')}"] + ([str(payload["reason"])] if payload.get("reason") else [])
        return Note(title, [("Change", by)])
    facts = [f"{key}: {_text(value)}" for key, value in payload.items() if not isinstance(value, dict | list)]
    return Note(f"{topic}", [("Details", facts[:MAX_LINES])] if facts else [])


def _text(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def _assigned(payload: Mapping[str, Any]) -> Note:
    ctx: Mapping[str, Any] = payload.get("context") or {}
    person: Mapping[str, Any] = ctx.get("person") or {}
    name = person.get("name") or person.get("email") or f"person {payload.get('person_id')}"
    owner = payload.get("owner") or ctx.get("owner")
    team = payload.get("team") or ctx.get("team")
    to = owner or (f"the {team} queue" if team else "the fallback queue")
    fields = [
        ("Who", _who(person, ctx.get("account"))),
        ("Why now", _why(ctx)),
        ("Cares about", _cares(ctx)),
        ("Motion", [_text(ctx.get("motion") or payload.get("motion")).replace("_", " ")]),
        ("Owner", [_text(owner) + (f" (team {team})" if team else ""), *_reason(payload, ctx)]),
        ("SLA due", [_text(ctx.get("sla_due"))]),
    ]
    group = [_member(m) for m in (ctx.get("buying_group") or [])[:MAX_LINES] if isinstance(m, Mapping)]
    if group:
        fields.append(("Buying group", group))
    return Note(f"Lead assigned to {to}: {name}", fields)


def _who(person: Mapping[str, Any], account: Any) -> list[str]:
    role = person.get("role")
    title = ", ".join(str(p) for p in (person.get("title"), role and f"role {role}") if p)
    lines = [str(person.get("name") or "—") + (f", {title}" if title else "")]
    if person.get("email"):
        lines.append(str(person["email"]))
    if isinstance(account, Mapping):
        where = account.get("name") or account.get("domain") or f"account {account.get('id')}"
        extra = [f"{account['domain']}"] if account.get("domain") and account.get("name") else []
        if account.get("fit_grade"):
            extra.append(f"fit {account['fit_grade']}")
        lines.append(str(where) + (f" ({', '.join(extra)})" if extra else ""))
    return lines


def _why(ctx: Mapping[str, Any]) -> list[str]:
    head = []
    if ctx.get("score") is not None:
        head.append(f"score {ctx['score']}")
    if ctx.get("grade"):
        head.append(f"grade {ctx['grade']}")
    if ctx.get("model"):
        head.append(f"model {ctx['model']}")
    if ctx.get("hand_raiser"):
        head.append("hand-raiser")
    lines = [", ".join(head)] if head else []
    lines += [str(line) for line in (ctx.get("why") or [])[:MAX_LINES]]
    signals = [str(s) for s in ctx.get("signals") or []]
    if signals:
        lines.append("signals: " + ", ".join(signals[:MAX_LINES]))
    return lines or ["—"]


def _cares(ctx: Mapping[str, Any]) -> list[str]:
    themes = [str(t) for t in ctx.get("themes") or []]
    return [
        "themes: " + (", ".join(themes[:MAX_LINES]) if themes else "—"),
        "buying stage: " + _text(ctx.get("buying_stage")),
    ]


def _reason(payload: Mapping[str, Any], ctx: Mapping[str, Any]) -> list[str]:
    reason = payload.get("reason") or ctx.get("reason")
    return [f"routed: {reason}"] if reason else []


def _member(member: Mapping[str, Any]) -> str:
    parts = [str(member.get("name") or f"person {member.get('person_id')}")]
    parts += [str(member[k]) for k in ("title", "role") if member.get(k)]
    return ", ".join(parts)


def plain(note: Note) -> str:
    """The note as plain text (an e-mail's text part)."""
    out = [note.title, ""]
    for label, lines in note.fields:
        out.append(f"{label}: {lines[0] if lines else '—'}")
        out += [f"  {line}" for line in lines[1:]]
    return "\n".join(out) + "\n"
