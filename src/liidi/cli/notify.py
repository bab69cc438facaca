"""`liidi webhooks`, `liidi outbox` and `liidi worker`: where messages go, what became of them, delivery."""

from __future__ import annotations

import json
import logging
from typing import Annotated, Any

import typer

from liidi.cli.common import (
    Column,
    CsvFlag,
    JsonFlag,
    Listing,
    WideFlag,
    console,
    friendly,
    settings,
    show_list,
    uow,
)
from liidi.domain.bounds import MAX_INT64
from liidi.domain.events import from_epoch
from liidi.services import nurture, outbox, playbooks, sla_scan, webhooks

webhooks_app = typer.Typer(
    help="Where outbox messages go: signed webhooks and Slack-compatible hooks.", no_args_is_help=True
)
outbox_app = typer.Typer(help="Messages for delivery: list, show, replay.", no_args_is_help=True)
HOOK_COLUMNS = (
    Column("id", right=True),
    Column("kind"),
    Column("url", least=20),
    Column("events", least=14, drop=2),
    Column("secret", drop=3),
)
MESSAGE_COLUMNS = (
    Column("id", right=True),
    Column("topic", least=13),
    Column("status"),
    Column("tries", right=True),
    Column("deliveries", least=10, drop=3),
    Column("created", key=True, drop=4),
    Column("next try", key=True, drop=2),
    Column("last error", least=20, drop=1, most=60),
)
IdArg = Annotated[int, typer.Argument(min=1, max=MAX_INT64, help="The id shown by the list.")]


@webhooks_app.command("add")
@friendly
def webhooks_add(
    url: Annotated[str, typer.Argument(help="An http(s) URL on a public address.")],
    secret: Annotated[
        str | None,
        typer.Option(help="Signing secret, 16–200 characters (default: generated and shown once)."),
    ] = None,
    events: Annotated[
        str | None,
        typer.Option(help="Comma-separated topics, e.g. lead.assigned,lead.stage_changed (default: all)."),
    ] = None,
    slack: Annotated[
        bool, typer.Option("--slack", help="A Slack-compatible incoming webhook (not signed).")
    ] = False,
) -> None:
    """Send outbox messages to a URL: signed JSON, or Slack text and blocks with --slack."""
    conf = settings()
    added = webhooks.add_subscription(
        uow(),
        url=url,
        kind="slack" if slack else "webhook",
        secret=secret,
        events=events.split(",") if events is not None else None,
        allow_private=conf.webhook_allow_private,
    )
    topics = ", ".join(added.events) or "every topic"
    console.print(f"added {added.kind} {added.id}: {added.url} ({topics})", markup=False, highlight=False)
    if added.secret:
        console.print(f"[bold]{added.secret}[/]", highlight=False, soft_wrap=True)
        console.print("signing secret: store it now, it is not shown again.")


@webhooks_app.command("list")
@friendly
def webhooks_list(wide: WideFlag = False, as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """List active webhooks (URLs masked, secrets never shown: only their last four characters)."""
    found = webhooks.list_subscriptions(uow())
    rows = [
        {
            "id": s["id"],
            "kind": s["kind"],
            "url": s["url"],
            "events": ", ".join(s["events"]) or "all",
            "secret": s["secret_hint"] or "",
        }
        for s in found
    ]
    show_list(Listing(HOOK_COLUMNS, rows, found), as_json=as_json, as_csv=as_csv, wide=wide)


@webhooks_app.command("remove")
@friendly
def webhooks_remove(subscription_id: IdArg) -> None:
    """Stop sending to a webhook; its deliveries still waiting are cancelled."""
    webhooks.remove_subscription(uow(), subscription_id=subscription_id)
    console.print(f"removed webhook {subscription_id}", markup=False, highlight=False)


@outbox_app.command("list")
@friendly
def outbox_list(
    failed: Annotated[
        bool, typer.Option("--failed", help="Only dead messages and those waiting for a retry.")
    ] = False,
    status: Annotated[str | None, typer.Option(help="Only this status: pending, delivered or dead.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500, help="How many to show, newest first.")] = 50,
    wide: WideFlag = False,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List outbox messages, newest first, with their deliveries and last error."""
    found = outbox.list_messages(uow(), status=status, failed=failed, limit=limit)
    rows = [_message_row(m) for m in found]
    show_list(
        Listing(MESSAGE_COLUMNS, rows, found if as_json else None), as_json=as_json, as_csv=as_csv, wide=wide
    )


def _message_row(m: dict[str, Any]) -> dict[str, Any]:
    counts = m["deliveries"]
    return {
        "id": m["id"],
        "topic": m["topic"],
        "status": m["status"],
        "tries": m["attempts"],
        "deliveries": ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none",
        "created": _when(m["created_ts"]),
        "next try": _when(m["available_ts"]) if m["status"] == "pending" else "",
        "last error": m["last_error"] or "",
    }


@outbox_app.command("show")
@friendly
def outbox_show(message_id: IdArg, as_json: JsonFlag = False) -> None:
    """Show one message: its payload and each delivery's status, tries, next try and last error."""
    m = outbox.get_message(uow(), outbox_id=message_id)
    if as_json:
        typer.echo(json.dumps(m, ensure_ascii=False, indent=2, default=str))
        return
    line = f"message {m['id']}  {m['topic']}  {m['status']}  created {_when(m['created_ts'])}"
    console.print(line, markup=False, highlight=False)
    console.print(json.dumps(m["payload"], ensure_ascii=False, indent=2), markup=False, highlight=False)
    for d in m["deliveries"]:
        where = d["url"] or d["channel"]
        state = f"{d['status']}, {d['attempts']} tries"
        if d["status"] == "pending":
            state += f", next {_when(d['next_ts'])}"
        console.print(f"- {d['target']} ({where}): {state}", markup=False, highlight=False, soft_wrap=True)
        if d["last_error"]:
            console.print(f"  last error: {d['last_error']}", markup=False, highlight=False, soft_wrap=True)
    if not m["deliveries"]:
        console.print("no deliveries (nobody subscribed to this topic)", markup=False, highlight=False)


@outbox_app.command("replay")
@friendly
def outbox_replay(message_id: IdArg) -> None:
    """Deliver a dead or delivered message again (its dead deliveries, else the delivered ones)."""
    done = outbox.replay(uow(), outbox_id=message_id)
    n = done["deliveries"]
    again = f"{n} delivery" if n == 1 else f"{n} deliveries"
    console.print(f"message {message_id} is pending again: {again} to send", markup=False, highlight=False)


def worker_command(
    once: Annotated[
        bool,
        typer.Option(
            "--once",
            help="One round of everything due now, then exit: a nurture round, SLA scans until none "
            "is due, a playbook pass, and the outbox delivered (what they wrote included).",
        ),
    ] = False,
    name: Annotated[
        str | None, typer.Option(help="Worker name in leases (default: host:pid:random).")
    ] = None,
) -> None:
    """Deliver the outbox, run nurture rounds, SLA scans and playbooks until SIGTERM or Ctrl-C (several may
    run)."""
    from liidi.notify.worker import stop_on_signals, worker_for

    conf = settings()
    logging.basicConfig(
        level=conf.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    worker, dispatcher = worker_for(uow, conf, name=name)
    try:
        if once:
            _round()
            _drain(dispatcher)
            return
        stop_on_signals(worker.stop)
        console.print(
            f"worker {dispatcher.name}: delivering the outbox, nurture, SLA scans, playbooks; Ctrl-C stops",
            markup=False,
            highlight=False,
        )
        worker.run()
        console.print("worker stopped", markup=False, highlight=False)
    finally:
        dispatcher.close()


def _round() -> None:
    """A nurture round, SLA scans until nothing is due and a playbook pass; prints what they did."""
    done = nurture.tick(uow)
    steps = _many(done.performed, "step", "steps")
    line = f"nurture: {done.exited} exited, {done.enrolled} enrolled, {steps} performed"
    console.print(line, markup=False, highlight=False)
    warned = breached = escalated = 0
    while (found := sla_scan.scan(uow)).total:
        warned, breached = warned + found.warned, breached + found.breached
        escalated += found.escalated
    parts = (
        _many(warned, "warning", "warnings"),
        _many(breached, "breach", "breaches"),
        _many(escalated, "escalation step", "escalation steps"),
    )
    console.print(f"SLA: {', '.join(parts)}", markup=False, highlight=False)
    fired = playbooks.run(uow).fired
    console.print(f"playbooks: {fired} fired", markup=False, highlight=False)


def _many(count: int, one: str, many: str) -> str:
    """'1 breach', '2 breaches'."""
    return f"{count} {one if count == 1 else many}"


def _drain(dispatcher: Any) -> None:
    """Passes until nothing is due; prints what they did."""
    taken = delivered = retrying = dead = 0
    while True:
        done = dispatcher.run_pass()
        if not done.taken:
            break
        taken += done.taken
        delivered += done.recorded.delivered
        retrying += done.recorded.retrying
        dead += done.recorded.dead
    noun = "message" if taken == 1 else "messages"
    line = f"{taken} {noun} taken; deliveries: {delivered} delivered, {retrying} to retry, {dead} dead"
    console.print(line, markup=False, highlight=False)


def _when(ts: float | None) -> str:
    """Epoch seconds as 'YYYY-MM-DD HH:MM' UTC."""
    return from_epoch(ts).strftime("%Y-%m-%d %H:%M") if ts is not None else ""
