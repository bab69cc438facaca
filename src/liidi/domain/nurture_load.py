"""nurture.yaml → NurtureCatalog, reporting every problem with its line, column and track."""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path

import yaml

from liidi.domain.nurture import EntryRules, NurtureCatalog, Track
from liidi.domain.nurture_steps_load import LIMITS, NurtureReader, StepLoader
from liidi.domain.scoring.issues import SpecIssue
from liidi.domain.scoring.yamlread import Fields, Where, scalar, shown
from liidi.errors import SpecError

TOP_KEYS = ("nurture", "description", "model", "enter", "tracks")
ENTER_KEYS = ("recycled", "not_ready")
NOT_READY_KEYS = ("grades", "min_score")
TRACK_KEYS = ("name", "description", "when", "steps")
WHEN_KEYS = ("theme", "stage")
GRADES = ("A", "B", "C", "D")
MAX_TRACKS = 200


def load_nurture_text(
    text: str, source_name: str = "<nurture>", known: Mapping[str, Sequence[str]] | None = None
) -> NurtureCatalog:
    """Load a nurture file's text; raise SpecError listing every problem.

    With `known` (each published model's buying stages in order), the model must be one of them and
    every stage a track names must be one of its stages.
    """
    catalog, issues = _load(text, source_name, known)
    if issues or catalog is None:
        raise nurture_error(issues)
    return catalog


def load_nurture_file(path: str | os.PathLike[str]) -> NurtureCatalog:
    """Load a nurture file (UTF-8 YAML)."""
    return load_nurture_text(Path(path).read_text(encoding="utf-8"), str(path))


def check_nurture_text(
    text: str, source_name: str = "<nurture>", known: Mapping[str, Sequence[str]] | None = None
) -> list[SpecIssue]:
    """Every problem in a nurture file's text in file order, without raising (empty when it is valid)."""
    return sorted(_load(text, source_name, known)[1], key=lambda i: (i.line, i.column))


def nurture_error(issues: Sequence[SpecIssue]) -> SpecError:
    """One SpecError carrying every issue, sorted by position."""
    ordered = sorted(issues, key=lambda i: (i.source, i.line, i.column))
    noun = "problem" if len(ordered) == 1 else "problems"
    message = f"{len(ordered)} {noun} in the nurture file:\n" + "\n".join(i.one_line() for i in ordered)
    return SpecError(list(ordered), message)


def fingerprint(catalog: NurtureCatalog) -> str:
    """16 hex digits of SHA-256 over the catalog; unchanged by comments and layout."""
    text = json.dumps(asdict(catalog), sort_keys=True, default=sorted, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _load(
    text: str, source: str, known: Mapping[str, Sequence[str]] | None
) -> tuple[NurtureCatalog | None, list[SpecIssue]]:
    reader = NurtureReader(source)
    root = reader.compose(text)
    loaded = _NurtureLoader(reader, known).load(root) if root is not None else None
    return (None if reader.issues else loaded), reader.issues


class _NurtureLoader:
    """Builds the entry rules, then each track and its steps."""

    def __init__(self, reader: NurtureReader, known: Mapping[str, Sequence[str]] | None) -> None:
        self.r = reader
        self.known = known
        self.stages: Sequence[str] | None = None

    def load(self, root: yaml.Node) -> NurtureCatalog | None:
        """The top-level mapping: a name, a description, the model, the entry rules and the tracks."""
        f = self.r.mapping(root, Where("nurture", ""), TOP_KEYS, required=("model", "tracks"))
        if f is None:
            return None
        texts = {key: self.optional_text(f, key) for key in ("nurture", "description")}
        model = self.model(f.get("model"))
        entry = self.entry(f.get("enter"))
        tracks = self.tracks(f.get("tracks"))
        if model is None or entry is None or tracks is None:
            return None
        return NurtureCatalog(model, tuple(tracks), entry, texts["nurture"] or "", texts["description"] or "")

    def optional_text(self, f: Fields, key: str) -> str | None:
        node = f.get(key)
        return self.r.bounded(node, Where(key, key), key, empty_ok=True) if node is not None else None

    def model(self, node: yaml.Node | None) -> str | None:
        """The scoring model whose themes and buying stages key the tracks (published, when known)."""
        where = Where("model", "model")
        name = self.r.bounded(node, where, "model") if node is not None else None
        if name is None or self.known is None:
            return name
        if name not in self.known:
            published = ", ".join(sorted(self.known)) or "none yet"
            self.r.report(node, where, f"no published scoring model '{name}'; published: {published}", name)
            return None
        self.stages = tuple(self.known[name])
        return name

    def entry(self, node: yaml.Node | None) -> EntryRules | None:
        """`enter: {recycled: true, not_ready: {grades: [A, B, C], min_score: 5}}` (or `not_ready: false`)."""
        if node is None:
            return EntryRules()
        where = Where("enter", "enter")
        f = self.r.mapping(node, where, ENTER_KEYS)
        if f is None:
            return None
        recycled = self.flag(f.get("recycled"), where.key("recycled"))
        ready = f.get("not_ready")
        if ready is None or isinstance(ready, yaml.ScalarNode):
            on = self.flag(ready, where.key("not_ready"))
            return None if recycled is None or on is None else EntryRules(recycled, on)
        rules = self.not_ready(ready, where.key("not_ready"))
        return None if recycled is None or rules is None else EntryRules(recycled, True, *rules)

    def flag(self, node: yaml.Node | None, where: Where) -> bool | None:
        """true or false (true when absent)."""
        if node is None:
            return True
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, bool):
            self.r.report(node, where, f"expected true or false, got {shown(node)}")
            return None
        return value

    def not_ready(self, node: yaml.Node, where: Where) -> tuple[frozenset[str], float | None] | None:
        """The grades a not-ready lead must have (any when absent) and the least score (none when absent)."""
        f = self.r.mapping(node, where, NOT_READY_KEYS)
        if f is None:
            return None
        grades = self.choices(f.get("grades"), where.key("grades"), GRADES, 1)
        score_node = f.get("min_score")
        score = self.r.number(score_node, where.key("min_score")) if score_node is not None else None
        if score is not None and not math.isfinite(score):
            self.r.report(score_node, where.key("min_score"), f"expected a finite number, got {score}")
            return None
        if grades is None or (score_node is not None and score is None):
            return None
        return frozenset(grades), score

    def choices(
        self, node: yaml.Node | None, where: Where, allowed: Sequence[str] | None, limit: int
    ) -> list[str] | None:
        """One value or a list of them (of `allowed` when given); an empty list when the key is absent."""
        if node is None:
            return []
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if not items:
            self.r.report(node, where, "expected a value or a list of them, got an empty list")
            return None
        values = [self.choice(item, where, allowed, limit) for item in items]
        return None if any(v is None for v in values) else [str(v) for v in values]

    def choice(self, node: yaml.Node, where: Where, allowed: Sequence[str] | None, limit: int) -> str | None:
        """One text value, of `allowed` when given, at most `limit` characters."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if allowed is not None and value not in allowed:
            listed = ", ".join(allowed) or "none (the model computes no buying stage)"
            self.r.report(node, where, f"expected one of {listed}, got {shown(node)}", value)
            return None
        if not isinstance(value, str) or not value.strip():
            self.r.report(node, where, f"expected text, got {shown(node)}", value)
            return None
        if len(value) > limit:
            self.r.report(node, where, f"expected at most {limit} characters, got {len(value)}", value[:40])
            return None
        return value

    def tracks(self, node: yaml.Node | None) -> list[Track] | None:
        """The list of tracks, names unique, none hidden by one above it."""
        where = Where("tracks", "tracks")
        items = self.r.sequence(node, where) if node is not None else None
        if items is None:
            return None
        if not items or len(items) > MAX_TRACKS:
            self.r.report(node, where, f"give between 1 and {MAX_TRACKS} tracks, got {len(items)}")
            return None
        found: list[tuple[Track, yaml.Node]] = []
        for i, item in enumerate(items):
            track = self.track(item, where.key(i))
            if track is not None:
                self.check_unique(track, item, found)
                found.append((track, item))
        return [track for track, _ in found] if len(found) == len(items) else None

    def track(self, node: yaml.Node, where: Where) -> Track | None:
        """One track: name, description, when (theme and stage) and steps."""
        where = Where(f"track '{_name_in(node)}'", where.path) if _name_in(node) else where
        f = self.r.mapping(node, where, TRACK_KEYS, required=("name", "steps"))
        if f is None:
            return None
        name_node, about_node = f.get("name"), f.get("description")
        name = self.r.bounded(name_node, where.key("name"), "name") if name_node is not None else None
        about = (
            self.r.bounded(about_node, where.key("description"), "description", True) if about_node else ""
        )
        when = self.when(f.get("when"), where.key("when"))
        steps = StepLoader(self.r).steps(f.get("steps"), where.key("steps"))
        if name is None or about is None or when is None or steps is None:
            return None
        return Track(name, tuple(steps), frozenset(when[0]), frozenset(when[1]), about)

    def when(self, node: yaml.Node | None, where: Where) -> tuple[list[str], list[str]] | None:
        """`{theme: cloud, stage: [early_interest, need_recognised]}`; an absent key takes any value."""
        if node is None:
            return [], []
        f = self.r.mapping(node, where, WHEN_KEYS)
        if f is None:
            return None
        themes = self.choices(f.get("theme"), where.key("theme"), None, LIMITS["theme"])
        stages = self.choices(f.get("stage"), where.key("stage"), self.stages, LIMITS["stage"])
        return None if themes is None or stages is None else (themes, stages)

    def check_unique(self, track: Track, node: yaml.Node, found: list[tuple[Track, yaml.Node]]) -> None:
        """A name used once, and no track above that already takes every person this one would."""
        where = Where(f"track '{track.name}'", "tracks")
        for earlier, earlier_node in found:
            line = earlier_node.start_mark.line + 1
            if earlier.name == track.name:
                self.r.report(
                    node, where, f"the name '{track.name}' is already used on line {line}", track.name
                )
            elif earlier.hides(track):
                reason = (
                    f"never chosen: track '{earlier.name}' on line {line} above takes every person it would"
                )
                self.r.report(node, where, reason)


def _name_in(node: yaml.Node) -> str | None:
    """A track's name read ahead, so that every problem in it is labelled with it."""
    if not isinstance(node, yaml.MappingNode):
        return None
    for key, value in node.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "name" and isinstance(value, yaml.ScalarNode):
            return str(value.value)[:100] or None
    return None
