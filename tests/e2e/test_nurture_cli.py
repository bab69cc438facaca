"""`liidi nurture` end to end: check, load, tracks, run and report at 80 columns, and hostile files."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from liidi.cli import app
from tests.builders import NOW
from tests.nurture_support import NURTURE, ROOT, NewUow, hand_raise, lead, ready

EXAMPLE = str(ROOT / "examples" / "nurture.yaml")


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def write(tmp_path: Path, data: str | bytes) -> str:
    path = tmp_path / "nurture.yaml"
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return str(path)


def test_the_example_file_is_valid_and_described_at_80_columns(cli: CliRunner) -> None:
    code, out = run(cli, "nurture", "check", EXAMPLE)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[:2] == [
        "ok: 8 tracks for model core-services",
        "enter: not-ready leads of grades A/B/C scoring 10 or more, and recycled leads",
    ]
    assert "cloud-explore: theme cloud, stage early_interest/need_recognised" in lines
    assert '  2. after 5d: email "Five questions before moving to the cloud" (template' in lines
    assert all(len(line) <= 80 for line in lines)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"model: m\x00\ntracks: []\n", ":1:9 YAML: not valid YAML: the character U+0000 is not allowed"),
        (b"model: \xff\n", "is not UTF-8 text (byte 7)"),
        ("model: m\ntracks:\n  - {name: t, steps: [{wait: 100000000d, action: task, task: x}]}\n", ":3:30"),
        (
            "model: m\ntracks:\n  - {name: t, steps: [{action: task, task: x, subject: y}]}\n",
            ":3:47 track 't': steps[0]: a task step takes task, not 'subject'",
        ),
        ("model: m\ntracks:\n  - name: t\n    steps: [{action: fax}]\n", ":4:22 track 't': steps[0].action"),
    ],
)
def test_a_bad_file_is_refused_with_its_lines_and_exit_65(
    cli: CliRunner, tmp_path: Path, data: str | bytes, expected: str
) -> None:
    code, out = run(cli, "nurture", "check", write(tmp_path, data))
    assert code == 65 and expected in out, out


def test_a_missing_file_is_a_one_line_error(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "nurture", "check", str(tmp_path / "nope.yaml"))
    assert code == 66 and "no such file" in out


def test_load_checks_the_model_and_its_stages_against_the_published_models(
    cli: CliRunner, new_uow: NewUow, tmp_path: Path
) -> None:
    ready(new_uow)
    bad = NURTURE.replace("model: core-services", "model: core").replace("theme: cloud", "stage: decidin")
    code, out = run(cli, "nurture", "load", write(tmp_path, bad))
    assert code == 65
    assert "nurture.yaml:1:8 model: no published scoring model 'core'; published: core-services" in out
    code, out = run(
        cli, "nurture", "load", write(tmp_path, bad.replace("model: core", "model: core-services"))
    )
    assert code == 65 and ":5:19 track 'cloud': when.stage: expected one of early_interest" in out
    assert "error: 1 problem in the nurture file" in out


def test_load_puts_a_file_in_force_once_and_tracks_lists_it(cli: CliRunner, new_uow: NewUow) -> None:
    ready(new_uow)
    code, out = run(cli, "nurture", "load", EXAMPLE, "--author", "maija@firma.fi")
    assert (code, out.strip()) == (0, "nurture@v2 in force: 8 tracks for core-services")
    code, out = run(cli, "nurture", "load", EXAMPLE)
    assert out.strip() == "unchanged: nurture@v2 is already in force (8 tracks)"
    code, out = run(cli, "nurture", "tracks")
    assert code == 0 and all(len(line) <= 80 for line in out.splitlines())
    assert "cloud-explore     cloud        early_interest; need_recognised      4    29" in out
    code, out = run(cli, "nurture", "tracks", "--json")
    assert (
        '"after 5d: email \\"Five questions before moving to the cloud\\" (template cloud-questions)"' in out
    )


def test_run_once_reports_the_round_and_the_report_reads_well_at_80_columns(
    cli: CliRunner, new_uow: NewUow
) -> None:
    ready(new_uow)
    lead(new_uow, "anna@kivikoski.fi", at=1_000.0 + NOW)
    hand_raise(new_uow, "ville@kivikoski.fi", NOW)
    code, out = run(cli, "nurture", "run", "--once")
    assert (code, out.strip()) == (0, "nurture: 0 exited, 1 enrolled, 1 steps performed")
    code, out = run(cli, "nurture", "report")
    lines = out.splitlines()
    assert code == 0 and all(len(line) <= 80 for line in lines)
    header = " ".join(lines[1:4])
    for name in ("enrolled", "progressed", "qualified", "unsubscribed"):
        assert name in header.split(), header  # no column name is broken inside a word
    assert "hidden: active, completed (--wide shows them)" in out
    code, out = run(cli, "nurture", "report", "--csv")
    assert out.splitlines()[1] == "cloud,1,1,0,0,0,0,0,"
    code, out = run(cli, "nurture", "report", "--since", "yesterday")
    assert code == 65 and "--since 'yesterday'" in out


def test_people_show_tells_the_persons_nurture(cli: CliRunner, new_uow: NewUow) -> None:
    ready(new_uow)
    lead(new_uow, "anna@kivikoski.fi")
    run(cli, "nurture", "run", "--once")
    code, out = run(cli, "people", "show", "anna@kivikoski.fi")
    assert code == 0 and "nurture: cloud (core-services)\n  active, 1 of 3 steps done, next " in out


def test_commands_that_need_a_nurture_file_say_how_to_load_one(cli: CliRunner) -> None:
    for command in ("tracks", "report"):
        code, out = run(cli, "nurture", command)
        assert code == 66 and "no nurture file is loaded yet: `liidi nurture load FILE`" in out
