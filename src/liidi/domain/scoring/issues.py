"""Problems found in a scoring model file, each with its line, column and rule."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from liidi.errors import FieldError, SpecError


@dataclass(frozen=True, slots=True)
class SpecIssue(FieldError):
    """One problem: `field` is 'line:column path', `reason` says what was expected."""

    source: str = ""
    line: int = 0
    column: int = 0
    rule: str = ""

    def one_line(self) -> str:
        """'examples/x.yaml:14:7 engagement rule 'guide download': decay: expected …'."""
        where = f"{self.source}:{self.line}:{self.column}"
        return f"{where} {self.rule}: {self.reason}" if self.rule else f"{where} {self.reason}"

    def as_dict(self) -> dict[str, Any]:
        """The FieldError shape plus source, line, column and rule."""
        data = FieldError.as_dict(self)
        data.update(source=self.source, line=self.line, column=self.column, rule=self.rule)
        return data


def spec_error(issues: Sequence[SpecIssue]) -> SpecError:
    """One SpecError carrying every issue, sorted by file and position."""
    ordered = sorted(issues, key=lambda i: (i.source, i.line, i.column))
    count = len(ordered)
    noun = "problem" if count == 1 else "problems"
    message = f"{count} {noun} in the scoring model:\n" + "\n".join(i.one_line() for i in ordered)
    return SpecError(list(ordered), message)


def issues_of(error: SpecError) -> list[SpecIssue]:
    """The SpecIssues inside a SpecError (other FieldErrors are skipped)."""
    return [e for e in error.errors if isinstance(e, SpecIssue)]
