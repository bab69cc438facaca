"""One error tree for the whole package; entry points translate it to HTTP status codes and exit codes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class FieldError:
    """One reason an input item was refused: which item, which field, what value, why."""

    field: str
    value: Any
    reason: str
    index: int | None = None

    def as_dict(self) -> dict[str, Any]:
        """Render as the JSON shape used by the API and the CLI."""
        data: dict[str, Any] = {"field": self.field, "value": self.value, "reason": self.reason}
        if self.index is not None:
            data["index"] = self.index
        return data

    def one_line(self) -> str:
        """Render as a single human-readable line."""
        where = f"item {self.index}: " if self.index is not None else ""
        return f"{where}{self.field}={self.value!r}: {self.reason}"


class LiidiError(Exception):
    """Base of every error liidi raises on purpose."""

    code = "error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ValidationFailed(LiidiError):
    """Input was refused; nothing of it was stored."""

    code = "validation_error"

    def __init__(self, errors: list[FieldError], message: str | None = None) -> None:
        first = errors[0].one_line() if errors else "invalid input"
        super().__init__(message or f"{len(errors)} invalid field(s); first: {first}")
        self.errors = errors


class NotFound(LiidiError):
    """The thing asked for does not exist."""

    code = "not_found"


class Conflict(LiidiError):
    """The request contradicts the current state."""

    code = "conflict"


class InvalidTransition(Conflict):
    """A lifecycle move that the current stage does not allow."""

    code = "invalid_transition"

    def __init__(self, message: str, allowed: list[str]) -> None:
        super().__init__(message)
        self.allowed = allowed


class Unauthorized(LiidiError):
    """No valid API key was presented."""

    code = "unauthorized"


class Forbidden(LiidiError):
    """The API key's scope does not allow the request."""

    code = "forbidden"


class PayloadTooLarge(LiidiError):
    """The request body or batch is larger than allowed."""

    code = "payload_too_large"


class ConfigError(LiidiError):
    """A setting has an unsafe or impossible value."""

    code = "config_error"


class SpecError(ValidationFailed):
    """A scoring model file is invalid."""

    code = "spec_error"
