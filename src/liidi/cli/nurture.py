"""`liidi nurture`: check and load nurture.yaml, list its tracks, run nurture rounds, report per track."""

from __future__ import annotations

import getpass
import textwrap
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from liidi.cli.args import parse_moment
from liidi.cli.common import (
    Column,
    CsvFlag,
    JsonFlag,
    Listing,
    WideFlag,
    console,
    err_console,
    friendly,
    show_list,
    uow,
)
from liidi.cli.models import read_text
from liidi.domain.nurture import EntryRules, NurtureCatalog, Track
from liidi.domain.scoring import issues_of
from liidi.errors import FieldError, SpecError
from liidi.services import nurture

nurture_app = typer.Typer(
    help="Nurture tracks for leads not ready for sales: check, load, run and report.",
    no_args_is_help=True,
)
SPEC_EXIT = 65
TRACK_COLUMNS = (
    Column("track", key=True),
    Column("themes", least=10),
    Column("stages", least=14, drop=2),
    Column("steps", right=True),
    Column("days", right=True, drop=1),
)
REPORT_COLUMNS = (  # numbers never squeeze below their names, so names never break inside a word
    Column("track", key=True),
    Column("enrolled", right=True),
    Column("active", right=True, drop=4, least=6),
    Column("completed", right=True, drop=3, least=9),
    Column("progressed", right=True, least=10),
    Column("qualified", right=True, least=9),
    Column("unsubscribed", right=True, drop=1, least=12),
    Column("disqualified", right=True, drop=2, least=12),
    Column("median days to qualify", right=True),
)


@nurture_app.command("check")
@friendly
def nurture_check(
    file: Annotated[Path, typer.Argument(help="A nurture YAML file (see docs/nurture.md).")],
) -> None:
    """Check a nurture file and print every problem with its line and column (exit 65 when any).

    The file is checked on its own; `load` also checks its model and stages against the published models.
    """
    catalog = _checked(lambda text: nurture.check_nurture(text, str(file)), read_text(file))
    for line in _describe(catalog):
        _say(
            textwrap.fill(line, width=console.width, subsequent_indent=" " * 5)
            if line.startswith("  ")
            else line
        )


@nurture_app.command("load")
@friendly
def nurture_load(
    file: Annotated[Path, typer.Argument(help="A nurture YAML file (see docs/nurture.md).")],
    author: Annotated[
        str | None, typer.Option(help="Who makes the change (default: your login name).", show_default=False)
    ] = None,
) -> None:
    """Check a nurture file against the published models and put it in force (exit 65 with its problems)."""
    text = read_text(file)
    who = author or getpass.getuser()
    loaded = _checked(lambda t: nurture.load_nurture(uow(), text=t, source_name=str(file), author=who), text)
    doc = loaded.document
    count = len(loaded.catalog.tracks)
    if loaded.created:
        _say(f"{doc.label} in force: {count} tracks for {loaded.catalog.model}")
    else:
        _say(f"unchanged: {doc.label} is already in force ({count} tracks)")


@nurture_app.command("tracks")
@friendly
def nurture_tracks(wide: WideFlag = False, as_json: JsonFlag = False, as_csv: CsvFlag = False) -> None:
    """List the tracks of the nurture file in force, in the order they are tried."""
    loaded = nurture.show_nurture(uow())
    rows = [_track_row(track) for track in loaded.catalog.tracks]
    items = [
        row | {"steps": [step.describe() for step in track.steps]}
        for row, track in zip(rows, loaded.catalog.tracks, strict=True)
    ]
    title = f"{loaded.document.label}: {loaded.catalog.model}" if not (as_json or as_csv) else None
    show_list(Listing(TRACK_COLUMNS, rows, items, title), as_json=as_json, as_csv=as_csv, wide=wide)


@nurture_app.command("run")
@friendly
def nurture_run(
    once: Annotated[bool, typer.Option("--once", help="Run one round and exit.")] = False,
    every: Annotated[
        float, typer.Option(min=1.0, max=86400.0, help="Seconds between rounds when running on.")
    ] = 60.0,
) -> None:
    """Run nurture rounds: exit who must leave, enrol not-ready leads, perform due steps (Ctrl-C stops)."""
    try:  # Ctrl-C ends the loop quietly, between rounds or in one (its batch is rolled back)
        while True:
            done = nurture.tick(uow)
            if once or done.exited or done.enrolled or done.performed:
                _say(_round(done))
            if once:
                return
            time.sleep(every)
    except KeyboardInterrupt:
        return


@nurture_app.command("report")
@friendly
def nurture_report(
    since: Annotated[
        str | None, typer.Option(help="Only people enrolled from this moment (an ISO date or epoch seconds).")
    ] = None,
    until: Annotated[str | None, typer.Option(help="Only people enrolled before this moment.")] = None,
    wide: WideFlag = False,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """Results per track: enrolled, progressed a stage, qualified, unsubscribed, median days to qualify."""
    start = parse_moment(since, "--since") if since is not None else None
    end = parse_moment(until, "--until") if until is not None else None
    report = nurture.nurture_report(uow(), since=start, until=end)
    rows = [_result_row(r.as_dict()) for r in report.results]
    items = [r.as_dict() for r in report.results]
    title = f"{report.document}: {report.model}" if not (as_json or as_csv) else None
    show_list(Listing(REPORT_COLUMNS, rows, items, title), as_json=as_json, as_csv=as_csv, wide=wide)


def _round(done: nurture.Tick) -> str:
    return f"nurture: {done.exited} exited, {done.enrolled} enrolled, {done.performed} steps performed"


def _checked(work: Any, text: str) -> Any:
    """Run a check or load; print every problem of an invalid file, one per line, and exit 65."""
    try:
        return work(text)
    except SpecError as error:
        _report(issues_of(error))
        raise typer.Exit(SPEC_EXIT) from None


def _report(issues: list[FieldError]) -> None:
    for issue in issues:
        err_console.print(issue.one_line(), markup=False, highlight=False, soft_wrap=True)
    noun = "problem" if len(issues) == 1 else "problems"
    err_console.print(f"[bold red]error:[/] {len(issues)} {noun} in the nurture file", highlight=False)


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False)


def _describe(catalog: NurtureCatalog) -> list[str]:
    """'ok: 8 tracks for model core-services', who enters, then each track with its steps."""
    lines = [
        f"ok: {len(catalog.tracks)} tracks for model {catalog.model}",
        f"enter: {_who_enters(catalog.entry)}",
    ]
    for track in catalog.tracks:
        lines.append(f"{track.name}: {_wanted(track)}")
        lines += [f"  {i}. {step.describe()}" for i, step in enumerate(track.steps, 1)]
    return lines


def _who_enters(entry: EntryRules) -> str:
    """'not-ready leads of grades A/B/C scoring 10 or more, and recycled leads'."""
    grades = f" of grades {'/'.join(sorted(entry.grades))}" if entry.grades else ""
    score = f" scoring {entry.min_score:g} or more" if entry.min_score is not None else ""
    who = [f"not-ready leads{grades}{score}"] * entry.not_ready + ["recycled leads"] * entry.recycled
    return ", and ".join(who) or "nobody"


def _wanted(track: Track) -> str:
    themes = f"theme {'/'.join(sorted(track.themes))}" if track.themes else "any theme"
    stages = f"stage {'/'.join(sorted(track.stages))}" if track.stages else "any stage"
    return f"{themes}, {stages}"


def _track_row(track: Track) -> dict[str, Any]:
    return {
        "track": track.name,
        "themes": sorted(track.themes) or "any",
        "stages": sorted(track.stages) or "any",
        "steps": len(track.steps),
        "days": sum(step.wait_days for step in track.steps),
    }


def _result_row(result: dict[str, Any]) -> dict[str, Any]:
    days = result["median_days_to_qualify"]
    return result | {"median days to qualify": round(days, 1) if days is not None else None}
