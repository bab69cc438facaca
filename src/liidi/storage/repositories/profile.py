"""A profile of what the store holds, to check a scoring model against: keys, value kinds, common values."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Column, ColumnElement, Integer, Table, func, select, true

from liidi.domain.scoring.conditions import is_number
from liidi.domain.scoring.data_check import DataProfile, KeyProfile
from liidi.storage.repositories.base import Repository
from liidi.storage.tables import accounts, events, people

TOP_VALUES = 200
SAMPLE_ROWS = 20_000
PERSON_COLUMNS = ("role", "seniority", "title", "consent", "lead_tool", "channel", "direction", "sourced_by")
ACCOUNT_COLUMNS = ("industry", "country", "employees", "revenue_band", "tier", "domain", "name")


class _Tally:
    """Counts, per key, the rows that have it, numbers and texts, and each distinct value."""

    def __init__(self) -> None:
        self.rows: Counter[str] = Counter()
        self.numbers: Counter[str] = Counter()
        self.texts: Counter[str] = Counter()
        self.values: defaultdict[str, Counter[Any]] = defaultdict(Counter)

    def add(self, key: str, value: Any, count: int = 1) -> None:
        """Count one stored value (lists count each item as a value)."""
        if value is None or value == "":
            return
        self.rows[key] += count
        for item in value if isinstance(value, list) else (value,):
            if is_number(item):
                self.numbers[key] += count
            elif isinstance(item, str):
                self.texts[key] += count
            if isinstance(item, str | int | float | bool):
                self.values[key][(type(item).__name__, item)] += count

    def profiles(self) -> dict[str, KeyProfile]:
        """One KeyProfile per key seen, with its most common values."""
        out: dict[str, KeyProfile] = {}
        for key, rows in self.rows.items():
            common = self.values[key].most_common(TOP_VALUES)
            out[key] = KeyProfile(
                rows=rows,
                numbers=self.numbers[key],
                texts=self.texts[key],
                values=tuple((value, n) for (_, value), n in common),
                complete=len(self.values[key]) <= TOP_VALUES,
            )
        return out


class ProfileRepository(Repository):
    """Reads the store to profile it; bounded in time by sampling the newest rows of JSON columns."""

    def data_profile(self, sample: int = SAMPLE_ROWS) -> DataProfile:
        """Row counts, per key the rows having it and its values; traits and properties of the newest rows."""
        live = people.c.merged_into_id.is_(None)
        counts = {name: self._count(table, where) for name, table, where in _scopes(live)}
        sampled: list[str] = []
        person = self._tally(people, PERSON_COLUMNS, live, sample, counts["people"], "people", sampled)
        account = self._tally(
            accounts, ACCOUNT_COLUMNS, true(), sample, counts["accounts"], "accounts", sampled
        )
        props = _Tally()
        for (bag,) in self._newest(events, events.c.properties, true(), sample):
            _add_bag(props, bag, "")
        if counts["events"] > sample:
            sampled.append(f"event properties from the newest {sample:,} of {counts['events']:,} events")
        types = self.conn.execute(select(events.c.type, func.count()).group_by(events.c.type)).all()
        return DataProfile(
            people=counts["people"],
            accounts=counts["accounts"],
            events=counts["events"],
            person=person,
            account=account,
            event_types={str(t): int(n) for t, n in types},
            properties=props.profiles(),
            sampled=tuple(sampled),
        )

    def _count(self, table: Table, where: ColumnElement[bool]) -> int:
        return int(self.conn.execute(select(func.count()).select_from(table).where(where)).scalar_one())

    def _tally(
        self,
        table: Table,
        columns: Iterable[str],
        where: ColumnElement[bool],
        sample: int,
        total: int,
        noun: str,
        sampled: list[str],
    ) -> dict[str, KeyProfile]:
        """Plain columns counted in SQL over every row; traits from the newest `sample` rows."""
        out = {name: self._column(table.c[name], where) for name in columns}
        tally = _Tally()
        for (bag,) in self._newest(table, table.c.traits, where, sample):
            _add_bag(tally, bag, "traits.")
        if total > sample:
            sampled.append(f"traits from the newest {sample:,} of {total:,} {noun}")
        out.update(tally.profiles())
        return out

    def _column(self, column: Column[Any], where: ColumnElement[bool]) -> KeyProfile:
        """A plain column over every row: how many have it, and its most common values."""
        present = column.is_not(None)
        rows = int(self.conn.execute(select(func.count(column)).where(where, present)).scalar_one())
        count = func.count().label("n")
        query = select(column, count).where(where, present).group_by(column).order_by(count.desc(), column)
        common = self.conn.execute(query.limit(TOP_VALUES + 1)).all()
        numeric = isinstance(column.type, Integer)
        return KeyProfile(
            rows=rows,
            numbers=rows if numeric else 0,
            texts=0 if numeric else rows,
            values=tuple((value, int(n)) for value, n in common[:TOP_VALUES]),
            complete=len(common) <= TOP_VALUES,
        )

    def _newest(
        self, table: Table, column: Column[Any], where: ColumnElement[bool], sample: int
    ) -> Iterable[Any]:
        query = select(column).where(where).order_by(table.c.id.desc()).limit(sample)
        return self.conn.execute(query)


def _scopes(live: ColumnElement[bool]) -> tuple[tuple[str, Table, ColumnElement[bool]], ...]:
    """Each counted table with the filter of its live rows."""
    return (("people", people, live), ("accounts", accounts, true()), ("events", events, true()))


def _add_bag(tally: _Tally, bag: Mapping[str, Any] | None, prefix: str) -> None:
    """Count every key of one JSON object (traits or properties)."""
    for key, value in (bag or {}).items():
        tally.add(prefix + str(key), value)
