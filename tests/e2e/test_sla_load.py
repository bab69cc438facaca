"""Loading sla.yaml end to end: `liidi sla load` / `sla show`, PUT and GET /v1/sla, and hostile input."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app
from liidi.services.unit_of_work import UnitOfWork
from tests.e2e.conftest import Api

EXAMPLE_PATH = Path(__file__).resolve().parents[2] / "examples" / "sla.yaml"
EXAMPLE = EXAMPLE_PATH.read_text(encoding="utf-8")
YAML = {"Content-Type": "application/yaml"}
SMALL = "policies:\n  - {name: hot, respond_within: 15m}\n"


def test_an_sla_document_is_put_in_force_as_yaml_or_json_and_read_back(api: Api) -> None:
    assert api.client.get("/v1/sla", headers=api.admin).status_code == 404
    first = api.client.put("/v1/sla", content=EXAMPLE, headers=api.admin | YAML)
    assert first.status_code == 200, first.text
    assert (first.json()["label"], first.json()["created"]) == ("sla@v1", True)
    assert [p["name"] for p in first.json()["policies"]] == ["hand-raiser", "high-touch", "low-touch"]
    again = api.client.put("/v1/sla", json={"source": EXAMPLE, "author": "ops@firma.fi"}, headers=api.admin)
    assert (again.json()["version"], again.json()["created"]) == (1, False)
    changed = api.client.put("/v1/sla", json={"source": SMALL, "author": "ops@firma.fi"}, headers=api.admin)
    assert (changed.json()["version"], changed.json()["author"]) == (2, "ops@firma.fi")
    body = api.client.get("/v1/sla", headers=api.admin).json()
    assert body["source"] == SMALL and body["policies"][0]["respond_within"] == 900
    assert body["calendar"]["time_zone"] == "Europe/Helsinki"


def test_hostile_sla_bodies_are_refused_with_the_field_value_and_reason(api: Api) -> None:
    cases = [
        ({"content": "policies: [", "headers": YAML}, "spec_error", None),
        ({"content": SMALL.replace("15m", "15 parsecs"), "headers": YAML}, "spec_error", None),
        ({"content": b"sla: \xff", "headers": YAML}, "validation_error", "body"),
        ({"content": "sla: x\x00", "headers": YAML}, "validation_error", "body"),
        ({"json": {"source": SMALL, "colour": "red"}}, "validation_error", "colour"),
        ({"json": {"source": SMALL, "author": "a" * 255}}, "validation_error", "author"),
        ({"content": SMALL, "headers": {"Content-Type": "image/png"}}, "validation_error", "content-type"),
    ]
    for request, code, field in cases:
        reply = api.client.put("/v1/sla", headers=api.admin | request.pop("headers", {}), **request)  # type: ignore[arg-type]
        assert reply.status_code == 422, (request, reply.text)
        error = reply.json()["error"]
        assert error["code"] == code and (field is None or error["errors"][0]["field"] == field), error
    wrong = api.client.put("/v1/sla", content=SMALL.replace("15m", "15 parsecs"), headers=api.admin | YAML)
    assert wrong.json()["error"]["errors"][0]["line"] == 2
    assert api.client.put("/v1/sla", content=SMALL, headers=api.ingest | YAML).status_code == 403
    assert api.client.get("/v1/sla", headers=api.admin).status_code == 404


def test_sla_load_puts_the_example_in_force_and_sla_show_prints_it(cli: CliRunner, tmp_path: Path) -> None:
    first = cli.invoke(app, ["sla", "load", str(EXAMPLE_PATH), "--author", "ops"])
    assert first.exit_code == 0, first.output
    assert first.output.startswith("sla@v1 now in force: 3 policies, fingerprint ")
    again = cli.invoke(app, ["sla", "load", str(EXAMPLE_PATH), "--author", "ops"])
    assert "sla@v1 unchanged, already in force" in again.output
    shown = cli.invoke(app, ["sla", "show"])
    assert shown.exit_code == 0 and "hand-raiser: qualified_by hand_raiser" in shown.output
    assert all(len(line) <= 80 for line in shown.output.splitlines())
    broken = tmp_path / "broken.yaml"
    broken.write_text(SMALL.replace("15m", "-1h"), encoding="utf-8")
    refused = cli.invoke(app, ["sla", "load", str(broken)])
    assert refused.exit_code == 65 and f"{broken}:2:" in refused.output and "Traceback" not in refused.output
    missing = cli.invoke(app, ["sla", "load", str(tmp_path / "nope.yaml")])
    assert missing.exit_code != 0 and "Traceback" not in missing.output
    assert "sla@v1," in cli.invoke(app, ["sla", "show"]).output


def test_demo_start_gives_routed_leads_clocks_from_the_moment_the_sla_came_into_force(
    cli: CliRunner, engine: Engine
) -> None:
    root = EXAMPLE_PATH.parents[1]
    args = ["demo", "start", "--accounts", "60", "--months", "3", "--no-serve"]
    args += [
        "--model",
        str(root / "examples" / "scoring.yaml"),
        "--routing",
        str(root / "examples" / "routing.yaml"),
    ]
    loaded_after = time.time()
    first = cli.invoke(app, [*args, "--sla", str(EXAMPLE_PATH)])
    assert first.exit_code == 0, first.output
    assert "sla@v1 in force; new hand-overs get SLA clocks" in first.output
    with UnitOfWork(engine) as uow:
        clocks = uow.sla_clocks.started_between(0, 1e12)
    assert clocks, "the leads the model qualified are routed with clocks running"
    assert all(c["started_ts"] >= loaded_after and c["owner"] for c in clocks)
    assert all(c["due_ts"] > c["started_ts"] for c in clocks)  # the generated past does not breach at once
    again = cli.invoke(app, [*args, "--sla", str(EXAMPLE_PATH)])
    assert "keeping the SLA in force, sla@v1" in again.output
