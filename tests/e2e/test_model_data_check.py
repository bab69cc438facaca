"""`liidi model check --data` and `POST /v1/models/check`: warnings from the store, with line and column."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from liidi.cli import app
from liidi.services.unit_of_work import UnitOfWork
from tests.e2e.conftest import Api
from tests.integration.test_model_data_check import CLEAN, load_leads

NewUow = Callable[[], UnitOfWork]
TYPO = CLEAN.replace("traits.Specialization: {not: Select}", "traits.Totalvisits: {above: 3}")


def check(cli: CliRunner, path: Path, *flags: str) -> tuple[int, str]:
    result = cli.invoke(app, ["model", "check", str(path), *flags])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def test_check_data_prints_each_warning_with_line_and_column_and_exits_0(
    cli: CliRunner, new_uow: NewUow, tmp_path: Path
) -> None:
    load_leads(new_uow)
    path = tmp_path / "leads.yaml"
    path.write_text(TYPO, encoding="utf-8")
    code, out = check(cli, path, "--data")
    assert code == 0
    assert re.search(
        rf"^{re.escape(str(path))}:7:12 fit rule 'specialised': warning: no person has", out, re.M
    )
    assert "closest: 'person.traits.TotalVisits'" in out
    assert "1 warning against 3 people, 1 account and 1 event" in out and "ok: 3 rules" in out


def test_check_data_strict_fails_on_warnings_and_passes_a_clean_model(
    cli: CliRunner, new_uow: NewUow, tmp_path: Path
) -> None:
    load_leads(new_uow)
    typo, clean = tmp_path / "typo.yaml", tmp_path / "clean.yaml"
    typo.write_text(TYPO, encoding="utf-8")
    clean.write_text(CLEAN, encoding="utf-8")
    assert check(cli, typo, "--data", "--strict")[0] == 65
    code, out = check(cli, clean, "--data", "--strict")
    assert code == 0 and "0 warnings against 3 people" in out


def test_check_without_data_does_not_read_the_store(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "typo.yaml"
    path.write_text(TYPO, encoding="utf-8")
    code, out = check(cli, path)
    assert code == 0 and "warning" not in out


def test_the_api_check_returns_warnings_with_line_and_column(api: Api, new_uow: NewUow) -> None:
    load_leads(new_uow)
    reply = api.client.post("/v1/models/check", json={"source": TYPO, "data": True}, headers=api.admin)
    assert reply.status_code == 200, reply.text
    body = reply.json()
    assert (body["name"], body["rules"], body["people"], body["events"]) == ("leads", 3, 3, 1)
    (warning,) = body["warnings"]
    assert (warning["line"], warning["column"], warning["rule"]) == (7, 12, "fit rule 'specialised'")
    assert "closest: 'person.traits.TotalVisits'" in warning["reason"]


def test_the_api_check_without_data_has_no_warnings_and_refuses_a_bad_model(api: Api) -> None:
    reply = api.client.post("/v1/models/check", json={"source": TYPO}, headers=api.admin)
    assert reply.status_code == 200 and reply.json()["warnings"] == [] and reply.json()["people"] is None
    bad = api.client.post("/v1/models/check", json={"source": "model: x\nfit: 3\n"}, headers=api.admin)
    assert bad.status_code == 422 and bad.json()["error"]["errors"][0]["line"] == 2
    assert api.client.post("/v1/models/check", json={"source": TYPO}, headers=api.ingest).status_code == 403
