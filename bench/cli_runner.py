"""The liidi CLI in a subprocess, against one SQLite file, with each step timed for the log."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


class CliFailed(RuntimeError):
    """A liidi command exited non-zero; the message holds the command and its stderr."""


@dataclass
class Liidi:
    """Runs `python -m liidi …` with LIIDI_DATABASE_URL pointing at `db`, in `workdir` (no stray .env)."""

    workdir: Path
    db: Path
    log: Callable[[str], None] = print
    steps: list[tuple[str, float]] = field(default_factory=list)

    @property
    def url(self) -> str:
        """The SQLAlchemy URL of the store."""
        return f"sqlite:///{self.db}"

    def __call__(self, *args: str) -> str:
        """Run one command and return its stdout; CliFailed with its stderr when it fails."""
        env = {**os.environ, "LIIDI_DATABASE_URL": self.url, "COLUMNS": "80", "LIIDI_ENV": "development"}
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "liidi", *args],
            cwd=self.workdir,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        seconds = time.perf_counter() - start
        shown = " ".join(_quoted(a) for a in args[:3]) + (" …" if len(args) > 3 else "")
        self.steps.append((shown, seconds))
        if done.returncode != 0:
            raise CliFailed(f"liidi {shown} exited {done.returncode}:\n{done.stderr.strip()}")
        self.log(f"liidi {shown}  [dim]{seconds:.1f} s[/]")
        return done.stdout


def _quoted(arg: str) -> str:
    """A file by its name, an argument with spaces in quotes."""
    arg = Path(arg).name if os.sep in arg else arg
    return f"'{arg}'" if " " in arg else arg
