"""`liidi sla clocks PERSON`: a person's response clocks as an audit trail, pauses included."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from liidi.cli.args import person_id_of
from liidi.cli.common import JsonFlag, console, uow
from liidi.domain.events import from_epoch
from liidi.services import sla_audit
from liidi.services.sla_audit import ClockAudit

LABELS = (
    ("started", "started"),
    ("warning", "warning due"),
    ("due", "deadline"),
    ("warned", "warned"),
    ("breached", "breached"),
    ("first_touch", "first touch"),
    ("closed", "closed"),
)


def sla_clocks_command(
    who: Annotated[str, typer.Argument(help="E-mail address, CRM id or person id.")],
    as_json: JsonFlag = False,
) -> None:
    """A person's SLA clocks, oldest first: start, warning, deadline, first touch, breach, escalation steps,
    the working time waited and the pauses outside business hours (times in UTC)."""
    audits = sla_audit.clock_audit(uow(), person_id=person_id_of(who))
    if as_json:
        items = [sla_audit.audit_item(a) for a in audits]
        console.print(json.dumps(items, indent=2), markup=False, highlight=False, soft_wrap=True)
        return
    if not audits:
        _say(f"{who} has no SLA clocks: no hand-over matched a policy of the SLA in force")
    if audits:
        _say("times in UTC")
    for audit in audits:
        for line in _lines(audit):
            _say(line)


def _lines(audit: ClockAudit) -> list[str]:
    """One clock as a block of lines, at most 80 columns wide."""
    c = audit.clock
    lines = [
        f"clock {c['id']}: {c['policy']} (sla@v{c['sla_version']}), {c['status']}",
        f"  {'owner':<12} {c['owner']}",
    ]
    for name, label in LABELS:
        if c[f"{name}_ts"] is not None:
            lines.append(f"  {label:<12} {_when(c[f'{name}_ts'])}")
    if c["escalation_step"]:
        lines.append(f"  {'escalation':<12} {c['escalation_step']} steps of the ladder announced")
    if audit.working_seconds is not None:
        lines.append(f"  {'waited':<12} {_hours(audit.working_seconds)} of working time")
    lines += [f"  {'paused':<12} {_when(a)} → {_when(b)}" for a, b in audit.pauses]
    if audit.pause_count > len(audit.pauses):
        lines.append(f"  … {audit.pause_count - len(audit.pauses)} more pauses (--json lists the first 50)")
    return lines


def _when(ts: float) -> str:
    return f"{from_epoch(ts):%Y-%m-%d %H:%M %a}"


def _hours(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False, soft_wrap=True)
