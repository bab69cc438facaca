"""Lead lists with the response SLA end to end: `liidi leads` at 80 columns and GET /v1/leads."""

from __future__ import annotations

import csv
import io
import json
import re

from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app
from liidi.services import routing
from liidi.services.unit_of_work import UnitOfWork
from tests.e2e.conftest import Api
from tests.integration.test_sla_clocks import ACME, HANDED, load_example
from tests.routing_support import raise_hand, set_up

ANNA = "anna@firma.fi"


def handed_over(engine: Engine) -> tuple[int, int]:
    """Two hand-raisers given to anna under the example SLA: kalle at +5m, aino at +30m (both long late
    by now); ville was routed before the SLA was loaded and has no clock."""
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    set_up(new_uow, accounts=[ACME])
    raise_hand(new_uow, "ville@acme.fi", title="CTO")
    load_example(new_uow)
    aino, kalle = (raise_hand(new_uow, f"{n}@acme.fi", title="CTO") for n in ("aino", "kalle"))
    for pid in (aino, kalle):
        routing.assign_person(new_uow(), person_id=pid, to="dora@firma.fi", actor="boss", now=HANDED + 60)
    for pid, minutes in ((kalle, 5), (aino, 30)):
        routing.assign_person(new_uow(), person_id=pid, to=ANNA, actor="boss", now=HANDED + minutes * 60)
    return aino, kalle


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_reps_waiting_list_shows_how_late_each_lead_is_at_80_columns(
    cli: CliRunner, engine: Engine
) -> None:
    handed_over(engine)
    code, out = run(cli, "leads", "--owner", ANNA, "--waiting")
    assert code == 0 and all(len(line) <= 80 for line in out.splitlines()), out
    lines = [line for line in out.splitlines() if "@acme.fi" in line]
    assert [line.split()[2] for line in lines] == ["kalle@acme.fi", "aino@acme.fi"], out
    assert all(" late " in f" {line} " for line in lines), out


def test_the_json_and_csv_lists_carry_the_sla_fields(cli: CliRunner, engine: Engine) -> None:
    handed_over(engine)
    code, out = run(cli, "leads", "--all", "--json")
    items = {item["person"]["email"]: item["sla"] for item in json.loads(out)}
    assert code == 0 and items["ville@acme.fi"] is None
    kalle = items["kalle@acme.fi"]
    assert (kalle["status"], kalle["policy"]) == ("breached", "hand-raiser")
    assert kalle["due_at"].startswith("2026-10-26T06:53") and kalle["waited_seconds"] > 8 * 3600
    code, out = run(cli, "leads", "--owner", ANNA, "--waiting", "--csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["sla status"] for r in rows] == ["breached", "breached"]
    assert re.fullmatch(r"\d+d( \d+h)?", rows[0]["sla waited"])
    assert rows[0]["sla due"].startswith("2026-10-26T06:53")


def test_waiting_without_an_owner_is_refused(cli: CliRunner, engine: Engine) -> None:
    handed_over(engine)
    code, out = run(cli, "leads", "--waiting")
    assert code != 0 and "waiting" in out and "owner" in out


def test_get_leads_items_carry_the_sla_and_waiting_orders_oldest_breach_first(
    api: Api, engine: Engine
) -> None:
    aino, kalle = handed_over(engine)
    reply = api.client.get(f"/v1/leads?owner={ANNA}&waiting=true", headers=api.admin)
    assert reply.status_code == 200, reply.text
    items = reply.json()["items"]
    assert [item["person"]["id"] for item in items] == [kalle, aino]
    sla = items[0]["sla"]
    assert (sla["status"], sla["policy"]) == ("breached", "hand-raiser")
    assert sla["due_at"].startswith("2026-10-26T06:53")
    assert re.fullmatch(r"\d+d( \d+h)?", sla["waited"]) and sla["waited_seconds"] > 8 * 3600
    everyone = api.client.get("/v1/leads?hot=false", headers=api.admin).json()["items"]
    assert {i["person"]["email"]: i["sla"] for i in everyone}["ville@acme.fi"] is None


def test_get_leads_refuses_bad_waiting_input(api: Api, engine: Engine) -> None:
    handed_over(engine)
    for query, field in (("waiting=maybe", "waiting"), ("waiting=true", "waiting")):
        reply = api.client.get(f"/v1/leads?{query}", headers=api.admin)
        assert reply.status_code == 422, reply.text
        assert reply.json()["error"]["errors"][0]["field"] == field, reply.text
