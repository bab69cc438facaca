"""The ideal-customer profile (R17, R18): which accounts fit, and the buying-group roles wanted in each.

A role of the buying group matches a person by the product's `role` and `seniority` values and by words
in the title; every key given must match (a list matches any of its values), so `{seniority: [c_level,
vp]}` is every C-level or VP person and `{role: user, title: [engineer]}` a user whose title names an
engineer.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from liidi.domain.accounts import REVENUE_BANDS
from liidi.domain.people import BuyingRole, Seniority
from liidi.domain.scoring.issues import SpecIssue
from liidi.domain.scoring.yamlread import Reader, Where, scalar, shown
from liidi.errors import SpecError

TOP_KEYS = ("icp", "description", "industries", "countries", "sizes", "revenue_bands", "window_days", "roles")
ROLE_KEYS = ("name", "role", "seniority", "title")
ROLES = tuple(r.value for r in BuyingRole)
SENIORITIES = tuple(s.value for s in Seniority)
DECISION_MAKER = "decision_maker"
DEFAULT_WINDOW_DAYS = 90
MAX_WINDOW_DAYS = 3660
MAX_ITEMS = 200
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_SIZE = re.compile(r"^(\d{1,9})\s*(?:-\s*(\d{1,9})|\+)$")


@dataclass(frozen=True, slots=True)
class WantedRole:
    """One role of the buying group and how a person is matched to it (empty: any value)."""

    name: str
    roles: tuple[str, ...] = ()
    seniorities: tuple[str, ...] = ()
    title_words: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Icp:
    """Which accounts fit (empty: any value) and the roles wanted in each, over a rolling window."""

    name: str
    roles: tuple[WantedRole, ...]
    industries: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    sizes: tuple[tuple[int, int | None], ...] = ()
    revenue_bands: tuple[str, ...] = ()
    window_days: int = DEFAULT_WINDOW_DAYS
    description: str = ""

    def decision_maker(self) -> WantedRole:
        """The role counted as decision makers: the one named decision_maker, else people.role = it."""
        named = [r for r in self.roles if r.name == DECISION_MAKER]
        return named[0] if named else WantedRole(DECISION_MAKER, roles=(DECISION_MAKER,))

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the API and `--json`."""
        return {
            "icp": self.name,
            "description": self.description,
            "industries": list(self.industries),
            "countries": list(self.countries),
            "sizes": [f"{lo}+" if hi is None else f"{lo}-{hi}" for lo, hi in self.sizes],
            "revenue_bands": list(self.revenue_bands),
            "window_days": self.window_days,
            "roles": [
                {
                    "name": r.name,
                    "role": list(r.roles),
                    "seniority": list(r.seniorities),
                    "title": list(r.title_words),
                }
                for r in self.roles
            ],
        }


def load_icp_text(text: str, source_name: str = "<icp>") -> Icp:
    """Load an ICP file's text; raise SpecError listing every problem with its line and column."""
    reader = _IcpReader(source_name)
    root = reader.compose(text)
    icp = _Loader(reader).load(root) if root is not None else None
    if reader.issues or icp is None:
        raise icp_error(reader.issues)
    return icp


def load_icp_file(path: str | os.PathLike[str]) -> Icp:
    """Load an ICP file (UTF-8 YAML)."""
    return load_icp_text(Path(path).read_text(encoding="utf-8"), str(path))


def icp_error(issues: Sequence[SpecIssue]) -> SpecError:
    """One SpecError carrying every issue, sorted by position."""
    ordered = sorted(issues, key=lambda i: (i.source, i.line, i.column))
    noun = "problem" if len(ordered) == 1 else "problems"
    message = f"{len(ordered)} {noun} in the ICP file:\n" + "\n".join(i.one_line() for i in ordered)
    return SpecError(list(ordered), message)


class _IcpReader(Reader):
    empty_file = ("icp", "the file is empty; it needs at least 'icp:' and 'roles:'")


class _Loader:
    """Builds the ICP from the composed YAML, recording every problem."""

    def __init__(self, reader: Reader) -> None:
        self.r = reader

    def load(self, root: yaml.Node) -> Icp | None:
        """The top-level mapping."""
        f = self.r.mapping(root, Where("icp", ""), TOP_KEYS, required=("icp", "roles"))
        if f is None:
            return None
        name = self._text(f.get("icp"), "icp")
        description = self._text(f.get("description"), "description", empty_ok=True) or ""
        industries = self._words(f.get("industries"), "industries", None)
        countries = self._words(f.get("countries"), "countries", None)
        bands = self._words(f.get("revenue_bands"), "revenue_bands", REVENUE_BANDS)
        sizes = self._sizes(f.get("sizes"))
        window = f.get("window_days")
        days = (
            DEFAULT_WINDOW_DAYS
            if window is None
            else self.r.integer(window, Where("window_days", "window_days"))
        )
        if days is not None and days > MAX_WINDOW_DAYS:
            self.r.report(
                window, Where("window_days", "window_days"), f"expected at most {MAX_WINDOW_DAYS} days"
            )
            days = None
        roles = self._roles(f.get("roles"))
        if name is None or days is None or roles is None:
            return None
        return Icp(
            name,
            roles,
            tuple(w.lower() for w in industries),
            tuple(c.upper() for c in countries),
            sizes,
            bands,
            days,
            description,
        )

    def _text(self, node: yaml.Node | None, key: str, empty_ok: bool = False) -> str | None:
        if node is None:
            return None
        value = self.r.text(node, Where(key, key), empty_ok=empty_ok)
        if value is not None and ("\x00" in value or len(value) > 500):
            self.r.report(node, Where(key, key), "expected text of at most 500 characters without NUL")
            return None
        return value

    def _words(self, node: yaml.Node | None, key: str, allowed: Sequence[str] | None) -> tuple[str, ...]:
        """A value or a list of text values (any text, or one of `allowed`)."""
        if node is None:
            return ()
        where = Where(key, key)
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        found: list[str] = []
        for item in items[:MAX_ITEMS]:
            value = scalar(item) if isinstance(item, yaml.ScalarNode) else None
            if not isinstance(value, str | int) or isinstance(value, bool) or not str(value).strip():
                self.r.report(item, where, f"expected text, got {shown(item)}")
            elif len(str(value)) > 100 or "\x00" in str(value):
                self.r.report(item, where, "expected text of at most 100 characters without NUL")
            elif allowed is not None and str(value) not in allowed:
                self.r.report(item, where, f"expected one of {', '.join(allowed)}, got {shown(item)}", value)
            else:
                found.append(str(value).strip())
        if len(items) > MAX_ITEMS:
            self.r.report(node, where, f"expected at most {MAX_ITEMS} values, got {len(items)}")
        return tuple(found)

    def _sizes(self, node: yaml.Node | None) -> tuple[tuple[int, int | None], ...]:
        """Employee bands such as '50-249' or '1000+'."""
        found: list[tuple[int, int | None]] = []
        for text in self._words(node, "sizes", None):
            match = _SIZE.match(text)
            low = int(match.group(1)) if match else 0
            high = int(match.group(2)) if match and match.group(2) else None
            if match is None or (high is not None and high < low):
                self.r.report(
                    node, Where("sizes", "sizes"), f"expected a band such as 50-249 or 1000+, got {text!r}"
                )
            else:
                found.append((low, high))
        return tuple(found)

    def _roles(self, node: yaml.Node | None) -> tuple[WantedRole, ...] | None:
        """The buying-group roles wanted: names unique, each with at least one thing to match."""
        where = Where("roles", "roles")
        items = self.r.sequence(node, where) if node is not None else None
        if items is None:
            return None
        if not items or len(items) > 20:
            self.r.report(node, where, f"give between 1 and 20 roles, got {len(items)}")
            return None
        found: list[WantedRole] = []
        for i, item in enumerate(items):
            role = self._role(item, where.key(i))
            if role is not None and role.name in {r.name for r in found}:
                self.r.report(item, where.key(i), f"the role '{role.name}' is given twice")
            elif role is not None:
                found.append(role)
        return tuple(found) if len(found) == len(items) else None

    def _role(self, node: yaml.Node, where: Where) -> WantedRole | None:
        f = self.r.mapping(node, where, ROLE_KEYS, required=("name",))
        if f is None:
            return None
        name_node = f.get("name")
        name = self.r.text(name_node, where.key("name")) if name_node is not None else None
        if name is not None and not _NAME.match(name):
            self.r.report(
                f.get("name"), where.key("name"), "expected a name of a-z, 0-9 and _ (at most 40)", name
            )
            name = None
        before = len(self.r.issues)
        roles = self._words(f.get("role"), f"{where.path}.role", ROLES)
        seniorities = self._words(f.get("seniority"), f"{where.path}.seniority", SENIORITIES)
        words = tuple(w.lower() for w in self._words(f.get("title"), f"{where.path}.title", None))
        if not (roles or seniorities or words) and len(self.r.issues) == before:
            self.r.report(node, where, "give at least one of role, seniority or title to match people")
            return None
        if name is None or len(self.r.issues) != before:
            return None
        return WantedRole(name, roles, seniorities, words)
