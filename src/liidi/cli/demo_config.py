"""What `liidi demo start` puts in force beside the data: routing, SLA, nurture, the weekly plan and the
ICP, each from its example file and only when none is loaded yet (a second start keeps what is there)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from liidi.cli.common import console, uow
from liidi.errors import NotFound


def _say(line: str) -> None:
    console.print(line, markup=False, highlight=False)


def _kept(show: Callable[[], Any], what: str) -> bool:
    """True, said aloud, when a document of this kind is already in force."""
    try:
        shown = show()
    except NotFound:
        return False
    _say(f"keeping the {what} in force, {shown.document.label}")
    return True


def load_routing(path: Path) -> None:
    """Put a routing file in force, so the leads the model qualifies get owners."""
    from liidi.services import routing

    text = path.read_text(encoding="utf-8")
    loaded = routing.load_routing(uow(), text=text, source_name=str(path), author="demo")
    _say(f"{loaded.document.label} in force ({loaded.plan.name}); try: .venv/bin/liidi routing show")


def load_sla(path: Path) -> None:
    """Put the SLA file in force when none is, before the model is published: the leads it qualifies get
    clocks from this moment (docs/sla.md: the past is not judged by rules it never had)."""
    from liidi.services import sla

    if _kept(lambda: sla.show_sla(uow()), "SLA"):
        return
    text = path.read_text(encoding="utf-8")
    loaded = sla.load_sla(uow(), text=text, source_name=str(path), author="demo")
    _say(f"{loaded.document.label} in force; new hand-overs get SLA clocks; try: .venv/bin/liidi sla show")


def load_plan(path: Path) -> None:
    """Put the weekly plan in force when none is: targets for the weekly review, and its playbooks."""
    from liidi.services import pacing

    if _kept(lambda: pacing.show_plan(uow()), "pacing plan"):
        return
    text = path.read_text(encoding="utf-8")
    loaded = pacing.load_plan(uow(), text=text, source_name=str(path), author="demo")
    _say(f"{loaded.document.label} in force ({loaded.plan.name}); try: .venv/bin/liidi pacing report")


def load_icp(path: Path) -> None:
    """Put the ideal-customer profile in force when none is, for the target-account and value reports."""
    from liidi.services import targets

    if _kept(lambda: targets.show_icp(uow()), "ICP"):
        return
    text = path.read_text(encoding="utf-8")
    loaded = targets.load_icp(uow(), text=text, source_name=str(path), author="demo")
    _say(f"{loaded.document.label} in force; try: .venv/bin/liidi report targets")


def start_nurture(path: Path) -> None:
    """Put the nurture file in force when none is, and run a first round: not-ready leads are enrolled."""
    from liidi.services import nurture

    if _kept(lambda: nurture.show_nurture(uow()), "nurture file"):
        return
    text = path.read_text(encoding="utf-8")
    loaded = nurture.load_nurture(uow(), text=text, source_name=str(path), author="demo")
    with console.status("enrolling not-ready leads in nurture…"):
        done = nurture.tick(uow)
    _say(f"{loaded.document.label} in force: {done.enrolled} leads enrolled, {done.performed} steps queued")
    _say("try: .venv/bin/liidi nurture report")
