"""Reading composed YAML nodes with positions, collecting every problem instead of stopping at the first."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

import yaml

from liidi.domain.scoring.issues import SpecIssue

_DURATION = re.compile(r"^(\d+)\s*([hdw])$")
_UNIT_SECONDS = {"h": 3600, "d": 86400, "w": 7 * 86400}
_TAG = "tag:yaml.org,2002:"
MISSING: Any = object()
MAX_NESTING = 32


@dataclass(frozen=True, slots=True)
class Where:
    """Where in the model we are: the rule's label, the full path and the path inside the rule."""

    rule: str
    path: str
    inner: str = ""

    def key(self, name: str | int) -> Where:
        """One level deeper, by mapping key or list index."""
        step = f"[{name}]" if isinstance(name, int) else name
        joined = f"{self.path}[{name}]" if isinstance(name, int) else f"{self.path}.{name}".lstrip(".")
        inner = f"{self.inner}{step}" if isinstance(name, int) else f"{self.inner}.{step}".lstrip(".")
        return Where(self.rule, joined, inner)


class Fields:
    """A mapping node's entries by key, with the nodes kept for error positions."""

    def __init__(self, node: yaml.MappingNode, entries: dict[str, tuple[yaml.Node, yaml.Node]]) -> None:
        self.node = node
        self.entries = entries

    def get(self, key: str) -> yaml.Node | None:
        """The value node of a key, if present."""
        entry = self.entries.get(key)
        return entry[1] if entry else None

    def key_node(self, key: str) -> yaml.Node:
        """The key node of a present key."""
        return self.entries[key][0]

    def __contains__(self, key: str) -> bool:
        return key in self.entries


def shown(node: yaml.Node) -> str:
    """How a node is named in an error: its value, or 'a list' / 'a mapping'."""
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    return repr(scalar(node)) if node.value != "" else "nothing"


def scalar(node: yaml.Node) -> Any:
    """A scalar's Python value; yes/no/on/off stay text (country: NO is Norway, not false)."""
    tag = node.tag.removeprefix(_TAG)
    text = str(node.value)
    plain = getattr(node, "style", None) in (None, "")
    if not plain or tag == "str":
        return text
    if tag == "bool":
        return text.lower() == "true" if text.lower() in ("true", "false") else text
    if tag == "null":
        return None
    if tag in ("int", "float"):
        return yaml.SafeLoader(text).get_single_data()
    return text


class Reader:
    """Walks nodes for one source, recording SpecIssues."""

    empty_file = ("model", "the file is empty; it needs at least 'model: <name>'")

    def __init__(self, source: str) -> None:
        self.source = source
        self.issues: list[SpecIssue] = []

    def report(self, node: yaml.Node | None, where: Where, message: str, value: Any = None) -> None:
        """Record one problem at a node's start (1-based line and column)."""
        line, column = (node.start_mark.line + 1, node.start_mark.column + 1) if node else (1, 1)
        self.report_at(line, column, where, message, value)

    def report_at(self, line: int, column: int, where: Where, message: str, value: Any = None) -> None:
        """Record one problem at a given position."""
        reason = f"{where.inner}: {message}" if where.inner else message
        self.issues.append(
            SpecIssue(
                f"{line}:{column} {where.path}", value, reason, None, self.source, line, column, where.rule
            )
        )

    def compose(self, text: str) -> yaml.Node | None:
        """Parse YAML into nodes, reporting syntax errors with their position and nesting past MAX_NESTING."""
        try:
            if not self._shallow(text):
                return None
            root = yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
            self.report_at(line, column, Where("YAML", ""), f"not valid YAML: {exc.problem or exc.context}")
            return None
        except yaml.YAMLError as exc:
            self.report_at(1, 1, Where("YAML", ""), f"not valid YAML: {exc}")
            return None
        if root is None:
            self.report_at(1, 1, Where(self.empty_file[0], ""), self.empty_file[1])
        return root

    def _shallow(self, text: str) -> bool:
        """True unless lists and mappings nest deeper than MAX_NESTING (reported at the first too deep)."""
        depth = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_NESTING:
                    mark = event.start_mark
                    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
                    message = f"lists and mappings nest deeper than {MAX_NESTING} levels"
                    self.report_at(line, column, Where("YAML", ""), message)
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
        return True

    def mapping(
        self,
        node: yaml.Node,
        where: Where,
        allowed: Collection[str] | None,
        required: Collection[str] = (),
        noun: str = "key",
    ) -> Fields | None:
        """A mapping's entries; unknown, duplicate and missing keys are reported."""
        if not isinstance(node, yaml.MappingNode):
            self.report(node, where, f"expected a mapping (key: value), got {shown(node)}")
            return None
        entries: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            key = scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str):
                self.report(key_node, where, f"keys must be text, got {shown(key_node)}")
            elif key in entries:
                self.report(key_node, where, f"'{key}' is given twice")
            elif allowed is not None and key not in allowed:
                self.report(
                    key_node, where, f"unknown {noun} '{key}'; expected one of {_listed(allowed, key)}"
                )
            else:
                entries[key] = (key_node, value_node)
        for key in required:
            if key not in entries:
                self.report(node, where, f"'{key}' is required")
        return Fields(node, entries)

    def sequence(self, node: yaml.Node, where: Where) -> list[yaml.Node] | None:
        """A list's items."""
        if not isinstance(node, yaml.SequenceNode):
            self.report(node, where, f"expected a list, got {shown(node)}")
            return None
        return list(node.value)

    def text(self, node: yaml.Node, where: Where, empty_ok: bool = False) -> str | None:
        """A text value."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else MISSING
        if value is MISSING or value is None or isinstance(value, bool) or (value == "" and not empty_ok):
            self.report(node, where, f"expected text, got {shown(node)}")
            return None
        return str(value)

    def number(self, node: yaml.Node, where: Where, positive: bool = False) -> float | None:
        """A number, optionally greater than zero."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, int | float) or isinstance(value, bool):
            self.report(node, where, f"expected a number, got {shown(node)}")
            return None
        if positive and value <= 0:
            self.report(node, where, f"expected a number above 0, got {value!r}")
            return None
        return float(value)

    def integer(self, node: yaml.Node, where: Where, minimum: int = 1) -> int | None:
        """A whole number at least `minimum`."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
            self.report(node, where, f"expected a whole number ≥ {minimum}, got {shown(node)}")
            return None
        return value

    def duration(self, node: yaml.Node, where: Where) -> int | None:
        """'14d', '36h' or '2w' as seconds."""
        value = scalar(node) if isinstance(node, yaml.ScalarNode) else None
        match = _DURATION.match(value.strip()) if isinstance(value, str) else None
        if not match or int(match.group(1)) == 0:
            self.report(node, where, f"expected a duration such as 14d, 36h or 2w, got {shown(node)}")
            return None
        return int(match.group(1)) * _UNIT_SECONDS[match.group(2)]

    def plain_value(self, node: yaml.Node) -> Any:
        """A scalar, or a list of scalars, as Python values (tuples for lists)."""
        if isinstance(node, yaml.SequenceNode):
            return tuple(self.plain_value(item) for item in node.value)
        if isinstance(node, yaml.MappingNode):
            return MISSING
        return scalar(node)


def _listed(allowed: Collection[str], got: str) -> str:
    """The allowed keys, with the closest one first when it looks like a typo."""
    keys = list(allowed)
    close = difflib.get_close_matches(got, keys, n=1)
    rest = ", ".join(keys)
    return f"{rest} (did you mean '{close[0]}'?)" if close else rest
