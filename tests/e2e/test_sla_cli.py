"""`liidi sla check` end to end with CliRunner: a valid file, and each kind of mistake with its line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from liidi.cli import app, common

ROOT = Path(__file__).resolve().parents[2]
POLICY = "policies:\n  - {name: hot, respond_within: 15m}\n"


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A runner printing for an 80-column terminal; `sla check` needs no database."""
    for console in (common.console, common.err_console):
        monkeypatch.setattr(console, "_width", 80)
    yield CliRunner()


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def sla_file(tmp_path: Path, text: str) -> str:
    path = tmp_path / "sla.yaml"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_example_file_is_valid_and_described_at_80_columns(cli: CliRunner) -> None:
    code, out = run(cli, "sla", "check", str(ROOT / "examples" / "sla.yaml"))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "ok: 3 policies"
    assert lines[1] == "calendar: Europe/Helsinki, mon-fri 08:00-16:00, holidays of FI, 20 closed dates"
    assert "hand-raiser: qualified_by hand_raiser" in lines
    assert "  respond within 15m, warning 5m before" in lines
    assert all(len(line) <= 80 for line in lines)


def test_a_hand_over_time_shows_when_each_policy_warns_breaches_and_escalates(cli: CliRunner) -> None:
    code, out = run(
        cli, "sla", "check", str(ROOT / "examples" / "sla.yaml"), "--handed-over", "2026-12-04 15:55"
    )
    assert code == 0, out
    hand_raiser = out.split("high-touch:")[0]
    assert re.search(r"warning +Mon 2026-12-07 08:05", hand_raiser)
    assert re.search(r"due +Mon 2026-12-07 08:10", hand_raiser)
    assert re.search(r"reassign +Mon 2026-12-07 09:10", hand_raiser)


def test_a_hand_over_time_that_is_not_a_time_is_a_one_line_error(cli: CliRunner) -> None:
    code, out = run(cli, "sla", "check", str(ROOT / "examples" / "sla.yaml"), "--handed-over", "friday")
    assert code == 65 and "--handed-over 'friday': expected a time such as 2026-12-04 15:50" in out


LADDER = "policies:\n  - name: hot\n    respond_within: 15m\n    escalate: "
CALENDAR = "calendar:\n  time_zone: Europe/Helsinki\n"
MISTAKES = [
    ("policies: [\n", "2:1", "not valid YAML"),
    ("# nothing yet\n", "1:1", "the file is empty; it needs at least 'policies:'"),
    ("slas: x\n" + POLICY, "1:1", "unknown key 'slas'; expected one of sla, description, calendar, policies"),
    ("sla: x\n", "1:1", "'policies' is required"),
    ("policies: []\n", "1:11", "give at least one policy"),
    (CALENDAR.replace("Helsinki", "Helsinky") + POLICY, "2:14", "did you mean 'Europe/Helsinki'?"),
    (CALENDAR + "  hours: {mon-fri: 16:00-08:00}\n" + POLICY, "3:20", "ends before it starts"),
    (CALENDAR + "  hours: {mon-fri: '8-16'}\n" + POLICY, "3:20", "expected a time of day such as 08:00"),
    (CALENDAR + "  hours: {mon-fry: 08:00-16:00}\n" + POLICY, "3:11", "expected a weekday or a range"),
    (CALENDAR + "  hours: {mon-fri: 08:00-16:00, fri: 08:00-14:00}\n" + POLICY, "3:33", "fri given twice"),
    (CALENDAR + "  hours: {sat: closed}\n" + POLICY, "3:10", "no working hours on any day"),
    (CALENDAR + "  country: XX\n" + POLICY, "3:12", "'XX': no public holidays are known for it"),
    (CALENDAR + "  subdivision: '99'\n" + POLICY, "3:16", "'99' is not a subdivision of FI (known: 01, 02"),
    (CALENDAR + "  closed: [2026-02-30]\n" + POLICY, "3:12", "expected a date or a range of dates"),
    (CALENDAR + "  closed: ['2027-07-30..2027-07-01']\n" + POLICY, "3:12", "runs backwards"),
    ("policies:\n  - {respond_within: 1h}\n", "2:5", "'name' is required"),
    ("policies:\n  - {name: hot, respond_within: 15 minutes}\n", "2:33", "expected working time such as 30m"),
    ("policies:\n  - {name: hot, respond_within: 61d}\n", "2:33", "expected at most 60d of working time"),
    ("policies:\n  - {name: hot, respond_within: 15m, warn_before: 15m}\n", "2:51", "must be less than"),
    (
        "policies:\n  - {name: hot, when: {motion: warm}, respond_within: 1h}\n",
        "2:32",
        "expected one of no_touch",
    ),
    ("policies:\n  - {name: hot, when: {qualifed_by: mql}, respond_within: 1h}\n", "2:24", "did you mean"),
    (
        LADDER + "[{after: 0m, action: notify_owner}, {after: 1h, action: call_ceo}]\n",
        "4:71",
        "expected one of notify_owner, notify_team_lead, reassign, got 'call_ceo'",
    ),
    (
        LADDER + "[{after: 1h, action: notify_owner}, {after: 30m, action: reassign}]\n",
        "4:51",
        "steps must rise: 'after' must be later than the step above (1h)",
    ),
    (POLICY + "  - {name: hot, respond_within: 1h}\n", "3:5", "the name 'hot' is already used on line 2"),
    (
        POLICY + "  - {name: mql, when: {qualified_by: mql}, respond_within: 4h}\n",
        "3:5",
        "never chosen: policy 'hot' on line 2 above takes every lead it would",
    ),
]


@pytest.mark.parametrize(("text", "where", "reason"), MISTAKES, ids=[m[2][:40] for m in MISTAKES])
def test_each_kind_of_mistake_is_reported_with_its_line_and_column(
    cli: CliRunner, tmp_path: Path, text: str, where: str, reason: str
) -> None:
    path = sla_file(tmp_path, text)
    code, out = run(cli, "sla", "check", path)
    assert code == 65, out
    assert f"{path}:{where} " in out and reason in out, out
    assert "1 problem in the SLA file" in out


def test_every_mistake_in_a_file_is_reported_in_line_order(cli: CliRunner, tmp_path: Path) -> None:
    path = sla_file(
        tmp_path,
        "calendar:\n  country: XX\npolicies:\n"
        "  - {name: a, respond_within: soon}\n  - {name: b, colour: red}\n",
    )
    code, out = run(cli, "sla", "check", path)
    assert code == 65
    assert re.findall(rf"^{re.escape(path)}:(\d+):", out, flags=re.MULTILINE) == ["2", "4", "5", "5"]
    assert "4 problems in the SLA file" in out


def test_a_missing_file_is_a_one_line_error(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "sla", "check", str(tmp_path / "nope.yaml"))
    assert code == 66 and "no such file" in out
