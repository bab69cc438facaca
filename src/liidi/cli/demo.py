"""`liidi demo`: generate a realistic B2B market into the store, or start the whole demo in one go."""

from __future__ import annotations

import json
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from liidi import bootstrap as session
from liidi.cli.common import console, err_console, friendly, settings, uow
from liidi.cli.demo_config import load_icp, load_plan, load_routing, load_sla, start_nurture
from liidi.services import keys, queries

demo_app = typer.Typer(
    help="Demo data: a generated B2B market with a known hidden buying process.", no_args_is_help=True
)


def _midnight_today() -> datetime:
    now = datetime.now(UTC)
    return now.replace(hour=0, minute=0, second=0, microsecond=0)


def generate_into_store(accounts: int, months: int, seed: int, end: datetime, truth: Path | None) -> None:
    """Generate a data set and load it, with progress bars."""
    from rich.progress import Progress

    from liidi.demo.generator import generate
    from liidi.services.demo import load_demo

    with console.status(f"generating {accounts} accounts × {months} months (seed {seed})…"):
        dataset = generate(accounts=accounts, months=months, seed=seed, end=end)
    with Progress(console=err_console) as bar:
        tasks = {
            "accounts": bar.add_task("accounts", total=len(dataset.accounts)),
            "people": bar.add_task("people", total=len(dataset.people)),
            "events": bar.add_task("events", total=len(dataset.events)),
        }
        result = load_demo(uow(), dataset=dataset, progress=lambda phase, n: bar.advance(tasks[phase], n))
    if truth is not None:
        truth.write_text(json.dumps(asdict(dataset.truth), indent=1), encoding="utf-8")
    if not any(asdict(result).values()):
        console.print(
            f"nothing added: the database already holds this market (seed {seed}); "
            "another --seed or --end generates new data",
            markup=False,
            highlight=False,
        )
        return
    console.print(
        f"added {result.accounts} accounts, {result.people} people, {result.events} events, "
        f"{result.identifies} identified visitors, {result.opportunities} deals, "
        f"{result.transitions} transitions",
        markup=False,
        highlight=False,
    )


def publish_model(path: Path) -> None:
    """Add the model file as a draft and publish it, rescoring everyone with a progress bar."""
    from rich.progress import Progress

    from liidi.services import models

    draft = models.add_draft(
        uow(), text=path.read_text(encoding="utf-8"), source_name=str(path), author="demo"
    )
    with Progress(console=err_console) as bar:
        task = bar.add_task(f"scoring with {draft.label}", total=queries.counts(uow())["people"])
        models.publish(
            lambda: uow(),
            name=draft.name,
            version=draft.version,
            author="demo",
            progress=lambda n: bar.advance(task, n),
        )
    console.print(f"published {draft.label}; try: .venv/bin/liidi leads --hot", markup=False, highlight=False)


@demo_app.command("generate")
@friendly
def demo_generate(
    accounts: Annotated[int, typer.Option(min=1, max=100_000, help="How many accounts (companies).")] = 600,
    months: Annotated[int, typer.Option(min=1, max=60, help="How many months of history.")] = 12,
    seed: Annotated[int, typer.Option(help="Random seed; the same seed gives the same data.")] = 42,
    end: Annotated[str | None, typer.Option(help="Last day of history, YYYY-MM-DD (default today).")] = None,
    truth: Annotated[
        Path | None, typer.Option(help="Also write the hidden ground truth to this JSON file.")
    ] = None,
) -> None:
    """Generate a realistic demo market and load it into the database (see docs/demo-data.md)."""
    session.upgrade(settings().database_url)
    end_at = _midnight_today()
    if end:
        try:
            end_at = datetime.fromisoformat(end).replace(tzinfo=UTC)
        except ValueError:
            from liidi.errors import FieldError, ValidationFailed

            raise ValidationFailed([FieldError("--end", end, "must be a date such as 2026-11-01")]) from None
    generate_into_store(accounts, months, seed, end_at, truth)


@demo_app.command("start")
@friendly
def demo_start(
    accounts: Annotated[
        int, typer.Option(min=1, help="Accounts to generate when the database is empty.")
    ] = 600,
    months: Annotated[int, typer.Option(min=1, max=60, help="Months of history to generate.")] = 12,
    serve: Annotated[bool, typer.Option(help="Start the server after loading.")] = True,
    model: Annotated[
        Path, typer.Option(help="Scoring model to publish when no model is published yet.")
    ] = Path("examples/scoring.yaml"),
    routing: Annotated[
        Path, typer.Option(help="Routing to put in force (before the model) when none is loaded yet.")
    ] = Path("examples/routing.yaml"),
    nurture_file: Annotated[
        Path, typer.Option("--nurture", help="Nurture file to put in force when none is loaded yet.")
    ] = Path("examples/nurture.yaml"),
    sla_file: Annotated[
        Path,
        typer.Option("--sla", help="SLA file to put in force (before the model) when none is loaded yet."),
    ] = Path("examples/sla.yaml"),
    plan_file: Annotated[
        Path,
        typer.Option("--plan", help="Weekly pacing plan to put in force when none is loaded yet."),
    ] = Path("examples/plan.yaml"),
    icp_file: Annotated[
        Path, typer.Option("--icp", help="Ideal-customer profile to put in force when none is loaded yet.")
    ] = Path("examples/icp.yaml"),
) -> None:
    """Migrate; the first run also generates data, publishes the model and creates an admin key; serve."""
    from liidi.services.demo import demo_state

    conf = settings()
    session.upgrade(conf.database_url)
    state = demo_state(uow())
    if state.people == 0:
        generate_into_store(accounts, months, 42, _midnight_today(), None)
    if state.routing:
        console.print(f"keeping the routing in force, {state.routing}", markup=False)
    elif routing.exists():
        load_routing(routing)
    if sla_file.exists():
        load_sla(sla_file)
    if state.published:
        console.print(f"keeping the published model {', '.join(state.published)}", markup=False)
    elif model.exists():
        publish_model(model)
    if (state.published or model.exists()) and nurture_file.exists():
        start_nurture(nurture_file)
    if plan_file.exists():
        load_plan(plan_file)
    if icp_file.exists():
        load_icp(icp_file)
    url = f"http://{conf.host}:{conf.port}"
    secret = _admin_key(state.admin_keys)
    console.print(f"\n[bold green]liidi demo is ready[/] at {url}  (API docs: {url}/docs)")
    _print_tries(url, secret)
    if serve:
        import uvicorn

        from liidi.api.app import create_app
        from liidi.notify.worker import start_in_background

        stop = start_in_background(uow, conf) if conf.serve_dispatch else None
        try:
            uvicorn.run(create_app(conf), host=conf.host, port=conf.port, log_level=conf.log_level.lower())
        finally:
            if stop is not None:
                stop()


def _admin_key(existing: tuple[str, ...]) -> str:
    """A new admin key on the first run; later runs keep the keys (which are shown only once)."""
    if not existing:
        key = keys.create_key(uow(), scope="admin", name="demo")
        console.print(f"admin API key: [bold]{key.secret}[/]", highlight=False, soft_wrap=True)
        return key.secret
    for line in (
        f"keeping the admin API keys ({', '.join(existing)}); a key is shown only when it is created.",
        "Create another, then export LIIDI_KEY=<the key> for the commands below:",
        "  .venv/bin/liidi keys create --scope admin --name NAME",
    ):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    return "$LIIDI_KEY"


def _print_tries(url: str, secret: str) -> None:
    """Commands to try next."""
    lines = [
        "try:",
        f"""  curl -H "Authorization: Bearer {secret}" '{url}/v1/people?limit=5'""",
        f"""  curl -H "Authorization: Bearer {secret}" '{url}/v1/accounts?tier=most_wanted'""",
        "  .venv/bin/liidi leads --hot",
        "  .venv/bin/liidi leads --owner mikko.korhonen@liidi-demo.example --waiting",
        "  .venv/bin/liidi routing report --since 2026-01-01",
        "  .venv/bin/liidi plan --revenue 50000          # how many leads this month",
        "  .venv/bin/liidi pacing report --weeks 8        # are we on pace",
        "  .venv/bin/liidi report funnel --by lead_tool   # where we lose them",
        "  .venv/bin/liidi report waste",
        "  .venv/bin/liidi people list --stage mql",
        "  .venv/bin/liidi explain <e-mail from the list>\n",
    ]
    for line in lines:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
