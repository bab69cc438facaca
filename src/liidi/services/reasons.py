"""The feedback reason codes in use: the shipped ones, or a YAML file named by LIIDI_FEEDBACK_REASONS."""

from __future__ import annotations

from pathlib import Path

from liidi.domain.feedback import FeedbackReasons
from liidi.domain.feedback_load import load_reasons_text
from liidi.errors import ConfigError


def load_reasons(path: Path | None) -> FeedbackReasons:
    """The reasons of a file (SpecError lists its problems by line), or the shipped ones without one."""
    if path is None:
        return FeedbackReasons.default()
    return load_reasons_text(read_reasons_file(path), str(path))


def read_reasons_file(path: Path) -> str:
    """A reasons file's UTF-8 text; ConfigError naming the file when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"no such reasons file: {path} (LIIDI_FEEDBACK_REASONS)") from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"reasons file {path} is not UTF-8 text (byte {error.start})") from None
    except OSError as error:
        raise ConfigError(f"reasons file {path}: {error.strerror or 'cannot be read'}") from None


def check_reasons(text: str, source: str) -> FeedbackReasons:
    """The reasons a file's text defines; SpecError lists every problem with its line and column."""
    return load_reasons_text(text, source)
