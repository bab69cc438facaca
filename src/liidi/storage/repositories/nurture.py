"""Nurture enrolments and the steps done for them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Double, and_, case, exists, func, literal, or_, select, text, update

from liidi.domain.nurture import NURTURABLE
from liidi.storage.repositories.base import Repository, any_in, upsert
from liidi.storage.tables import nurture_enrolments, nurture_steps_done, people, score_states

ACTIVE = "active"
_E = nurture_enrolments.c


class NurtureRepository(Repository):
    """Rows of nurture_enrolments and nurture_steps_done as dictionaries."""

    def add(self, values: dict[str, Any]) -> int | None:
        """Start an enrolment; None when the person already has an active one under the model."""
        stmt = (
            upsert(self.conn, nurture_enrolments)
            .values(values)
            .on_conflict_do_nothing(
                index_elements=["person_id", "model"], index_where=text("status = 'active'")
            )
            .returning(_E.id)
        )
        found = self.conn.execute(stmt).scalar()
        return int(found) if found is not None else None

    def claim_due(self, now: float, limit: int) -> list[dict[str, Any]]:
        """Active enrolments whose next step is due, soonest first, locked (others' locked rows skipped)."""
        stmt = (
            select(nurture_enrolments)
            .where(_E.status == ACTIVE, _E.next_due_ts <= now)
            .order_by(_E.next_due_ts, _E.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def claim_leaving(self, limit: int) -> list[dict[str, Any]]:
        """Active enrolments of people merged away, past marketing, disqualified or unsubscribed, locked."""
        p = people.c
        leaving = or_(
            p.merged_into_id.is_not(None),
            p.lifecycle_stage.not_in(sorted(NURTURABLE)),
            p.consent == "withdrawn",
        )
        stmt = (
            select(_E.id, _E.person_id, _E.model)
            .join(people, p.id == _E.person_id)
            .where(_E.status == ACTIVE, leaving)
            .order_by(_E.id)
            .limit(limit)
            .with_for_update(of=nurture_enrolments, skip_locked=True)
        )
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def advance(self, enrolment_id: int, from_index: int, values: dict[str, Any]) -> bool:
        """Move an active enrolment on from a step; False when it is no longer at that step."""
        stmt = update(nurture_enrolments).where(
            _E.id == enrolment_id, _E.step_index == from_index, _E.status == ACTIVE
        )
        return bool(self.conn.execute(stmt.values(values)).rowcount)

    def end(self, enrolment_id: int, *, status: str, reason: str | None, now: float) -> bool:
        """End an active enrolment (completed, or exited with a reason), noting the buying stage then."""
        stmt = update(nurture_enrolments).where(_E.id == enrolment_id, _E.status == ACTIVE)
        return bool(self.conn.execute(stmt.values(self._ending(status, reason, now))).rowcount)

    def end_active_of(self, person_id: int, *, reason: str, now: float) -> int:
        """Exit every active enrolment of a person with a reason; how many there were."""
        stmt = update(nurture_enrolments).where(_E.person_id == person_id, _E.status == ACTIVE)
        return int(self.conn.execute(stmt.values(self._ending("exited", reason, now))).rowcount)

    @staticmethod
    def _ending(status: str, reason: str | None, now: float) -> dict[str, Any]:
        s = score_states.c
        stage = (
            select(s.buying_stage).where(s.person_id == _E.person_id, s.model == _E.model).scalar_subquery()
        )
        ended = case(
            (_E.enrolled_ts > now, _E.enrolled_ts), else_=literal(now, Double())
        )  # never before it began
        return {
            "status": status,
            "exit_reason": reason,
            "ended_ts": ended,
            "next_due_ts": None,
            "final_stage": stage,
        }

    def step_done(self, values: dict[str, Any]) -> None:
        """Record a step performed (once: the enrolment and step index are unique)."""
        self._insert(nurture_steps_done, values)

    def candidates(self, model: str, after: int, limit: int) -> list[dict[str, Any]]:
        """People scored under a model, in a stage nurture takes, never enrolled under it, in id order."""
        p, s = people.c, score_states.c
        enrolled = exists().where(_E.person_id == p.id, _E.model == model)
        stmt = (
            select(p.id, p.lifecycle_stage, p.consent, s.grade, s.score, s.themes, s.buying_stage)
            .join(score_states, and_(s.person_id == p.id, s.model == model))
            .where(p.id > after, p.merged_into_id.is_(None), p.lifecycle_stage.in_(sorted(NURTURABLE)))
            .where(p.consent != "withdrawn", ~enrolled)
            .order_by(p.id)
            .limit(limit)
        )
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def states(self, person_ids: set[int], model: str) -> dict[int, dict[str, Any]]:
        """Each person's stage, consent and merge, with their latest score under a model (if scored)."""
        if not person_ids:
            return {}
        p, s = people.c, score_states.c
        stmt = (
            select(p.id, p.lifecycle_stage, p.consent, p.merged_into_id)
            .add_columns(s.grade, s.score, s.themes, s.buying_stage)
            .outerjoin(score_states, and_(s.person_id == p.id, s.model == model))
            .where(any_in(self.conn, p.id, sorted(person_ids)))
        )
        return {int(r.id): dict(r._mapping) for r in self.conn.execute(stmt)}

    def of_person(self, person_id: int) -> list[dict[str, Any]]:
        """A person's enrolments, newest first, each with how many steps were done."""
        d = nurture_steps_done.c
        done = select(func.count()).where(d.enrolment_id == _E.id).scalar_subquery()
        stmt = select(nurture_enrolments, done.label("steps_done")).where(_E.person_id == person_id)
        return [
            dict(r._mapping) for r in self.conn.execute(stmt.order_by(_E.enrolled_ts.desc(), _E.id.desc()))
        ]

    def steps_of(self, enrolment_id: int) -> list[dict[str, Any]]:
        """The steps done for an enrolment, in order."""
        d = nurture_steps_done.c
        stmt = select(nurture_steps_done).where(d.enrolment_id == enrolment_id).order_by(d.step_index)
        return [dict(r._mapping) for r in self.conn.execute(stmt)]

    def outcomes(
        self, model: str, since: float | None = None, until: float | None = None
    ) -> list[dict[str, Any]]:
        """Every enrolment under a model: track, status, how it ended, when, and its buying stages.

        `latest_stage` is the buying stage when the enrolment ended, or the person's current one while active.
        """
        s = score_states.c
        latest = case((_E.status == ACTIVE, s.buying_stage), else_=_E.final_stage)
        stmt = (
            select(_E.id, _E.track, _E.status, _E.exit_reason, _E.entry, _E.enrolled_ts, _E.ended_ts)
            .add_columns(_E.entry_stage, latest.label("latest_stage"))
            .outerjoin(score_states, and_(s.person_id == _E.person_id, s.model == _E.model))
            .where(_E.model == model)
        )
        if since is not None:
            stmt = stmt.where(_E.enrolled_ts >= since)
        if until is not None:
            stmt = stmt.where(_E.enrolled_ts < until)
        return [dict(r._mapping) for r in self.conn.execute(stmt.order_by(_E.id))]

    def count(self, status: str | None = None) -> int:
        """How many enrolments there are (of a status)."""
        stmt = select(func.count()).select_from(nurture_enrolments)
        if status is not None:
            stmt = stmt.where(_E.status == status)
        return int(self.conn.execute(stmt).scalar_one())
