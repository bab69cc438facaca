"""A person's SLA clocks as an audit trail: `liidi sla clocks PERSON` and GET /v1/people/{id}/sla-clocks."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app
from liidi.services import sla
from liidi.services.touches import record_touch
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW
from tests.e2e.conftest import Api
from tests.routing_support import raise_hand, set_up

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "sla.yaml"
FRIDAY = datetime(2026, 10, 23, 12, 55, tzinfo=UTC).timestamp()  # 15:55 in Helsinki, 5 minutes to close
MONDAY_TOUCH = datetime(2026, 10, 26, 6, 5, tzinfo=UTC).timestamp()  # 08:05 in Helsinki (winter time)


def _friday_hand_raiser_called_on_monday(engine: Engine) -> int:
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    set_up(new_uow, accounts=[{"domain": "acme.fi", "name": "Acme Oy", "country": "FI", "employees": 300}])
    text = EXAMPLE.read_text(encoding="utf-8")
    sla.load_sla(new_uow(), text=text, source_name="sla.yaml", author="test", now=FRIDAY - 86400)
    pid = raise_hand(new_uow, "aino@acme.fi", ts=FRIDAY)
    record_touch(
        new_uow(), person_id=pid, kind="call", occurred_at=MONDAY_TOUCH, actor="anna@firma.fi", now=NOW
    )
    return pid


def test_the_clock_audit_shows_the_weekend_pause_and_ten_working_minutes_waited(
    cli: CliRunner, engine: Engine
) -> None:
    _friday_hand_raiser_called_on_monday(engine)
    shown = cli.invoke(app, ["sla", "clocks", "aino@acme.fi"])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert "clock 1: hand-raiser (sla@v1), met" in lines
    assert "  started      2026-10-23 12:55 Fri" in lines
    assert "  deadline     2026-10-26 06:10 Mon" in lines, "5 minutes on Friday, 10 on Monday after DST"
    assert "  first touch  2026-10-26 06:05 Mon" in lines
    assert "  waited       0 h 10 min of working time" in lines
    assert "  paused       2026-10-23 13:00 Fri → 2026-10-26 06:00 Mon" in lines
    assert all(len(line) <= 80 for line in lines)
    as_json = json.loads(cli.invoke(app, ["sla", "clocks", "aino@acme.fi", "--json"]).output)
    [clock] = as_json
    assert (clock["status"], clock["working_seconds"], clock["pause_count"]) == ("met", 600, 1)
    assert clock["pauses"] == [{"from": "2026-10-23T13:00:00+00:00", "to": "2026-10-26T06:00:00+00:00"}]


def test_the_api_gives_the_same_audit_and_refuses_unknown_people(api: Api, engine: Engine) -> None:
    pid = _friday_hand_raiser_called_on_monday(engine)
    got = api.client.get(f"/v1/people/{pid}/sla-clocks", headers=api.admin)
    assert got.status_code == 200, got.text
    [clock] = got.json()["items"]
    assert clock["due_at"] == "2026-10-26T06:10:00+00:00" and clock["first_touch_at"].startswith(
        "2026-10-26T06:05"
    )
    assert clock["pauses"][0]["from"] == "2026-10-23T13:00:00+00:00"
    assert api.client.get("/v1/people/999999/sla-clocks", headers=api.admin).status_code == 404
    assert api.client.get(f"/v1/people/{2**70}/sla-clocks", headers=api.admin).status_code == 422
    assert api.client.get(f"/v1/people/{pid}/sla-clocks", headers=api.ingest).status_code == 403


def test_a_person_without_clocks_is_told_so_and_an_unknown_one_is_an_error(
    cli: CliRunner, engine: Engine
) -> None:
    set_up(lambda: UnitOfWork(engine), accounts=[])
    raise_hand(lambda: UnitOfWork(engine), "solo@acme.fi")
    shown = cli.invoke(app, ["sla", "clocks", "solo@acme.fi"])
    assert shown.exit_code == 0 and "solo@acme.fi has no SLA clocks" in shown.output
    missing = cli.invoke(app, ["sla", "clocks", "nobody@acme.fi"])
    assert missing.exit_code != 0 and "no person with e-mail nobody@acme.fi" in missing.output
