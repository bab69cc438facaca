"""Sales feedback on handed-over leads (R10, R12): accept, reject, step back, convert, close.

Each action is allowed from a few stages only, so two reps deciding on one lead at once cannot both
succeed: the second finds the lead already moved and is told which actions remain.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from liidi.domain.lifecycle import Stage
from liidi.errors import FieldError, InvalidTransition, ValidationFailed

CODE = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
CURRENCY = re.compile(r"^[A-Z]{3}$")
MAX_AMOUNT = 1e15  # what every backend stores exactly enough, and the history import's bound
MAX_TEXT = 200


class Verdict(StrEnum):
    """Where a rejected lead or a lost deal's person goes: back to marketing, or out for good."""

    RECYCLE = "recycle"
    DISQUALIFY = "disqualify"

    @property
    def stage(self) -> Stage:
        """The lifecycle stage this verdict moves a person to."""
        return Stage.RECYCLED if self is Verdict.RECYCLE else Stage.DISQUALIFIED


class Action(StrEnum):
    """What sales can say about a lead."""

    ACCEPT = "accept"
    REJECT = "reject"
    STEP_BACK = "step-back"
    CONVERT = "convert"
    CLOSE = "close"


# The stages each action starts from. Accept and reject are the verdict on a hand-over (an MQL); a lead
# sales already accepted is returned with a step back; convert makes an SQL, or an opportunity with a deal.
STARTS: dict[Action, tuple[Stage, ...]] = {
    Action.ACCEPT: (Stage.MQL,),
    Action.REJECT: (Stage.MQL,),
    Action.STEP_BACK: (Stage.SAL, Stage.SQL),
    Action.CONVERT: (Stage.SAL, Stage.SQL),
}


def actions_from(stage: Stage) -> list[str]:
    """The feedback actions a person in this stage is open to (close needs an open deal instead)."""
    return [action.value for action, starts in STARTS.items() if stage in starts]


def check_action(action: Action, current: Stage, person_id: int) -> None:
    """Raise InvalidTransition naming the actions still open unless `action` may start from `current`."""
    if current in STARTS[action]:
        return
    open_now = actions_from(current)
    starts = " or ".join(s.value for s in STARTS[action])
    now = f"open now: {', '.join(open_now)}" if open_now else "no feedback action is open now"
    raise InvalidTransition(
        f"cannot {action.value} person {person_id}: they are in {current.value}, "
        f"{action.value} needs {starts}; {now}",
        open_now,
    )


@dataclass(frozen=True, slots=True)
class Reason:
    """One reason code, where it sends the person and what it means."""

    code: str
    verdict: Verdict
    description: str = ""


DEFAULT_REJECT: tuple[Reason, ...] = (
    Reason("not_ready", Verdict.RECYCLE, "interested, but not ready to talk to sales yet"),
    Reason("no_budget", Verdict.RECYCLE, "no budget this period"),
    Reason("wrong_person", Verdict.RECYCLE, "not the person who decides or buys"),
    Reason("no_response", Verdict.RECYCLE, "could not be reached"),
    Reason("competitor", Verdict.DISQUALIFY, "works for a competitor"),
    Reason("student", Verdict.DISQUALIFY, "a student or researcher, not a buyer"),
    Reason("spam", Verdict.DISQUALIFY, "fake or junk contact details"),
    Reason("duplicate", Verdict.DISQUALIFY, "the same person is already a lead"),
)
DEFAULT_STEP_BACK: tuple[Reason, ...] = (
    Reason("not_ready", Verdict.RECYCLE, "not ready to buy after all"),
    Reason("no_budget", Verdict.RECYCLE, "no budget this period"),
    Reason("wrong_person", Verdict.RECYCLE, "not the person who decides or buys"),
    Reason("no_response", Verdict.RECYCLE, "stopped answering"),
    Reason("timing", Verdict.RECYCLE, "the project moved to a later date"),
)
DEFAULT_LOST: tuple[Reason, ...] = (
    Reason("price", Verdict.RECYCLE, "chose a cheaper offer"),
    Reason("timing", Verdict.RECYCLE, "the project was postponed"),
    Reason("no_decision", Verdict.RECYCLE, "no decision was made"),
    Reason("competitor", Verdict.RECYCLE, "chose a competitor"),
    Reason("no_budget", Verdict.RECYCLE, "the budget went elsewhere"),
    Reason("not_a_fit", Verdict.DISQUALIFY, "what they need is not what we sell"),
)


@dataclass(frozen=True, slots=True)
class FeedbackReasons:
    """The reason codes sales may give: to reject a lead, to step one back (recycled), for a lost deal."""

    reject: Mapping[str, Reason]
    step_back: Mapping[str, Reason]
    lost: Mapping[str, Reason]

    @classmethod
    def default(cls) -> FeedbackReasons:
        """The shipped reason codes (docs/feedback.md lists them)."""
        return cls.of(DEFAULT_REJECT, DEFAULT_STEP_BACK, DEFAULT_LOST)

    @classmethod
    def of(
        cls, reject: Iterable[Reason], step_back: Iterable[Reason], lost: Iterable[Reason]
    ) -> FeedbackReasons:
        """Reasons from lists, keyed by code; a step back always recycles."""
        back = (Reason(r.code, Verdict.RECYCLE, r.description) for r in step_back)
        return cls({r.code: r for r in reject}, {r.code: r for r in back}, {r.code: r for r in lost})

    def rejected_to(self, code: str | None) -> Stage:
        """The stage a rejection with this reason moves the lead to; ValidationFailed lists the known ones."""
        return _known(self.reject, code, "rejecting a lead").verdict.stage

    def check_step_back(self, code: str | None) -> str:
        """The reason of a step back, or ValidationFailed listing the known ones."""
        return _known(self.step_back, code, "a step back").code

    def lost_to(self, code: str | None) -> Stage:
        """The stage a lost deal's reason moves the person to; ValidationFailed lists the known ones."""
        return _known(self.lost, code, "a lost deal").verdict.stage

    def listing(self) -> list[dict[str, Any]]:
        """Every reason as rows: action, code, the stage it leads to, description."""
        sections = (("reject", self.reject), ("step-back", self.step_back), ("close-lost", self.lost))
        return [_row(action, r) for action, reasons in sections for r in reasons.values()]


def _row(action: str, reason: Reason) -> dict[str, Any]:
    return {
        "action": action,
        "reason": reason.code,
        "to": reason.verdict.stage.value,
        "description": reason.description,
    }


def _known(reasons: Mapping[str, Reason], code: str | None, what: str) -> Reason:
    if code is None or code not in reasons:
        raise _unknown(code, what, tuple(reasons))
    return reasons[code]


def _unknown(code: str | None, what: str, known: tuple[str, ...]) -> ValidationFailed:
    listed = ", ".join(known)
    if code is None:
        reason = f"is required: {what} needs one of {listed}"
        return ValidationFailed([FieldError("reason", None, reason)], f"reason {reason}")
    reason = f"unknown reason for {what}; use one of {listed}"
    return ValidationFailed([FieldError("reason", code, reason)], f"reason {code!r}: {reason}")


def check_amount(value: Any, field: str = "amount") -> float | None:
    """A deal amount: a finite number from 0 to 10^15, or ValidationFailed naming it."""
    if value is None:
        return None
    reason = None
    if isinstance(value, bool) or not isinstance(value, int | float):
        reason = "must be a number such as 12000 or 1250.50"
    elif isinstance(value, float) and not math.isfinite(value):
        reason = "must be a finite number such as 12000 or 1250.50"
    elif value < 0:
        reason = "must not be negative"
    elif value > MAX_AMOUNT:
        reason = "must be at most 1e15"
    if reason is None:
        return float(value)
    shown = value if isinstance(value, int | float) and abs(value) <= MAX_AMOUNT * 1e3 else str(value)[:40]
    raise ValidationFailed([FieldError(field, shown, reason)], f"{field} {shown!r}: {reason}")


def check_currency(value: str | None) -> str:
    """A three-letter currency code (upper-cased; default EUR), or ValidationFailed naming it."""
    if value is None:
        return "EUR"
    code = value.strip().upper()
    if not CURRENCY.match(code):
        reason = "must be a three-letter currency code such as EUR or USD"
        raise ValidationFailed([FieldError("currency", value, reason)], f"currency {value!r}: {reason}")
    return code


def check_text(value: str | None, field: str, limit: int = MAX_TEXT) -> str | None:
    """Free text every backend stores: at most `limit` characters, no NUL; blank is None."""
    if value is None or not value.strip():
        return None
    problem = "must not contain the NUL character (\\u0000)" if "\x00" in value else None
    if problem is None and len(value) > limit:
        problem = f"must be at most {limit} characters"
    if problem:
        shown = value.replace("\x00", "\\0")[:40]
        raise ValidationFailed([FieldError(field, shown, problem)], f"{field}: {problem}")
    return value.strip()
