"""Performing due nurture steps: each is written to the outbox once, and the enrolment moves on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from liidi.domain.accounts import Account
from liidi.domain.messages import NurtureStepDue
from liidi.domain.nurture import Enrolment, PersonState, Status, Step
from liidi.domain.people import Person
from liidi.services.nurture_catalog import ActiveNurture, active_nurture_in, enrolment_of, person_state
from liidi.services.nurture_enrol import exit_track_removed_in
from liidi.services.unit_of_work import ChangedMeanwhile, UnitOfWork

RUN_BATCH = 100


@dataclass(frozen=True, slots=True)
class Ran:
    """One batch of due enrolments: how many were claimed, and how many steps were performed."""

    claimed: int
    performed: int


def run_due_in(uow: UnitOfWork, *, now: float, limit: int = RUN_BATCH) -> Ran:
    """Perform the steps due by `now` (up to `limit` enrolments), soonest first.

    The due enrolments are locked (on PostgreSQL those another worker holds are skipped). A person who
    must leave nurture leaves instead of getting the step; each step done is recorded once, with the
    outbox message that carries it, and the enrolment moves to its next step (due after its wait).
    """
    rows = uow.nurture.claim_due(now, limit)
    if not rows:
        return Ran(0, 0)
    active = active_nurture_in(uow)
    ids = {int(row["person_id"]) for row in rows}
    people = uow.people.get_many(ids)
    accounts = uow.accounts.get_many({p.account_id for p in people.values() if p.account_id})
    states: dict[tuple[int, str], dict[str, Any]] = {}
    for model in {str(row["model"]) for row in rows}:
        states |= {(pid, model): row for pid, row in uow.nurture.states(ids, model).items()}
    performed = 0
    for row in rows:
        pid = int(row["person_id"])
        person = people[pid]
        account = accounts.get(person.account_id) if person.account_id else None
        state = person_state(states[(pid, str(row["model"]))])
        performed += _perform_in(uow, active, row, person, account, state, now)
    return Ran(len(rows), performed)


def _perform_in(
    uow: UnitOfWork,
    active: ActiveNurture | None,
    row: dict[str, Any],
    person: Person,
    account: Account | None,
    state: PersonState,
    now: float,
) -> bool:
    """Exit, complete or perform the next step of one enrolment; True when a step was performed."""
    enrolment_id = int(row["id"])
    track = (
        active.catalog.named(str(row["track"])) if active and active.catalog.model == row["model"] else None
    )
    if track is None:
        exit_track_removed_in(uow, enrolment_id, now)
        return False
    enrolment = enrolment_of(row, track)
    reason = enrolment.should_exit(state)
    step = enrolment.next_step(now)
    if reason is not None or step is None:
        status, why = (Status.EXITED, reason.value) if reason else (Status.COMPLETED, None)
        uow.nurture.end(enrolment_id, status=status.value, reason=why, now=now)
        return False
    message = _message(enrolment_id, enrolment, step, person, account, state, now)
    outbox_id = uow.outbox.add(message, now)
    index = enrolment.step_index
    done = {"enrolment_id": enrolment_id, "step_index": index, "action": step.action.value, "done_ts": now}
    uow.nurture.step_done(done | {"outbox_id": outbox_id})
    after = enrolment.after_step(now)
    if not uow.nurture.advance(
        enrolment_id, index, {"step_index": after.step_index, "next_due_ts": after.next_due_ts}
    ):
        raise ChangedMeanwhile(f"nurture enrolment {enrolment_id} moved on meanwhile")
    if after.status is Status.COMPLETED:
        uow.nurture.end(enrolment_id, status=Status.COMPLETED.value, reason=None, now=now)
    return True


def _message(
    enrolment_id: int,
    enrolment: Enrolment,
    step: Step,
    person: Person,
    account: Account | None,
    state: PersonState,
    now: float,
) -> NurtureStepDue:
    """What the e-mail tool, the mailer or the rep needs to do the step for this person."""
    number = enrolment.step_index + 1
    return NurtureStepDue(
        key=f"nurture:{enrolment_id}:{number}",
        enrolment_id=enrolment_id,
        person_id=person.id,
        email=person.email,
        name=person.name,
        model=enrolment.model,
        track=enrolment.track.name,
        step=number,
        steps=len(enrolment.track.steps),
        action=step.action.value,
        template=step.template,
        campaign=step.campaign,
        subject=step.subject,
        task=step.task,
        owner=person.owner or (account.owner if account else None),
        themes=list(state.themes),
        buying_stage=state.buying_stage,
        due_ts=float(enrolment.next_due_ts or now),
        occurred_ts=now,
    )
