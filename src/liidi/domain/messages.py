"""Domain messages: past-tense facts written to the outbox with the change they describe, for delivery."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar

from liidi.errors import FieldError, ValidationFailed


class Message:
    """A fact for the outbox: its `topic` and a JSON-ready `payload()`; `from_payload` reads one back."""

    __slots__ = ()
    topic: ClassVar[str]
    renamed: ClassVar[Mapping[str, str]] = {}  # attribute name → payload key, where they differ

    def payload(self) -> dict[str, Any]:
        """The message as a JSON-ready dict."""
        return {self.renamed.get(f.name, f.name): getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Message:
        """The message a payload describes; ValidationFailed names a missing or unknown key."""
        back = {key: name for name, key in cls.renamed.items()}
        names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
        required = {f.name for f in fields(cls) if f.default is MISSING}  # type: ignore[arg-type]
        values = {back.get(key, key): value for key, value in payload.items()}
        problems = [
            FieldError(k, payload[k], f"not a field of {cls.topic}")
            for k in payload
            if back.get(k, k) not in names
        ]
        problems += [
            FieldError(cls.renamed.get(n, n), None, "is required") for n in sorted(required - set(values))
        ]
        if problems:
            raise ValidationFailed(problems, f"not a {cls.topic} message: {problems[0].one_line()}")
        return cls(**values)


@dataclass(frozen=True, slots=True)
class PersonCreated(Message):
    """A person was created, from an e-mail address or an id in the CRM."""

    topic: ClassVar[str] = "person.created"
    person_id: int
    email: str | None
    external_id: str | None = None


@dataclass(frozen=True, slots=True)
class PersonMerged(Message):
    """One person was folded into another."""

    topic: ClassVar[str] = "person.merged"
    survivor_id: int
    merged_id: int


@dataclass(frozen=True, slots=True)
class LeadStageChanged(Message):
    """A person moved from one lifecycle stage to another."""

    topic: ClassVar[str] = "lead.stage_changed"
    renamed: ClassVar[Mapping[str, str]] = {"from_stage": "from", "to_stage": "to"}
    person_id: int
    from_stage: str
    to_stage: str
    actor: str
    reason: str | None
    qualified_by: str | None
    model_version: str | None
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class ModelPublished(Message):
    """A scoring model version was published in place of the previous one."""

    topic: ClassVar[str] = "model.published"
    name: str
    version: int
    previous_version: int | None
    author: str


@dataclass(frozen=True, slots=True)
class LeadAssigned(Message):
    """A qualified lead was routed to an owner (or a team's queue), with the context a rep needs."""

    topic: ClassVar[str] = "lead.assigned"
    person_id: int
    owner: str | None
    team: str | None
    rule: str | None
    reason: str
    motion: str | None
    actor: str
    context: dict[str, Any]


@dataclass(frozen=True, slots=True)
class LeadAccepted(Message):
    """Sales accepted a handed-over lead (it became an SAL)."""

    topic: ClassVar[str] = "lead.accepted"
    person_id: int
    from_stage: str
    actor: str
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class LeadRejected(Message):
    """Sales rejected a handed-over lead with a reason: recycled to marketing or disqualified."""

    topic: ClassVar[str] = "lead.rejected"
    person_id: int
    from_stage: str
    to_stage: str
    reason: str
    actor: str
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class LeadReturned(Message):
    """Sales stepped an accepted lead back to marketing (recycled) with a reason."""

    topic: ClassVar[str] = "lead.returned"
    person_id: int
    from_stage: str
    reason: str
    actor: str
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class LeadConverted(Message):
    """Sales converted a lead to an SQL, or to an opportunity with an open deal."""

    topic: ClassVar[str] = "lead.converted"
    person_id: int
    from_stage: str
    to_stage: str
    deal_id: int | None
    amount: float | None
    currency: str | None
    actor: str
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class DealClosed(Message):
    """A person's open deal was won or lost (with the reason), and what became of the person."""

    topic: ClassVar[str] = "deal.closed"
    deal_id: int
    person_id: int
    outcome: str
    amount: float | None
    currency: str
    reason: str | None
    to_stage: str
    actor: str
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class NurtureStepDue(Message):
    """A nurture step fell due: call the e-mail tool (webhook), send an e-mail, or give a rep a task.

    `step` counts from 1 of `steps`; `key` is the same for every delivery of this step (idempotency).
    """

    topic: ClassVar[str] = "nurture.step_due"
    key: str
    enrolment_id: int
    person_id: int
    email: str | None
    name: str | None
    model: str
    track: str
    step: int
    steps: int
    action: str
    template: str | None
    campaign: str | None
    subject: str | None
    task: str | None
    owner: str | None
    themes: list[str]
    buying_stage: str | None
    due_ts: float
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class SlaWarning(Message):
    """A handed-over lead's response deadline is near and nobody has touched it yet.

    `key` is the same for every delivery of this notice (idempotency)."""

    topic: ClassVar[str] = "sla.warning"
    key: str
    clock_id: int
    person_id: int
    owner: str
    team: str | None
    policy: str
    started_ts: float
    due_ts: float
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class SlaBreached(Message):
    """A handed-over lead's response deadline passed untouched."""

    topic: ClassVar[str] = "sla.breached"
    key: str
    clock_id: int
    person_id: int
    owner: str
    team: str | None
    policy: str
    started_ts: float
    due_ts: float
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class SlaEscalated(Message):
    """A step of a breached clock's escalation ladder: notify the owner, the team lead, or reassign.

    `to` is who is told (the owner or the team lead) or who the lead went to (reassign; null when routing
    found nobody else); `step` counts from 1 of `steps`."""

    topic: ClassVar[str] = "sla.escalated"
    key: str
    clock_id: int
    person_id: int
    owner: str
    team: str | None
    policy: str
    step: int
    steps: int
    action: str
    to: str | None
    due_ts: float
    occurred_ts: float


@dataclass(frozen=True, slots=True)
class PlaybookTriggered(Message):
    """A week fell short of a playbook's threshold: its play runs in the next week, as a task.

    `period` is the week measured and `runs_in` the week of the play; `key` is the same for every
    delivery of this play (idempotency)."""

    topic: ClassVar[str] = "playbook.triggered"
    key: str
    task_id: int
    playbook: str
    period: str
    runs_in: str
    metric: str
    actual: int
    below: int
    where: dict[str, list[str]]
    action: str
    title: str
    contacts_per_day: int | None
    meetings: int | None
    owner: str | None
    note: str | None
    plan_version: int
    occurred_ts: float


KINDS: dict[str, type[Message]] = {
    kind.topic: kind
    for kind in (
        PersonCreated,
        PersonMerged,
        LeadStageChanged,
        ModelPublished,
        LeadAssigned,
        LeadAccepted,
        LeadRejected,
        LeadReturned,
        LeadConverted,
        DealClosed,
        NurtureStepDue,
        SlaWarning,
        SlaBreached,
        SlaEscalated,
        PlaybookTriggered,
    )
}


def message_from(topic: str, payload: Mapping[str, Any]) -> Message:
    """The typed message an outbox row holds; ValidationFailed for an unknown topic or payload."""
    kind = KINDS.get(topic)
    if kind is None:
        raise ValidationFailed(
            [FieldError("topic", topic, f"unknown topic; known: {', '.join(sorted(KINDS))}")]
        )
    return kind.from_payload(payload)
