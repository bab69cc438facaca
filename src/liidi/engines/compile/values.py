"""Where a condition reads its value: a typed column of people_flat, or one key of a JSON column."""

from __future__ import annotations

from abc import ABC, abstractmethod

from sqlglot import exp

from liidi.engines.compile.base import Names, alias, case, col, lit, or_
from liidi.engines.compile.dialects import Dialect


class Value(ABC):
    """One attribute seen through the five questions conditions ask; None means "never" (wrong type)."""

    def text(self) -> exp.Expression | None:
        """The value when it is text, else NULL."""
        return None

    def number(self) -> exp.Expression | None:
        """The value as a DOUBLE when it is a number (not a boolean), else NULL."""
        return None

    def boolean(self) -> exp.Expression | None:
        """The value when it is a boolean, else NULL."""
        return None

    @abstractmethod
    def missing(self) -> exp.Expression:
        """True when absent, null, empty text or an empty list (never NULL)."""

    def has(self, item: object) -> exp.Expression | None:
        """True when the value is a list with an item equal to this one (never NULL)."""
        return None


class ColumnValue(Value):
    """A plain column: text, or a number (account.employees)."""

    def __init__(self, name: str, numeric: bool = False) -> None:
        self.name = name
        self.numeric = numeric

    def text(self) -> exp.Expression | None:
        return None if self.numeric else col(self.name)

    def number(self) -> exp.Expression | None:
        return exp.cast(col(self.name), "DOUBLE") if self.numeric else None

    def missing(self) -> exp.Expression:
        absent = exp.Is(this=col(self.name), expression=exp.Null())
        if self.numeric:
            return absent
        return or_(absent, exp.EQ(this=col(self.name), expression=lit("")))


class JsonValue(Value):
    """One key of a JSON column, through the columns its `JsonColumns` computes once per row."""

    def __init__(self, columns: JsonColumns, key: str, node: object) -> None:
        self.columns = columns
        self.key = key
        self.node = node

    def text(self) -> exp.Expression | None:
        return self.columns.feature(self.key, "text", self.node)

    def number(self) -> exp.Expression | None:
        return self.columns.feature(self.key, "number", self.node)

    def boolean(self) -> exp.Expression | None:
        return self.columns.feature(self.key, "boolean", self.node)

    def missing(self) -> exp.Expression:
        return self.columns.feature(self.key, "missing", self.node)

    def has(self, item: object) -> exp.Expression | None:
        return self.columns.feature(self.key, "has", self.node, item)


class JsonColumns:
    """The features that rules read from one JSON column; each becomes one column of the reading CTE."""

    def __init__(self, column: str, prefix: str, names: Names, dialect: Dialect) -> None:
        self.column = column
        self.prefix = prefix
        self.names = names
        self.dialect = dialect
        self.features: dict[tuple[str, str, str, object], tuple[str, object, object]] = {}

    def value(self, key: str, node: object) -> JsonValue:
        """The view of one key."""
        return JsonValue(self, key, node)

    def feature(self, key: str, feature: str, node: object, item: object = None) -> exp.Column:
        """A column holding one feature of one key (registered on first use)."""
        found = self.features.get((key, feature, type(item).__name__, item))
        if found is None:
            found = (
                self.names.make(self.prefix, key, feature, "" if item is None else str(item)),
                node,
                item,
            )
            self.features[(key, feature, type(item).__name__, item)] = found
        return col(found[0])

    def keys(self) -> dict[str, object]:
        """Every key read, in order of first use, with the spec node that first reads it."""
        found: dict[str, object] = {}
        for (key, _, _, _), (_, node, _) in self.features.items():
            found.setdefault(key, node)
        return found

    def source(self) -> exp.Expression:
        """The JSON column as the dialect reads it (parsed once, or its keys extracted in one pass)."""
        return self.dialect.json_source(col(self.column), self.keys())

    def selects(self) -> list[exp.Expression]:
        """`<feature expression> AS <column>` for every registered feature (reading `source()`)."""
        index = {key: i for i, key in enumerate(self.keys())}
        return [
            alias(
                self._expression(
                    *self.dialect.json_part(col(self.column), index[key], key), feature, node, item
                ),
                name,
            )
            for (key, feature, _, _), (name, node, item) in self.features.items()
        ]

    def _expression(
        self, src: exp.Expression, key: str | None, feature: str, node: object, item: object
    ) -> exp.Expression:
        d = self.dialect

        def is_(kind: str) -> exp.Expression:
            return d.json_is(src.copy(), key, kind, node)

        if feature == "text":
            return case([(is_("string"), d.json_text(src.copy(), key, node))], None)
        if feature == "number":
            return case([(is_("number"), d.json_double(src.copy(), key, node))], None)
        if feature == "boolean":
            return case([(is_("boolean"), d.json_true(src.copy(), key, node))], None)
        if feature == "missing":
            empty_text = exp.EQ(this=d.json_text(src.copy(), key, node), expression=lit(""))
            empty_list = exp.EQ(this=d.json_array_length(src.copy(), key, node), expression=lit(0))
            whens = [(is_("null"), exp.true()), (is_("string"), empty_text), (is_("array"), empty_list)]
            return case(whens, exp.false())
        return case([(is_("array"), d.json_array_has(src.copy(), key, item, node))], exp.false())
