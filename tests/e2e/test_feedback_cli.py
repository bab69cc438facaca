"""`liidi accept|reject|step-back|convert|close|touch|reasons|report acceptance` at 80 columns."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from liidi.cli import app


def run(cli: CliRunner, *args: str, code: int = 0) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


@pytest.fixture
def lead(cli: CliRunner, tmp_path: Path) -> str:
    """anna@kivikoski.fi (CRM id crm-1), handed over as an MQL; bo@firma.fi a plain lead."""
    people = tmp_path / "people.csv"
    people.write_text("email,external_id,first_name\nanna@kivikoski.fi,crm-1,Anna\nbo@firma.fi,crm-2,Bo\n")
    run(cli, "import", "people", str(people))
    run(cli, "people", "transition", "anna@kivikoski.fi", "mql")
    return "anna@kivikoski.fi"


def test_a_rep_takes_a_lead_from_hand_over_to_a_won_deal(cli: CliRunner, lead: str) -> None:
    assert "mql → sal, accepted by rep@firma.fi" in run(cli, "accept", lead, "--actor", "rep@firma.fi")
    out = run(cli, "convert", "crm-1", "--opportunity", "--amount", "12000", "--currency", "eur")
    assert "sal → opportunity, converted by cli" in out and "open, 12,000.00 EUR" in out
    out = run(cli, "close", lead, "--won", "--amount", "12500")
    assert "opportunity → customer" in out and "won, 12,500.00 EUR" in out


def test_a_rejection_and_a_step_back_print_the_move_and_the_reason(cli: CliRunner, lead: str) -> None:
    assert "mql → disqualified (student)" in run(cli, "reject", lead, "--reason", "student")
    run(cli, "people", "transition", "bo@firma.fi", "mql")
    run(cli, "accept", "bo@firma.fi")
    assert "sal → recycled (timing), stepped back" in run(
        cli, "step-back", "bo@firma.fi", "--reason", "timing"
    )


def test_an_unknown_reason_lists_the_known_ones_and_exits_65(cli: CliRunner, lead: str) -> None:
    out = run(cli, "reject", lead, "--reason", "bored", code=65)
    assert "unknown reason for rejecting a lead" in out and "not_ready" in out


def test_a_second_decision_on_a_lead_exits_67_naming_what_is_open(cli: CliRunner, lead: str) -> None:
    run(cli, "accept", lead)
    out = run(cli, "reject", lead, "--reason", "spam", code=67)
    assert "they are in sal" in out and "open now: step-back, convert" in out


@pytest.mark.parametrize(
    ("args", "code", "said"),
    [
        (["close", "anna@kivikoski.fi", "--lost", "--reason", "price"], 67, "no open deal"),
        (["close", "anna@kivikoski.fi"], 2, "say --won or --lost"),
        (["accept", "nobody@firma.fi"], 66, "no person"),
        (["accept", "99999999999999999999999"], 65, "a person id is at most"),
        (["convert", "anna@kivikoski.fi", "--amount", "nan"], 65, "amount"),
        (["reject", "anna@kivikoski.fi", "--reason", "spam\x00"], 65, "reason"),
        (["accept", "anna@kivikoski.fi", "--actor", "rep\x00"], 65, "NUL"),
        (["touch", "anna@kivikoski.fi", "--kind", "fax"], 65, "kind='fax'"),
        (["touch", "anna@kivikoski.fi", "--kind", "call", "--at", "2999-01-01"], 65, "future"),
    ],
)
def test_hostile_input_gets_a_one_line_error_and_a_non_zero_exit(
    cli: CliRunner, lead: str, args: list[str], code: int, said: str
) -> None:
    assert said in run(cli, *args, code=code)


@pytest.mark.parametrize("amount", ["nan", "-5", "1e400", "1e16"])
def test_an_amount_no_deal_can_hold_is_refused_and_nothing_changes(
    cli: CliRunner, lead: str, amount: str
) -> None:
    run(cli, "accept", lead)
    out = run(cli, "convert", lead, "--opportunity", "--amount", amount, code=65)
    assert "amount" in out
    assert "sal → sql" in run(cli, "convert", lead)


def test_a_touch_is_recorded_with_its_time_and_note(cli: CliRunner, lead: str) -> None:
    out = run(cli, "touch", lead, "--kind", "call", "--note", "wants a demo", "--at", "2026-01-05T09:00:00Z")
    assert "call recorded (touch 1)" in out


def test_reasons_lists_the_codes_and_reads_a_reasons_file_from_the_setting(
    cli: CliRunner, lead: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = run(cli, "reasons")
    assert "wrong_person" in out and all(len(line) <= 80 for line in out.splitlines())
    rows = json.loads(run(cli, "reasons", "--json"))
    assert {"action": "close-lost", "reason": "not_a_fit", "to": "disqualified"}.items() <= rows[-1].items()
    path = tmp_path / "reasons.yaml"
    path.write_text("reject:\n  partner: disqualify\n")
    monkeypatch.setenv("LIIDI_FEEDBACK_REASONS", str(path))
    from liidi.cli import common

    common.settings.cache_clear()
    assert "mql → disqualified (partner)" in run(cli, "reject", lead, "--reason", "partner")


def test_reasons_check_names_each_problem_by_line_and_exits_65(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "reasons.yaml"
    path.write_text("reject:\n  spam: delete\nlostt: {}\n")
    out = run(cli, "reasons", "check", str(path), code=65)
    assert f"{path}:2:9 reject.spam: expected recycle, disqualify" in out
    assert f"{path}:3:1 " in out and "2 problems in the reasons file" in out
    path.write_text("step_back: [later]\n")
    assert "ok: 8 reject, 1 step-back and 6 lost reasons" in run(cli, "reasons", "check", str(path))
    assert "no such file" in run(cli, "reasons", "check", str(tmp_path / "missing.yaml"), code=66)


def test_the_acceptance_report_reads_at_80_columns_and_speaks_json_and_csv(cli: CliRunner, lead: str) -> None:
    run(cli, "people", "transition", "bo@firma.fi", "mql")
    run(cli, "accept", lead)
    run(cli, "reject", "bo@firma.fi", "--reason", "not_ready")
    out = run(cli, "report", "acceptance", "--since", "2020-01-01")
    assert "2 leads moved to mql" in out and "sales-ready: 50.0 %" in out and "not_ready" in out
    assert all(len(line) <= 80 for line in out.splitlines())
    report = json.loads(run(cli, "report", "acceptance", "--json"))
    assert report["accepted"]["count"] == 1 and report["rejected_by_reason"][0]["reason"] == "not_ready"
    csv = run(cli, "report", "acceptance", "--csv").splitlines()
    assert csv[0] == "outcome,reason,to,count,share" and "rejected,not_ready,recycled,1,100.0 %" in csv
    assert "--since 'soon'" in run(cli, "report", "acceptance", "--since", "soon", code=65)
