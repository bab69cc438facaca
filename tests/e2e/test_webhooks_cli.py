"""`liidi webhooks` and `liidi outbox` at 80 columns: secrets shown once, bad input named, replays."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from rich.cells import cell_len
from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app
from liidi.domain.messages import PersonMerged
from liidi.services import sla
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW
from tests.integration.test_dispatch import queue
from tests.routing_support import raise_hand, set_up

PUBLIC = "https://93.184.215.14/hooks/liidi"
SLACK = "https://93.184.215.15/services/T000/B000/hooktoken4f9a2c7e81"


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def fits(out: str) -> bool:
    return max((cell_len(line) for line in out.splitlines()), default=0) <= 80


def test_a_webhook_is_added_with_a_secret_shown_once_and_listed_without_it(cli: CliRunner) -> None:
    code, out = run(cli, "webhooks", "add", PUBLIC, "--events", "lead.assigned, lead.stage_changed")
    assert code == 0, out
    secret = next(word for word in out.split() if word.startswith("whsec_"))
    said = " ".join(out.split())
    assert "added webhook 1: https://93.184.215.14/hooks/liidi (lead.assigned, lead.stage_changed)" in said
    assert run(cli, "webhooks", "add", SLACK, "--slack")[0] == 0

    code, table = run(cli, "webhooks", "list")
    assert code == 0 and fits(table) and secret not in table and "hooktoken" not in table
    assert f"…{secret[-4:]}" in table and "https://93.184.215.15/…7e81" in table
    for fmt in ("--json", "--csv"):
        code, out = run(cli, "webhooks", "list", fmt)
        assert code == 0 and secret not in out and "hooktoken4f9a2c7e81" not in out
    rows = list(csv.DictReader(io.StringIO(run(cli, "webhooks", "list", "--csv")[1])))
    assert [r["kind"] for r in rows] == ["webhook", "slack"] and rows[1]["events"] == "all"

    assert run(cli, "webhooks", "remove", "1") == (0, "removed webhook 1\n")
    assert [i["id"] for i in json.loads(run(cli, "webhooks", "list", "--json")[1])] == [2]


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("webhooks", "add", "ftp://93.184.215.14/x"), "must be an http:// or https:// URL"),
        (("webhooks", "add", "http://127.0.0.1:8080/hook"), "127.0.0.1 is a loopback address"),
        (("webhooks", "add", "http://localhost/hook"), "is a loopback address"),
        (("webhooks", "add", "http://192.168.1.10/hook"), "is a private address"),
        (("webhooks", "add", "http://no-such-host.invalid/"), "does not resolve"),
        (("webhooks", "add", "http://93.184.215.14/\x00"), "NUL"),
        (("webhooks", "add", "http://93.184.215.14/" + "x" * 3000), "longer than 2000 characters"),
        (("webhooks", "add", PUBLIC, "--events", "lead.vanished"), "unknown topic"),
        (("webhooks", "add", PUBLIC, "--secret", "short"), "must be 16–200 characters"),
        (("webhooks", "add", PUBLIC, "--slack", "--secret", "x" * 20), "not signed"),
        (("outbox", "list", "--status", "lost"), "must be one of pending, delivered, dead"),
    ],
)
def test_bad_input_is_a_one_line_error_naming_the_reason_with_exit_65_and_nothing_stored(
    cli: CliRunner, args: tuple[str, ...], reason: str
) -> None:
    code, out = run(cli, *args)
    assert code == 65 and reason in " ".join(out.split()) and "Traceback" not in out, out
    assert json.loads(run(cli, "webhooks", "list", "--json")[1]) == []


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("webhooks", "remove", "7"), 66),
        (("outbox", "show", "7"), 66),
        (("outbox", "replay", "7"), 66),
        (("webhooks", "remove", "0"), 2),
        (("outbox", "replay", str(2**63)), 2),
        (("outbox", "show", "abc"), 2),
    ],
)
def test_unknown_or_impossible_ids_exit_non_zero_without_a_traceback(
    cli: CliRunner, args: tuple[str, ...], code: int
) -> None:
    got, out = run(cli, *args)
    assert got == code and "Traceback" not in out, out


def test_the_outbox_lists_fit_80_columns_and_replay_refuses_a_pending_message(
    cli: CliRunner, engine: Engine
) -> None:
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    [first, second] = queue(new_uow, [PersonMerged(survivor_id=1, merged_id=2), PersonMerged(3, 4)])
    with new_uow() as uow:
        uow.outbox.claim("w", 10, 1e10, 30)
        uow.outbox.settle(
            first, "w", {"status": "dead", "attempts": 10, "last_error": "HTTP 500: " + "x" * 300}
        )
        uow.commit()

    code, table = run(cli, "outbox", "list")
    assert code == 0 and fits(table) and "person.merged" in table and "dead" in table
    code, failed = run(cli, "outbox", "list", "--failed", "--json")
    assert code == 0 and [m["id"] for m in json.loads(failed)] == [first]
    rows = list(csv.DictReader(io.StringIO(run(cli, "outbox", "list", "--csv")[1])))
    assert [int(r["id"]) for r in rows] == [second, first] and rows[1]["last error"].startswith("HTTP 500")
    code, shown = run(cli, "outbox", "show", str(first))
    assert code == 0 and '"survivor_id": 1' in shown and "nobody subscribed" in shown

    code, out = run(cli, "outbox", "replay", str(second))
    assert code == 67 and "still pending" in out
    assert run(cli, "outbox", "replay", str(first)) == (
        0,
        f"message {first} is pending again: 0 deliveries to send\n",
    )


def test_worker_once_delivers_what_is_due_and_says_so(cli: CliRunner, engine: Engine) -> None:
    queue(lambda: UnitOfWork(engine), [PersonMerged(survivor_id=1, merged_id=2)])
    code, out = run(cli, "worker", "--once")
    assert code == 0 and "1 message taken; deliveries: 0 delivered, 0 to retry, 0 dead" in out, out
    code, out = run(cli, "outbox", "list", "--status", "delivered", "--json")
    assert len(json.loads(out)) == 1


def test_worker_once_also_announces_the_sla_breaches_that_are_due(cli: CliRunner, engine: Engine) -> None:
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    set_up(new_uow, accounts=[{"domain": "acme.fi", "name": "Acme Oy", "country": "FI", "employees": 300}])
    text = (Path(__file__).resolve().parents[2] / "examples" / "sla.yaml").read_text(encoding="utf-8")
    sla.load_sla(new_uow(), text=text, source_name="sla.yaml", author="test", now=NOW - 7200)
    raise_hand(new_uow, "aino@acme.fi")  # weeks ago by the wall clock: its deadline has long passed
    code, out = run(cli, "worker", "--once")
    assert code == 0 and "SLA: 0 warnings, 1 breach, 3 escalation steps" in out, out
    assert "nurture: 0 exited" in out
    code, out = run(cli, "outbox", "list", "--json")
    topics = {m["topic"] for m in json.loads(out)}
    assert {"sla.breached", "sla.escalated", "lead.assigned"} <= topics
