"""`liidi model` end to end with CliRunner: check, add, publish, list and diff, and one-line errors."""

from __future__ import annotations

import re
from pathlib import Path

from typer.testing import CliRunner

from liidi.cli import app

ROOT = Path(__file__).resolve().parents[2]


def run(cli: CliRunner, *args: str) -> tuple[int, str]:
    result = cli.invoke(app, list(args), env={"COLUMNS": "200"})
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def model_file(tmp_path: Path, name: str, visit: float = 3, extra: str = "") -> str:
    path = tmp_path / name
    path.write_text(
        f"""model: core
grades: {{A: 60, B: 40, C: 20}}
fit:
  - {{name: decision maker, when: {{person.role: decision_maker}}, points: 30}}
engagement:
  - {{name: visit, when: {{event: page_view}}, points: {visit}, decay: {{half_life: 14d}}}}
{extra}""",
        encoding="utf-8",
    )
    return str(path)


def test_check_accepts_the_example_model(cli: CliRunner) -> None:
    code, out = run(cli, "model", "check", str(ROOT / "examples" / "scoring.yaml"))
    assert code == 0 and re.search(r"^ok: \d+ rules", out)


def test_check_reports_every_issue_of_a_bad_file_with_line_and_column(cli: CliRunner, tmp_path: Path) -> None:
    bad = model_file(tmp_path, "bad.yaml", extra="colour: blue\nqualify: {mql: 'grade >= Q'}\n")
    bad_text = Path(bad).read_text(encoding="utf-8").replace("half_life", "halflife")
    Path(bad).write_text(bad_text, encoding="utf-8")
    code, out = run(cli, "model", "check", bad)
    assert code == 65
    located = re.findall(rf"^{re.escape(bad)}:(\d+):(\d+) ", out, flags=re.MULTILINE)
    assert [line for line, _ in located] == ["6", "7", "8"]
    assert "unknown key 'colour'" in out and "halflife" in out and "3 problems" in out


def test_unknown_keys_are_errors(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "model", "check", model_file(tmp_path, "m.yaml", extra="treshold: 40\n"))
    assert code == 65 and ":7:1 " in out and "treshold" in out


def test_a_missing_file_or_broken_yaml_is_a_one_line_error(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "model", "check", str(tmp_path / "nope.yaml"))
    assert code == 66 and "no such file" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text("model: core\nfit: [\n", encoding="utf-8")
    code, out = run(cli, "model", "check", str(broken))
    assert code == 65 and f"{broken}:3:1 " in out and "not valid YAML" in out


def test_drafts_get_increasing_versions_and_publishing_retires_the_previous(
    cli: CliRunner, tmp_path: Path
) -> None:
    code, out = run(cli, "model", "add", model_file(tmp_path, "v1.yaml", visit=3), "--author", "maija")
    assert code == 0 and "core@v1 draft" in out
    code, out = run(cli, "model", "add", model_file(tmp_path, "v2.yaml", visit=5), "--author", "maija")
    assert code == 0 and "core@v2 draft" in out
    code, out = run(cli, "model", "publish", "core", "--version", "1")
    assert code == 0 and "published core@v1" in out and "rescored 0 people" in out
    code, out = run(cli, "model", "publish", "core")
    assert code == 0 and "published core@v2 (v1 retired)" in out
    code, out = run(cli, "model", "list", "core", "--csv")
    rows = [line.split(",")[:2] for line in out.splitlines()]
    assert rows == [["version", "status"], ["core@v2", "published"], ["core@v1", "retired"]]


def test_adding_a_bad_file_stores_nothing_and_exits_non_zero(cli: CliRunner, tmp_path: Path) -> None:
    code, out = run(cli, "model", "add", model_file(tmp_path, "m.yaml", extra="colour: blue\n"))
    assert code == 65 and "m.yaml:7:1 " in out
    code, out = run(cli, "model", "list")
    assert "core@v" not in out


def test_publishing_an_unknown_version_is_not_found(cli: CliRunner, tmp_path: Path) -> None:
    run(cli, "model", "add", model_file(tmp_path, "m.yaml"))
    code, out = run(cli, "model", "publish", "core", "--version", "5")
    assert code == 66 and "no version 5" in out


def test_diff_lists_changed_points_between_files_and_stored_versions(cli: CliRunner, tmp_path: Path) -> None:
    old, new = model_file(tmp_path, "old.yaml", visit=3), model_file(tmp_path, "new.yaml", visit=5)
    code, out = run(cli, "model", "diff", old, new)
    assert code == 0 and "engagement rule 'visit': points 3 → 5" in out
    run(cli, "model", "add", old)
    code, out = run(cli, "model", "diff", "core@v1", new)
    assert code == 0 and "points 3 → 5" in out
    code, out = run(cli, "model", "diff", "core@v1", old)
    assert code == 0 and "no differences" in out
    code, out = run(cli, "model", "diff", "core@v9", new)
    assert code == 66
