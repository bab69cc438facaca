"""What differs between SQLite, PostgreSQL, DuckDB and Spark: JSON access, regexes and text ordering."""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from typing import ClassVar

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect as SqlglotDialect

from liidi.engines.compile.base import UnsupportedByDialect, and_, fn, lit, or_
from liidi.engines.compile.regex import rewrite

_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


class Dialect(ABC):
    """The shared behaviour; each subclass overrides what its engine spells differently."""

    name = "generic"
    sqlglot = ""
    # Native type names per kind of JSON value: string, number, boolean, array, null (or absent).
    type_names: ClassVar[dict[str, tuple[str, ...]]] = {}
    # Write `ev` AS MATERIALIZED: the engine would otherwise inline it into every rule that reads it.
    materialize = False

    def spread(self, start: exp.Expression, end: exp.Expression, name: str) -> exp.Expression | None:
        """A table of one column `name`: start, start + 1, …, end - 1; None where a range join is better."""
        return None

    def json_source(self, column: exp.Expression, keys: dict[str, object] | None = None) -> exp.Expression:
        """The JSON text column as the value JSON functions read (parsed once where that helps).

        `keys` are the keys rules read from it (each with the spec node that reads it), in order.
        """
        return column

    def json_part(self, src: exp.Expression, index: int, key: str) -> tuple[exp.Expression, str | None]:
        """Where the features of the index-th key of `json_source` are read: (value, key), key None = root."""
        return src, key

    def json_path(self, key: str | None, node: object) -> str:
        """`$.key`, or `$."odd key"` for keys that are not plain names; `$` for the value itself (None)."""
        if key is None:
            return "$"
        if _PLAIN_KEY.fullmatch(key):
            return f"$.{key}"
        if '"' in key or "\\" in key:
            raise UnsupportedByDialect(self.name, node, f"the property name {key!r} has a quote or backslash")
        return f'$."{key}"'

    @abstractmethod
    def json_type(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        """The native type name of the value at a key (NULL when absent)."""

    def json_is(self, src: exp.Expression, key: str | None, kind: str, node: object) -> exp.Expression:
        """True when the value at a key is of this kind ('null' also covers an absent key)."""
        return self.kind_is(self.json_type(src, key, node), kind)

    def kind_is(self, found: exp.Expression, kind: str) -> exp.Expression:
        """True when a native type name is of this kind of JSON value."""
        names = self.type_names[kind]
        if kind == "null":
            return exp.EQ(
                this=exp.Coalesce(this=found, expressions=[lit(names[0])]), expression=lit(names[0])
            )
        if len(names) == 1:
            return exp.EQ(this=found, expression=lit(names[0]))
        return exp.In(this=found, expressions=[lit(n) for n in names])

    def item_is(
        self, item: object, kind: exp.Expression, text: exp.Expression, number: exp.Expression
    ) -> exp.Expression:
        """An array element (its type name, its text, its number) of the same type as `item`, equal to it."""
        if isinstance(item, bool):
            flag = exp.EQ(this=text, expression=lit("true" if item else "false"))
            return and_(self.kind_is(kind, "boolean"), flag)
        if isinstance(item, str):
            return and_(self.kind_is(kind, "string"), exp.EQ(this=text, expression=lit(item)))
        assert isinstance(item, int | float)
        return and_(self.kind_is(kind, "number"), exp.EQ(this=number, expression=lit(float(item))))

    @abstractmethod
    def json_text(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        """The value at a key as text (meaningful for strings)."""

    def json_double(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        """The value at a key as a DOUBLE (meaningful for numbers)."""
        return exp.cast(self.json_text(src, key, node), "DOUBLE")

    def json_true(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        """True when a boolean value at a key is true."""
        return exp.EQ(this=self.json_text(src, key, node), expression=lit("true"))

    def json_array_length(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        """The number of items of an array value."""
        return fn("JSON_ARRAY_LENGTH", src, lit(self.json_path(key, node)))

    @abstractmethod
    def json_array_has(
        self, src: exp.Expression, key: str | None, item: object, node: object
    ) -> exp.Expression:
        """True when an array value has an item equal to this one (same type, numbers by value)."""

    @abstractmethod
    def regex_match(self, value: exp.Expression, pattern: str, node: object) -> exp.Expression:
        """Python's re.search(pattern, value, IGNORECASE), as a boolean."""

    def ordered_text(self, column: exp.Expression) -> exp.Expression:
        """A text column ordered by code point (binary order)."""
        return column

    def ordered(self, expression: exp.Expression, desc: bool = False) -> exp.Ordered:
        """A sort key with the dialect's own NULL placement (so no NULLS FIRST/LAST is written)."""
        rule = SqlglotDialect.get_or_raise(self.sqlglot).NULL_ORDERING
        first = (rule == "nulls_are_small" and not desc) or (rule == "nulls_are_large" and desc)
        return exp.Ordered(this=expression, desc=desc or None, nulls_first=first)

    def text_suffix(self, text: exp.Expression, length: int) -> exp.Expression:
        """The last `length` characters of a text (all of it when shorter)."""
        return exp.Right(this=text, expression=lit(length))


class SQLite(Dialect):
    """SQLite's JSON1 functions; REGEXP is Python's `re`, registered by the engine as `regexp`."""

    name = "sqlite"
    sqlglot = "sqlite"
    type_names: ClassVar[dict[str, tuple[str, ...]]] = {
        "string": ("text",),
        "number": ("integer", "real"),
        "boolean": ("true", "false"),
        "array": ("array",),
        "null": ("null",),
    }

    def json_type(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return fn("JSON_TYPE", src, lit(self.json_path(key, node)))

    def json_text(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return fn("JSON_EXTRACT", src, lit(self.json_path(key, node)))

    def json_true(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return exp.EQ(this=self.json_type(src, key, node), expression=lit("true"))

    def json_array_has(
        self, src: exp.Expression, key: str | None, item: object, node: object
    ) -> exp.Expression:
        each = exp.Table(
            this=fn("JSON_EACH", src, lit(self.json_path(key, node))), alias=exp.TableAlias(this="j")
        )
        kind, value = exp.column("type", "j"), exp.column("value", "j")
        if isinstance(item, bool):
            test: exp.Expression = exp.EQ(this=kind, expression=lit("true" if item else "false"))
        else:
            test = self.item_is(item, kind, value, value.copy())
        return exp.Exists(this=exp.select("1").from_(each).where(test))

    def regex_match(self, value: exp.Expression, pattern: str, node: object) -> exp.Expression:
        return exp.RegexpLike(this=value, expression=lit("(?i)" + pattern))

    def text_suffix(self, text: exp.Expression, length: int) -> exp.Expression:
        return exp.Substring(this=text, start=lit(-length))


class Postgres(Dialect):
    """PostgreSQL: JSONB operators, `~*` with the pattern rewritten for AREs, COLLATE "C" ordering."""

    name = "postgres"
    sqlglot = "postgres"
    type_names: ClassVar[dict[str, tuple[str, ...]]] = {
        "string": ("string",),
        "number": ("number",),
        "boolean": ("boolean",),
        "array": ("array",),
        "null": ("null",),
    }

    def json_source(self, column: exp.Expression, keys: dict[str, object] | None = None) -> exp.Expression:
        return exp.cast(column, "JSONB")

    def _get(self, src: exp.Expression, key: str | None) -> exp.Expression:
        return src if key is None else exp.JSONExtract(this=src, expression=lit(key))

    def json_type(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return fn("JSONB_TYPEOF", self._get(src, key))

    def json_text(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        assert key is not None, "PostgreSQL reads every key from the JSONB value itself"
        return exp.paren(exp.JSONExtractScalar(this=src, expression=lit(key)), copy=False)

    def json_array_length(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return fn("JSONB_ARRAY_LENGTH", self._get(src, key))

    def json_array_has(
        self, src: exp.Expression, key: str | None, item: object, node: object
    ) -> exp.Expression:
        probe = exp.cast(lit(json.dumps([item])), "JSONB")
        return exp.ArrayContainsAll(this=self._get(src, key), expression=probe)

    def regex_match(self, value: exp.Expression, pattern: str, node: object) -> exp.Expression:
        return exp.RegexpILike(this=value, expression=lit(rewrite(pattern, "are", node)))

    def ordered_text(self, column: exp.Expression) -> exp.Expression:
        return exp.Collate(this=column, expression=exp.Identifier(this="C", quoted=True))


class DuckDB(Dialect):
    """DuckDB's JSON extension and RE2 regexes (no look-around; \\b, \\w and \\d are ASCII-only)."""

    name = "duckdb"
    sqlglot = "duckdb"
    materialize = True
    type_names: ClassVar[dict[str, tuple[str, ...]]] = {
        "string": ("VARCHAR",),
        "number": ("BIGINT", "UBIGINT", "HUGEINT", "UHUGEINT", "DOUBLE"),
        "boolean": ("BOOLEAN",),
        "array": ("ARRAY",),
        "null": ("NULL",),
    }

    def spread(self, start: exp.Expression, end: exp.Expression, name: str) -> exp.Expression | None:
        series = exp.GenerateSeries(start=start, end=end, is_end_exclusive=True)
        named = exp.TableAlias(this=exp.to_identifier("u"), columns=[exp.to_identifier(name)])
        return exp.Unnest(expressions=[series], alias=named)

    def json_source(self, column: exp.Expression, keys: dict[str, object] | None = None) -> exp.Expression:
        """Every key rules read, in two passes over the text: their type names, and their values as text.

        A list of values as JSON would be parsed again by every feature that reads a key; these two lists
        are read by position, with no further parsing (an array's text is parsed only to look inside it).
        """
        if not keys:
            return column
        paths = exp.Array(expressions=[lit(self.json_path(key, node)) for key, node in keys.items()])
        types = fn("JSON_TYPE", column, paths)
        texts = fn("JSON_EXTRACT_STRING", column.copy(), paths.copy())
        return fn("STRUCT_PACK", _named("t", types), _named("s", texts))

    def json_part(self, src: exp.Expression, index: int, key: str) -> tuple[exp.Expression, str | None]:
        """The pair (type name, text) of the index-th key: a tuple only this dialect's readers unpack."""
        at = lit(index + 1)
        kind = fn("LIST_EXTRACT", fn("STRUCT_EXTRACT", src, lit("t")), at)
        text = fn("LIST_EXTRACT", fn("STRUCT_EXTRACT", src.copy(), lit("s")), at.copy())
        return exp.Tuple(expressions=[kind, text]), None

    def json_type(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return _pair(src)[0]

    def json_text(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return _pair(src)[1]

    def json_double(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return exp.TryCast(this=self.json_text(src, key, node), to=exp.DataType.build("DOUBLE"))

    def json_array_length(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return fn("JSON_ARRAY_LENGTH", self.json_text(src, key, node))

    def json_array_has(
        self, src: exp.Expression, key: str | None, item: object, node: object
    ) -> exp.Expression:
        items = fn("JSON_EXTRACT", self.json_text(src, key, node), lit("$[*]"))
        text = fn("JSON_EXTRACT_STRING", exp.column("el"), lit("$"))
        number = exp.TryCast(this=text.copy(), to=exp.DataType.build("DOUBLE"))
        test = self.item_is(item, fn("JSON_TYPE", exp.column("el")), text, number)
        keep = exp.Lambda(this=test, expressions=[exp.to_identifier("el")])
        return exp.GT(this=fn("LEN", fn("LIST_FILTER", items, keep)), expression=lit(0))

    def regex_match(self, value: exp.Expression, pattern: str, node: object) -> exp.Expression:
        return fn("REGEXP_MATCHES", value, lit(rewrite(pattern, "re2", node)), lit("i"))


class Spark(Dialect):
    """Spark SQL 4: properties parsed once into a VARIANT; Java regexes with Unicode classes."""

    name = "spark"
    sqlglot = "spark"
    type_names: ClassVar[dict[str, tuple[str, ...]]] = {
        "string": ("STRING",),
        "number": ("TINYINT", "SMALLINT", "INT", "BIGINT", "FLOAT", "DOUBLE"),
        "boolean": ("BOOLEAN",),
        "array": (),
        "null": ("VOID",),
    }

    def json_source(self, column: exp.Expression, keys: dict[str, object] | None = None) -> exp.Expression:
        return fn("PARSE_JSON", column)

    def json_path(self, key: str | None, node: object) -> str:
        if key is None:
            return "$"
        if _PLAIN_KEY.fullmatch(key):
            return f"$.{key}"
        if "'" in key or "\\" in key:
            raise UnsupportedByDialect(self.name, node, f"the property name {key!r} has a quote or backslash")
        return f"$['{key}']"

    def _get(
        self, src: exp.Expression, key: str | None, node: object, as_type: str | None = None
    ) -> exp.Expression:
        args = [src, lit(self.json_path(key, node))] + ([lit(as_type)] if as_type else [])
        return fn("VARIANT_GET", *args)

    def json_type(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return fn("SCHEMA_OF_VARIANT", self._get(src, key, node))

    def kind_is(self, found: exp.Expression, kind: str) -> exp.Expression:
        if kind == "number":
            decimal = exp.Like(this=found.copy(), expression=lit("DECIMAL(%"))
            return or_(super().kind_is(found, kind), decimal)
        if kind == "array":
            return exp.Like(this=found, expression=lit("ARRAY<%"))
        return super().kind_is(found, kind)

    def json_text(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return self._get(src, key, node, "string")

    def json_double(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return self._get(src, key, node, "double")

    def json_true(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return self._get(src, key, node, "boolean")

    def json_array_length(self, src: exp.Expression, key: str | None, node: object) -> exp.Expression:
        return fn("ARRAY_SIZE", exp.cast(self._get(src, key, node), "ARRAY<VARIANT>"))

    def json_array_has(
        self, src: exp.Expression, key: str | None, item: object, node: object
    ) -> exp.Expression:
        def element(as_type: str) -> exp.Expression:
            return fn("VARIANT_GET", exp.column("el"), lit("$"), lit(as_type))

        kind = fn("SCHEMA_OF_VARIANT", exp.column("el"))
        test = self.item_is(item, kind, element("string"), element("double"))
        keep = exp.Lambda(this=test, expressions=[exp.to_identifier("el")])
        return fn("EXISTS", exp.cast(self._get(src, key, node), "ARRAY<VARIANT>"), keep)

    def regex_match(self, value: exp.Expression, pattern: str, node: object) -> exp.Expression:
        return exp.RegexpLike(this=value, expression=lit("(?iU)" + rewrite(pattern, "java", node)))


DIALECTS: dict[str, Dialect] = {d.name: d for d in (SQLite(), Postgres(), DuckDB(), Spark())}
ALIASES = {"postgresql": "postgres"}


def dialect_for(name: str) -> Dialect:
    """The dialect by name: sqlite, postgres (or postgresql), duckdb or spark."""
    found = DIALECTS.get(ALIASES.get(name, name))
    if found is None:
        raise UnsupportedByDialect(
            name, "a scoring model", f"unknown dialect; use one of {', '.join(DIALECTS)}"
        )
    return found


def _named(name: str, value: exp.Expression) -> exp.Expression:
    """`name := value`, a named argument of STRUCT_PACK."""
    return exp.PropertyEQ(this=exp.to_identifier(name), expression=value)


def _pair(src: exp.Expression) -> tuple[exp.Expression, exp.Expression]:
    """The (type name, text) copies of a key's part from `DuckDB.json_part`."""
    assert isinstance(src, exp.Tuple), "DuckDB reads a key's features from its json_part pair"
    kind, text = src.expressions
    return kind.copy(), text.copy()
