"""Python regular expressions rewritten for PostgreSQL (ARE), DuckDB (RE2) and Spark (Java) regexes."""

from __future__ import annotations

import re

from liidi.engines.compile.base import UnsupportedByDialect

# Escapes that mean the same in Python and in the target (outside brackets).
_SHARED_ESCAPES = frozenset("dDwWsSAnrtf")
_FLAGS = re.compile(r"\(\?[aiLmsux]+\)")


class _Rewriter:
    """One pass over a pattern, character by character, aware of escapes and bracket expressions."""

    def __init__(self, pattern: str, target: str, node: object) -> None:
        self.src = pattern
        self.target = target
        self.node = node
        self.out: list[str] = []
        self.i = 0
        self.in_class = False

    def fail(self, what: str) -> UnsupportedByDialect:
        dialect = {"are": "postgres", "re2": "duckdb", "java": "spark"}[self.target]
        return UnsupportedByDialect(dialect, self.node, f"regular expression {self.src!r}: {what}")

    def run(self) -> str:
        while self.i < len(self.src):
            ch = self.src[self.i]
            if ch == "\\":
                self.escape()
                continue
            self.i += 1
            if self.in_class:
                self.bracket(ch)
            elif ch == "[":
                self.in_class = True
                self.out.append(ch)
            elif ch == "(" and self.src.startswith("?", self.i):
                self.group()
            elif ch in "*+?}" and self.src.startswith("+", self.i):
                raise self.fail("possessive quantifiers are Python-only")
            else:
                self.out.append(self._outside(ch))
        return "".join(self.out)

    def bracket(self, ch: str) -> None:
        """A character inside [...]: `]` first is literal; nested classes differ between flavours."""
        first = self.out[-1:] == ["["] or self.out[-2:] == ["[", "^"]
        if ch == "[" and (self.target == "java" or self.src[self.i : self.i + 1] in (":", ".", "=")):
            raise self.fail("'[' inside brackets means a nested class or collating element there")
        if ch == "&" and self.target == "java" and self.src.startswith("&", self.i):
            raise self.fail("'&&' inside brackets is an intersection in Java")
        self.in_class = not (ch == "]" and not first)
        self.out.append(ch)

    def _outside(self, ch: str) -> str:
        """`.` never matches a newline and `$` also matches before a final newline, as in Python."""
        if ch == ".":
            return "[^\\n]" if self.target in ("are", "java") else "."
        if ch == "$":
            return {"are": "(?=\\n?$)", "re2": "(?:\\n?$)", "java": "(?=\\n?\\z)"}[self.target]
        return ch

    def group(self) -> None:
        rest = self.src[self.i :]
        if rest.startswith("?P<"):
            end = rest.find(">")
            self.out.append("(")
            self.i += end + 1
            return
        lookaround = rest.startswith(("?=", "?!", "?<=", "?<!"))
        if lookaround and self.target == "re2":
            raise self.fail("RE2 has no look-ahead or look-behind")
        if not (lookaround or rest.startswith("?:")):
            raise self.fail(f"the group '({rest[:3]}' is Python-only")
        self.out.append("(")

    def escape(self) -> None:
        nxt = self.src[self.i + 1 : self.i + 2]
        self.i += 2
        if nxt in ("b", "B"):
            self.boundary(nxt)
        elif nxt == "Z":
            self.out.append("\\Z" if self.target == "are" else "\\z")
        elif nxt in ("x", "u", "U"):
            size = {"x": 2, "u": 4, "U": 8}[nxt]
            self.out.append(self._char(int(self.src[self.i : self.i + size], 16)))
            self.i += size
        elif nxt == "v" or nxt == "a":
            self.out.append(self._char(11 if nxt == "v" else 7))
        elif nxt.isdigit():
            if self.target == "re2":
                raise self.fail("RE2 has no back-references")
            self.out.append("\\" + nxt)
        elif nxt in _SHARED_ESCAPES or not nxt.isalnum():
            if self.in_class and nxt in "DWS" and self.target == "are":
                raise self.fail(f"PostgreSQL does not allow \\{nxt} inside brackets")
            self.out.append("\\" + nxt)
        else:
            raise self.fail(f"the escape \\{nxt} is Python-only")

    def boundary(self, nxt: str) -> None:
        """`\\b` is a word boundary outside brackets (PostgreSQL spells it `\\y`) and a backspace inside."""
        if self.in_class:
            if nxt == "B":
                raise self.fail("\\B inside brackets")
            self.out.append(self._char(8))
            return
        spelled = {"are": ("\\y", "\\Y"), "re2": ("\\b", "\\B"), "java": ("\\b", "\\B")}
        self.out.append(spelled[self.target][nxt == "B"])

    def _char(self, code: int) -> str:
        """One character by its code point, in the target's escape syntax."""
        if self.target == "re2":
            return f"\\x{{{code:x}}}"
        if code <= 0xFFFF:
            return f"\\u{code:04x}"
        return f"\\U{code:08x}" if self.target == "are" else f"\\x{{{code:x}}}"


def rewrite(pattern: str, target: str, node: object) -> str:
    """The pattern for 'are', 're2' or 'java' (case-insensitivity is the caller's); raises if it can't."""
    if pattern.startswith("(?i)"):
        pattern = pattern[4:]
    rewriter = _Rewriter(pattern, target, node)
    if _FLAGS.search(pattern):
        raise rewriter.fail("inline flags other than a leading (?i) are Python-only")
    return rewriter.run()


def matches_empty(pattern: str) -> bool:
    """True when the pattern matches empty text (an empty value is missing, so it must be excluded)."""
    return re.compile(pattern, re.IGNORECASE).search("") is not None
