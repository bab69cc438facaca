"""The `liidi` command."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from liidi import __version__
from liidi import bootstrap as session
from liidi.cli import (
    backtest,
    batch,
    demo,
    export,
    feedback,
    models,
    notify,
    nurture,
    pacing,
    people,
    plan,
    records,
    report_funnel,
    reports,
    routing,
    scores,
    sla,
    targets,
)
from liidi.cli.common import Column, CsvFlag, JsonFlag, Listing, console, friendly, settings, show_list, uow
from liidi.services import keys

app = typer.Typer(
    name="liidi",
    help="liidi — the open lead-to-revenue engine. Settings come from LIIDI_* environment variables.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys (stored hashed, shown once).", no_args_is_help=True)
KEY_COLUMNS = (Column("prefix", key=True), Column("scope"), Column("state"), Column("name", least=12))
app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(people.people_app, name="people")
app.add_typer(people.accounts_app, name="accounts")
app.add_typer(demo.demo_app, name="demo")
app.add_typer(models.models_app, name="model")
app.add_typer(export.export_app, name="export")
app.add_typer(routing.routing_app, name="routing")
app.add_typer(sla.sla_app, name="sla")
app.add_typer(notify.webhooks_app, name="webhooks")
app.add_typer(notify.outbox_app, name="outbox")
app.add_typer(nurture.nurture_app, name="nurture")
app.add_typer(pacing.pacing_app, name="pacing")
app.command("import")(records.import_command)
app.command("explain")(scores.explain)
app.command("leads")(scores.leads_command)
app.command("backtest")(backtest.backtest_command)
app.command("score")(batch.score_command)
app.command("assign")(routing.assign_command)
app.command("worker")(friendly(notify.worker_command))
app.command("accept")(feedback.accept_command)
app.command("reject")(feedback.reject_command)
app.command("step-back")(feedback.step_back_command)
app.command("convert")(feedback.convert_command)
app.command("close")(feedback.close_command)
app.command("touch")(feedback.touch_command)
app.command("tasks")(friendly(pacing.tasks_command))
app.add_typer(feedback.reasons_app, name="reasons")
app.add_typer(reports.report_app, name="report")
app.add_typer(plan.plan_app, name="plan")
app.add_typer(targets.targets_app, name="targets")
reports.report_app.command("funnel")(friendly(report_funnel.funnel_command))
reports.report_app.command("velocity")(friendly(report_funnel.velocity_command))
reports.report_app.command("calibration")(friendly(report_funnel.calibration_command))
reports.report_app.command("mix")(friendly(report_funnel.mix_command))


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        console.print(f"liidi {__version__}")
        raise typer.Exit()


@db_app.command("upgrade")
@friendly
def db_upgrade(revision: Annotated[str, typer.Argument(help="Target revision.")] = "head") -> None:
    """Create or migrate the database schema to the latest version."""
    url = settings().database_url
    session.upgrade(url, revision)
    console.print(f"database at revision {revision}: {_safe(url)}", markup=False, highlight=False)


def _safe(url: str) -> str:
    head, at, tail = url.rpartition("@")
    return f"{head.split('//')[0]}//***@{tail}" if at else url


@keys_app.command("create")
@friendly
def keys_create(
    scope: Annotated[str, typer.Option(help="ingest (events and identify only) or admin (everything).")],
    name: Annotated[str, typer.Option(help="A label for the key, e.g. the system that uses it.")] = "",
) -> None:
    """Create an API key; the key is printed once and only its hash is stored."""
    created = keys.create_key(uow(), scope=scope, name=name)
    console.print(f"[bold]{created.secret}[/]", highlight=False, soft_wrap=True)
    console.print(
        f"scope {created.scope.value}, prefix {created.prefix}; store it now, it is not shown again."
    )


@keys_app.command("list")
@friendly
def keys_list(as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """List keys by prefix, scope and state (never the keys themselves)."""
    rows = [
        {
            "prefix": row["prefix"],
            "scope": row["scope"],
            "state": "revoked" if row["revoked_ts"] else "active",
            "name": row["name"],
        }
        for row in keys.list_keys(uow())
    ]
    show_list(Listing(KEY_COLUMNS, rows), as_json=as_json, as_csv=as_csv)


@keys_app.command("revoke")
@friendly
def keys_revoke(
    prefix: Annotated[str, typer.Argument(help="The key's prefix (second part of the key).")],
) -> None:
    """Revoke a key."""
    if not keys.revoke_key(uow(), prefix=prefix):
        from liidi.errors import NotFound

        raise NotFound(f"no active key with prefix {prefix}")
    console.print(f"revoked {prefix}", markup=False, highlight=False)


@app.command("serve")
@friendly
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default LIIDI_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default LIIDI_PORT).", min=1, max=65535)] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Worker processes sharing the port, each with its own pool.")
    ] = 1,
    dispatch: Annotated[
        bool,
        typer.Option(
            "--dispatch/--no-dispatch",
            help="Deliver the outbox in a background thread (default LIIDI_SERVE_DISPATCH); "
            "--no-dispatch when `liidi worker` runs.",
            show_default=False,
        ),
    ] = True,
) -> None:
    """Run the HTTP API server (OpenAPI docs at /docs) and, unless turned off, deliver the outbox."""
    from liidi.cli.serve import run_server

    conf = settings()
    feedback.configured_reasons()  # a broken reasons file stops here, every problem named by line
    run_server(
        conf,
        host=host or conf.host,
        port=port or conf.port,
        workers=workers,
        dispatch=dispatch and conf.serve_dispatch,
    )


@app.command("docs-cli", hidden=True)
def docs_cli(out: Annotated[Path, typer.Argument()] = Path("docs/cli.md")) -> None:
    """Write the CLI reference generated from --help."""
    from liidi.cli.reference import render

    out.write_text(render(app), encoding="utf-8")


def main() -> None:
    """Entry point of the `liidi` script."""
    app()
