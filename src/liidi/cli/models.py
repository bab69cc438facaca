"""`liidi model`: check a scoring model file, store it as a draft, publish, list and compare versions."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from liidi.cli.common import (
    Column,
    CsvFlag,
    JsonFlag,
    Listing,
    WideFlag,
    console,
    err_console,
    friendly,
    progress_bar,
    show_list,
    uow,
)
from liidi.domain.bounds import MAX_INT32
from liidi.domain.events import from_epoch
from liidi.domain.scoring import SpecIssue, fingerprint, issues_of
from liidi.errors import FieldError, NotFound, SpecError, ValidationFailed
from liidi.services import models, queries

models_app = typer.Typer(
    help="Scoring models: check a file, add it as a draft, publish a version, list and diff versions.",
    no_args_is_help=True,
)
SPEC_EXIT = 65
VERSION_COLUMNS = (
    Column("version", key=True),
    Column("status"),
    Column("fingerprint", least=16, drop=2),
    Column("created", least=10),
    Column("published", least=10, drop=1),
    Column("author", drop=3),
)
AuthorOption = Annotated[
    str | None, typer.Option(help="Who makes the change (default: your login name).", show_default=False)
]


@models_app.command("check")
@friendly
def model_check(
    file: Annotated[Path, typer.Argument(help="A scoring model YAML file.")],
    data: Annotated[
        bool,
        typer.Option(
            "--data",
            help="Also compare the model with the store: warn about attributes, properties, event types "
            "and values no one has, and numeric tests on text.",
        ),
    ] = False,
    strict: Annotated[
        bool, typer.Option("--strict", help="With --data, exit 65 when there are warnings.")
    ] = False,
) -> None:
    """Check a model file and print every problem with its line and column (exit 65 when any).

    With --data, also compare the model with the store and print warnings, with line and column, about
    attributes, properties and event types no one has, values that never occur and numeric tests on
    text; warnings do not fail the check unless --strict is given.
    """
    text = read_text(file)
    with _spec_problems():
        model = models.check_model(text, str(file))
    rules = len(model.fit) + len(model.engagement) + len(model.signals) + len(model.product)
    console.print(
        f"ok: {rules} rules in model '{model.name}', fingerprint {fingerprint(model)}",
        markup=False,
        highlight=False,
    )
    if data and _data_warnings(text, str(file)) and strict:
        raise typer.Exit(SPEC_EXIT)


def _data_warnings(text: str, source: str) -> int:
    """Print the warnings of a check against the store, one per line, then what was compared."""
    checked = models.check_model_data(uow(), text, source)
    for issue in checked.warnings:
        where = f"{issue.source}:{issue.line}:{issue.column}"
        rule = f" {issue.rule}:" if issue.rule else ""
        err_console.print(
            f"{where}{rule} warning: {issue.reason}", markup=False, highlight=False, soft_wrap=True
        )
    p = checked.profile
    count = len(checked.warnings)
    summary = (
        f"{_many(count, 'warning')} against {_many(p.people, 'person', 'people')}, "
        f"{_many(p.accounts, 'account')} and {_many(p.events, 'event')}"
    )
    sampled = f" (sampled: {'; '.join(p.sampled)})" if p.sampled else ""
    console.print(summary + sampled, markup=False, highlight=False, soft_wrap=True)
    return count


@models_app.command("add")
@friendly
def model_add(
    file: Annotated[Path, typer.Argument(help="A scoring model YAML file.")],
    author: AuthorOption = None,
) -> None:
    """Store a model file as the next draft version of its model (nothing is stored if it has problems)."""
    with _spec_problems():
        added = models.add_draft(uow(), text=read_text(file), source_name=str(file), author=_who(author))
    console.print(
        f"{added.label} {added.status}, fingerprint {added.fingerprint}; "
        f"publish it with: liidi model publish {added.name} --version {added.version}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )


@models_app.command("publish")
@friendly
def model_publish(
    name: Annotated[str, typer.Argument(help="The model's name (its `model:` key).")],
    version: Annotated[
        int | None,
        typer.Option(help="The version to publish (default: the newest draft).", min=1, max=MAX_INT32),
    ] = None,
    author: AuthorOption = None,
) -> None:
    """Publish a version, retiring the published one, and rescore every person with it."""
    models.to_publish(uow(), name=name, version=version)
    total = queries.counts(uow())["people"]
    with progress_bar(f"rescoring with {escape(name)}", total) as advance:
        done = models.publish(uow, name=name, version=version, author=_who(author), progress=advance)
    replaced = f"v{done.previous_version} retired" if done.previous_version else "its first published version"
    if done.previous_version == done.version:
        replaced = "it was already published"
    console.print(
        f"published {done.label} ({replaced}); rescored {done.rescored} people", markup=False, highlight=False
    )


@models_app.command("list")
@friendly
def model_list(
    name: Annotated[str | None, typer.Argument(help="Only this model's versions.")] = None,
    wide: WideFlag = False,
    as_json: JsonFlag = False,
    as_csv: CsvFlag = False,
) -> None:
    """List stored versions, newest first, with status, fingerprint and author."""
    rows = [
        {
            "version": v.label,
            "status": v.status,
            "fingerprint": v.fingerprint,
            "created": _when(v.created_ts),
            "published": _when(v.published_ts) if v.published_ts is not None else "",
            "author": v.author,
        }
        for v in models.list_versions(uow(), name=name)
    ]
    show_list(Listing(VERSION_COLUMNS, rows), as_json=as_json, as_csv=as_csv, wide=wide)


@models_app.command("diff")
@friendly
def model_diff(
    a: Annotated[str, typer.Argument(help="The old model: a YAML file or a stored version such as core@v1.")],
    b: Annotated[str, typer.Argument(help="The new model: a YAML file or a stored version such as core@v2.")],
) -> None:
    """List what changed from A to B in plain words, one line per change."""
    old, new = _source(a), _source(b)
    with _spec_problems():
        changes = models.diff_texts(old, a, new, b)
    for line in changes:
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if not changes:
        console.print("no differences", markup=False, highlight=False)


def _many(count: int, one: str, many: str = "") -> str:
    """'1 event', '3 events', '1 person', '2 people'."""
    return f"{count:,} {one if count == 1 else many or one + 's'}"


def read_text(path: Path) -> str:
    """A file's UTF-8 text; a missing or unreadable file is a one-line error."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"no such file: {path}") from None
    except UnicodeDecodeError as error:
        reason = f"is not UTF-8 text (byte {error.start})"
        raise ValidationFailed([FieldError("file", str(path), reason)], f"{path} {reason}") from None
    except OSError as error:
        reason = error.strerror or "cannot be read"
        raise ValidationFailed([FieldError("file", str(path), reason)], f"{path}: {reason}") from None


def _source(ref: str) -> str:
    """The YAML of a file path, or of a stored version named like 'core-services@v3'."""
    label = models.parse_label(ref)
    if label is None or Path(ref).exists():
        return read_text(Path(ref))
    return models.get_version(uow(), name=label[0], version=label[1]).source


@contextmanager
def _spec_problems() -> Iterator[None]:
    """Print every problem of an invalid model, one per line, and exit 65."""
    try:
        yield
    except SpecError as error:
        _report(issues_of(error))
        raise typer.Exit(SPEC_EXIT) from None


def _report(issues: list[SpecIssue]) -> None:
    """'file:line:column rule: reason' per issue, then a count."""
    for issue in sorted(issues, key=lambda i: (i.source, i.line, i.column)):
        err_console.print(issue.one_line(), markup=False, highlight=False, soft_wrap=True)
    noun = "problem" if len(issues) == 1 else "problems"
    err_console.print(f"[bold red]error:[/] {len(issues)} {noun} in the scoring model", highlight=False)


def _who(author: str | None) -> str:
    """The given author, or the login name."""
    if author:
        return author
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _when(ts: float) -> str:
    """Epoch seconds as 'YYYY-MM-DD HH:MM' UTC."""
    return from_epoch(ts).strftime("%Y-%m-%d %H:%M")
