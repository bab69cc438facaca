"""`liidi import history` and `liidi import deals` load a CRM's past from CSV files."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from liidi.cli import app, common
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import tables

PIPELINE = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\r\n"
    "1C1I7A6R,Moses Frase,GTX Plus Basic,Cancity,Won,2016-10-20,2017-03-01,1054\r\n"
    "Z063OYW0,Darcel Schlecht,GTXPro,Cancity,Lost,2016-10-25,2017-03-11,0\r\n"
    "EC4QE1BX,Darcel Schlecht,MG Special,,Prospecting,,,\r\n"
)
DEAL_MAP = [
    "external_id=opportunity_id",
    "owner=sales_agent",
    "name=product",
    "account_name=account",
    "stage=deal_stage",
    "created_at=engage_date",
    "closed_at=close_date",
    "amount=close_value",
]


def run(cli: CliRunner, *args: str) -> str:
    result = cli.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_stage_changes_from_a_file_keep_their_dates_and_a_second_run_adds_nothing(
    cli: CliRunner, tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_text("email\nanna@firma.fi\n")
    run(cli, "import", "people", str(people))
    path = tmp_path / "history.csv"
    path.write_text(
        "Email,Stage,When,Who\nanna@firma.fi,mql,2017-01-05,crm\nanna@firma.fi,customer,2017-03-01,crm\n"
    )
    maps = ["--map", "email=Email", "--map", "to=Stage", "--map", "occurred_at=When", "--map", "actor=Who"]
    assert "2 stage changes read: 2 new, 0 already stored" in run(cli, "import", "history", str(path), *maps)
    assert "2 stage changes read: 0 new, 2 already stored" in run(cli, "import", "history", str(path), *maps)
    shown = run(cli, "people", "show", "anna@firma.fi")
    assert "customer" in shown


def test_a_bad_history_row_is_named_by_its_line_and_nothing_is_stored(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "history.csv"
    path.write_text("email,to,occurred_at\nanna@firma.fi,mql,2017-01-05\nanna@firma.fi,won,2017-03-01\n")
    result = cli.invoke(app, ["import", "history", str(path)])
    assert result.exit_code == 65, result.output
    assert "history.csv line 3: to='won'" in result.output


def test_deals_shaped_like_a_crm_pipeline_are_upserted_by_their_id(cli: CliRunner, tmp_path: Path) -> None:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,domain\nCancity,cancity.example\n")
    run(cli, "import", "accounts", str(accounts))
    path = tmp_path / "sales_pipeline.csv"
    path.write_text(PIPELINE)
    maps = [a for pair in DEAL_MAP for a in ("--map", pair)]
    assert "3 deals read: 3 new, 0 updated, 0 unchanged" in run(cli, "import", "deals", str(path), *maps)
    assert "3 deals read: 0 new, 0 updated, 3 unchanged" in run(cli, "import", "deals", str(path), *maps)
    path.write_text(
        PIPELINE.replace("EC4QE1BX,Darcel Schlecht,MG Special,,Prospecting,,,", "EC4QE1BX,,x,,Lost,,,")
    )
    assert "3 deals read: 0 new, 1 updated, 2 unchanged" in run(cli, "import", "deals", str(path), *maps)


def test_imported_people_and_accounts_keep_their_creation_date(cli: CliRunner, tmp_path: Path) -> None:
    people = tmp_path / "people.csv"
    people.write_text("email,Lead Date\nanna@firma.fi,2016-10-20\n")
    run(cli, "import", "people", str(people), "--map", "created_at=Lead Date")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("domain,created_at\ncancity.example,1476921600\n")
    run(cli, "import", "accounts", str(accounts))
    with UnitOfWork(common.engine()) as uow:
        created = uow.conn.execute(select(tables.people.c.created_ts)).scalar_one()
        account = uow.conn.execute(
            select(tables.accounts.c.created_ts).where(tables.accounts.c.domain == "cancity.example")
        ).scalar_one()
    assert created == account == 1476921600.0
