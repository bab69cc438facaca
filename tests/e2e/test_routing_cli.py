"""`liidi routing` and `liidi assign` end to end with CliRunner on both databases, at 80 columns."""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import CliRunner

from liidi.cli import app
from liidi.services.unit_of_work import UnitOfWork
from tests.routing_support import ROUTING, raise_hand, set_up

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = str(ROOT / "examples" / "routing.yaml")
ACME = {"domain": "acme.fi", "name": "Acme Oy", "country": "FI", "employees": 300}


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def narrow(out: str) -> bool:
    """Every line fits an 80-column terminal."""
    return all(len(line) <= 80 for line in out.splitlines())


def routed(engine: Engine, tmp_path: Path) -> tuple[int, int]:
    """The hand-raiser model, the test routing in force and two hand-raisers at acme.fi, routed."""
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    set_up(new_uow, accounts=[ACME])
    return raise_hand(new_uow, "aino@acme.fi", title="CTO"), raise_hand(new_uow, "ville@acme.fi")


def test_check_accepts_the_example_routing(cli: CliRunner) -> None:
    code, out = run(cli, "routing", "check", EXAMPLE)
    assert code == 0 and re.match(
        r"ok: 3 teams, 9 reps, 3 rules, 4 motions, fingerprint [0-9a-f]{16}$", out.strip()
    )


def test_check_prints_every_problem_with_its_line_and_column_and_exits_65(
    cli: CliRunner, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        ROUTING.replace("capacity: 2}", "capacity: lots}", 1).replace("team: rest}", "team: south}")
    )
    code, out = run(cli, "routing", "check", str(bad))
    assert code == 65
    assert f"{bad}:9:53 rep 'anna@firma.fi': capacity: expected a whole number ≥ 0, got 'lots'" in out
    assert f"{bad}:11:34 rep 'dora@firma.fi': team: unknown team 'south' (teams: nordics, rest)" in out
    assert f"{bad}:7:5 team 'rest': has no reps; give a rep 'team: rest' or leave it out" in out
    assert "error: 4 problems in the routing file" in out


def test_a_missing_file_a_binary_file_and_broken_yaml_are_one_line_errors(
    cli: CliRunner, tmp_path: Path
) -> None:
    assert run(cli, "routing", "check", str(tmp_path / "nope.yaml"))[0] == 66
    binary = tmp_path / "bin.yaml"
    binary.write_bytes(b"routing: \xff\xfe\x00")
    code, out = run(cli, "routing", "check", str(binary))
    assert code == 65 and "is not UTF-8 text" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text("routing: [\n")
    code, out = run(cli, "routing", "check", str(broken))
    assert code == 65 and f"{broken}:2:1 YAML: not valid YAML" in out


def test_load_puts_a_routing_in_force_once_and_show_lists_it_at_80_columns(cli: CliRunner) -> None:
    assert run(cli, "routing", "show")[0] == 66
    code, out = run(cli, "routing", "load", EXAMPLE, "--author", "ops@firma.fi")
    assert code == 0 and out.startswith("routing@v1 now in force: 3 teams")
    code, out = run(cli, "routing", "load", EXAMPLE)
    assert code == 0 and out.startswith("routing@v1 unchanged, already in force")
    code, out = run(cli, "routing", "show")
    assert code == 0 and narrow(out)
    assert "routing@v1 (ict-services-sales), loaded" in out and "by ops@firma.fi" in out
    assert "kadri.tamm@liidi-demo.example" in out and "2026-12-21–2027-01-06" in out
    assert "  1. Nordic and Baltic countries: account.country in [FI, SE, NO, DK, EE] →" in out
    assert "fallback\n   sales-queue@liidi-demo.example" in out
    code, out = run(cli, "routing", "show", "--json")
    shown = json.loads(out)
    assert shown["version"] == 1 and shown["reps"][5] == {
        "email": "kadri.tamm@liidi-demo.example",
        "name": "Kadri Tamm",
        "team": "nordics",
        "weight": 0.5,
        "capacity": 4,
        "out_of_office": [],
    }


def test_a_reps_own_list_explain_and_people_show_name_the_owner_and_why(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    aino, _ = routed(engine, tmp_path)
    code, out = run(cli, "leads", "--owner", "ANNA@firma.fi", "--json")
    assert code == 0
    [item] = json.loads(out)
    assert item["person"]["email"] == "aino@acme.fi" and item["owner"] == "anna@firma.fi"
    assert item["assignment"]["reason"] == "round-robin in nordics (1 of 2 this week)"
    code, out = run(cli, "explain", "aino@acme.fi")
    assert code == 0 and "owner: anna@firma.fi (team nordics, low_touch)" in out
    line = "  2026-10-26 06:33  round-robin in nordics (1 of 2 this week) [rule: Nordic\n"
    assert line + "     countries], by routing\n" in out
    code, out = run(cli, "people", "show", str(aino))
    assert code == 0 and "owner: anna@firma.fi (team nordics, low_touch)" in out


def test_assign_reassigns_by_hand_and_refuses_unknown_reps_and_people(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    routed(engine, tmp_path)
    code, out = run(cli, "assign", "aino@acme.fi", "--to", "dora@firma.fi", "--reason", "speaks German")
    assert (
        code == 0 and out.strip() == "person 1 assigned to dora@firma.fi (team rest): manual: speaks German"
    )
    code, out = run(cli, "assign", "aino@acme.fi", "--to", "dora@firma.fi")
    assert code == 67 and "already owned by dora@firma.fi" in out
    code, out = run(cli, "assign", "aino@acme.fi", "--to", "bert@firma.fj")
    assert code == 65 and "to='bert@firma.fj': not a rep of routing@v1 (did you mean bert@firma.fi?)" in out
    code, out = run(cli, "assign", "aino@acme.fi", "--to", "not an address")
    assert code == 65 and "to='not an address'" in out
    assert run(cli, "assign", "nobody@acme.fi", "--to", "dora@firma.fi")[0] == 66
    assert run(cli, "assign", "99999999999999999999", "--to", "dora@firma.fi")[0] == 65
    code, out = run(cli, "assign", "ville@acme.fi", "--to", "dora@firma.fi", "--reason", "x" * 301)
    assert code == 65 and "reason" in out


def test_the_report_lists_leads_per_rep_against_weight_as_a_table_json_and_csv(
    cli: CliRunner, engine: Engine, tmp_path: Path
) -> None:
    routed(engine, tmp_path)
    code, out = run(cli, "routing", "report", "--since", "2026-10-01", "--until", "2026-11-01")
    assert (
        code == 0 and narrow(out) and out.startswith("2 leads from 2026-10-01 00:00 to 2026-11-01 00:00 UTC")
    )
    assert re.search(r"anna@firma\.fi\s+nordics\s+1\s+1\s+50%\s+50%\s+\+0\.0", out)
    code, out = run(cli, "routing", "report", "--since", "2026-10-01", "--until", "2026-11-01", "--json")
    items = {i["owner"]: i for i in json.loads(out)}
    assert items["bert@firma.fi"]["leads"] == 1 and items["dora@firma.fi"]["difference"] == 0.0
    code, out = run(cli, "routing", "report", "--since", "2026-10-01", "--until", "2026-11-01", "--csv")
    assert out.splitlines()[0] == "owner,team,weight,leads,share,target,diff"
    assert run(cli, "routing", "report", "--since", "soon")[0] == 65
    code, out = run(cli, "routing", "report", "--since", "2026-11-02", "--until", "2026-11-01")
    assert code == 65 and "since: must be before until" in out


def test_demo_start_puts_the_example_routing_in_force_so_its_mqls_have_owners(
    cli: CliRunner, engine: Engine
) -> None:
    model = str(ROOT / "examples" / "scoring.yaml")
    args = ["demo", "start", "--accounts", "80", "--months", "4", "--no-serve", "--model", model]
    code, out = run(cli, *args, "--routing", EXAMPLE)
    assert code == 0 and "routing@v1 in force (ict-services-sales)" in out
    assert out.index("routing@v1 in force") < out.index("published core-services@v1")
    with UnitOfWork(engine) as uow:
        mqls = uow.people.list(filters={"lifecycle_stage": "mql"}, after=0, limit=500)
        routed = uow.assignments.latest({p.id for p in mqls})
    assert mqls and set(routed) == {p.id for p in mqls}
    assert all(p.owner and p.owner.endswith("@liidi-demo.example") for p in mqls)
    code, out = run(cli, *args)
    assert code == 0 and "keeping the routing in force, routing@v1" in out
