"""Use cases on scoring model versions: add a draft, publish it (and rescore), list, read and compare."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.exc import IntegrityError

from liidi.domain.messages import ModelPublished
from liidi.domain.scoring import ScoringModel, SpecIssue, diff_specs, fingerprint, load_model_text
from liidi.domain.scoring.data_check import DataProfile, data_warnings
from liidi.errors import Conflict, FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.scoring import rescore_model
from liidi.services.unit_of_work import UnitOfWork

MAX_NAME = 80  # the label 'name@vN' must fit the 100-character model_version columns
MAX_AUTHOR = 254


@dataclass(frozen=True, slots=True)
class ModelVersion:
    """One stored version of a scoring model."""

    name: str
    version: int
    status: str
    fingerprint: str
    created_ts: float
    published_ts: float | None
    author: str
    source: str = field(default="", repr=False)

    @property
    def label(self) -> str:
        """'core-services@v3': how scores and lifecycle changes name the version."""
        return f"{self.name}@v{self.version}"


@dataclass(frozen=True, slots=True)
class PublishResult:
    """What a publish did: the version published, the one it replaced, how many people were rescored."""

    name: str
    version: int
    previous_version: int | None
    rescored: int

    @property
    def label(self) -> str:
        """The published version's label."""
        return f"{self.name}@v{self.version}"


def check_model(text: str, source_name: str) -> ScoringModel:
    """A model's YAML checked as `add_draft` checks it, without storing anything."""
    model = load_model_text(text, source_name)
    if len(model.name) > MAX_NAME:
        raise ValidationFailed([FieldError("model", model.name, f"must be at most {MAX_NAME} characters")])
    return model


@dataclass(frozen=True, slots=True)
class DataCheck:
    """A valid model checked against the store: warnings (line and column) and the profile compared with."""

    model: ScoringModel
    warnings: list[SpecIssue]
    profile: DataProfile


def check_model_data(uow: UnitOfWork, text: str, source_name: str) -> DataCheck:
    """Check a model as `check_model` does, then warn about what its rules read that the store lacks."""
    model = check_model(text, source_name)
    with uow:
        profile = uow.profile.data_profile()
    return DataCheck(model, data_warnings(text, source_name, profile), profile)


def to_publish(uow: UnitOfWork, *, name: str, version: int | None = None) -> ModelVersion:
    """The version `publish` would publish; the same errors when there is none."""
    with uow:
        return _version(_chosen(uow.models.list(name), name, version))


def add_draft(
    uow: UnitOfWork, *, text: str, source_name: str, author: str, now: float | None = None
) -> ModelVersion:
    """Check a model's YAML and store it as the next draft; an unchanged model returns the newest version."""
    model = check_model(text, source_name)
    _check_lengths(model.name, author)
    stamp = fingerprint(model)
    ts = resolve_now(now)
    with uow:
        newest = uow.models.list(model.name)
        if newest and newest[0]["fingerprint"] == stamp:
            return _version(newest[0])
        values = _draft_values(uow, model, text, stamp, author, ts)
        try:
            uow.models.add(values)
        except IntegrityError:
            raise Conflict(
                f"another version of '{model.name}' was added at the same time; try again"
            ) from None
        uow.commit()
    return _version(values)


def publish(
    new_uow: Callable[[], UnitOfWork],
    *,
    name: str,
    version: int | None = None,
    author: str,
    progress: Callable[[int], None] | None = None,
    now: float | None = None,
) -> PublishResult:
    """Publish a version (default: the newest, if a draft) in place of the published one; rescore everyone."""
    ts = resolve_now(now)
    uow = new_uow()
    with uow:
        uow.models.lock(name)
        rows = uow.models.list(name)
        chosen = _chosen(rows, name, version)
        previous = next((r["version"] for r in rows if r["status"] == "published"), None)
        if chosen["status"] != "published":
            uow.models.retire_published(name)
            uow.models.set_status(name, chosen["version"], "published", ts)
            version = int(chosen["version"])
            uow.outbox.add(ModelPublished(name, version, previous_version=previous, author=author), ts)
        uow.commit()
    rescored = rescore_model(new_uow, name=name, progress=progress, now=ts)
    return PublishResult(name, int(chosen["version"]), previous, rescored)


def list_versions(uow: UnitOfWork, *, name: str | None = None) -> list[ModelVersion]:
    """Every stored version, by model name and newest first."""
    with uow:
        return [_version(row) for row in uow.models.list(name)]


def get_version(uow: UnitOfWork, *, name: str, version: int) -> ModelVersion:
    """One version, with its YAML source."""
    with uow:
        row = uow.models.get(name, version)
    if row is None:
        raise NotFound(f"no version {version} of scoring model '{name}'")
    return _version(row)


def diff_versions(uow: UnitOfWork, *, name: str, a: int, b: int) -> list[str]:
    """What changed from version a to version b of a model, one line per change."""
    old, new = get_version(uow, name=name, version=a), get_version(uow, name=name, version=b)
    return diff_texts(old.source, old.label, new.source, new.label)


def diff_texts(old_text: str, old_name: str, new_text: str, new_name: str) -> list[str]:
    """What changed between two models given as YAML texts (files or stored versions)."""
    return diff_specs(load_model_text(old_text, old_name), load_model_text(new_text, new_name))


def parse_label(label: str) -> tuple[str, int] | None:
    """'core-services@v3' → ('core-services', 3); None when the text is not a version label."""
    name, at, number = label.rpartition("@v")
    if not at or not name or not number.isdigit():
        return None
    return name, int(number)


def _chosen(rows: list[dict[str, Any]], name: str, version: int | None) -> dict[str, Any]:
    """The row to publish: the asked-for version, or the newest version when it is a draft."""
    if not rows:
        raise NotFound(f"no scoring model named '{name}'")
    if version is None:
        newest = rows[0]
        if newest["status"] != "draft":
            raise NotFound(
                f"scoring model '{name}' has no draft newer than v{newest['version']}; name a version"
            )
        return newest
    row = next((r for r in rows if r["version"] == version), None)
    if row is None:
        raise NotFound(f"no version {version} of scoring model '{name}'")
    return row


def _draft_values(
    uow: UnitOfWork, model: ScoringModel, text: str, stamp: str, author: str, ts: float
) -> dict[str, Any]:
    """The row of a new draft."""
    return {
        "name": model.name,
        "version": uow.models.next_version(model.name),
        "status": "draft",
        "source": text,
        "fingerprint": stamp,
        "created_ts": ts,
        "published_ts": None,
        "author": author,
    }


def _check_lengths(name: str, author: str) -> None:
    """Names and authors must fit their columns."""
    errors = []
    if len(name) > MAX_NAME:
        errors.append(FieldError("model", name, f"must be at most {MAX_NAME} characters"))
    if not author.strip() or len(author) > MAX_AUTHOR:
        errors.append(FieldError("author", author, f"must be 1 to {MAX_AUTHOR} characters"))
    if errors:
        raise ValidationFailed(errors)


def _version(row: dict[str, Any]) -> ModelVersion:
    """A stored row as a ModelVersion."""
    return ModelVersion(
        name=row["name"],
        version=int(row["version"]),
        status=row["status"],
        fingerprint=row["fingerprint"],
        created_ts=float(row["created_ts"]),
        published_ts=None if row["published_ts"] is None else float(row["published_ts"]),
        author=row["author"],
        source=row["source"],
    )
