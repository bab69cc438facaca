"""Score states: per person and model, the events that matter to the model and the latest summary."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, delete, exists, select

from liidi.storage.repositories.base import Repository, any_in, upsert
from liidi.storage.tables import opportunities, people, score_states


class ScoreStateRepository(Repository):
    """Rows of the score_states table."""

    def load(
        self, person_ids: set[int], models: list[str], *, lock: bool = False
    ) -> dict[tuple[int, str], dict[str, Any]]:
        """The states of these people under these models, keyed by (person_id, model).

        With `lock`, the rows are locked in (person, model) order until the transaction ends: the caller
        is about to advance them.
        """
        if not person_ids or not models:
            return {}
        stmt = select(score_states).where(
            score_states.c.person_id.in_(sorted(person_ids)), score_states.c.model.in_(sorted(models))
        )
        if lock:
            stmt = stmt.order_by(score_states.c.person_id, score_states.c.model).with_for_update()
        return {(int(r.person_id), str(r.model)): dict(r._mapping) for r in self.conn.execute(stmt)}

    def save(self, rows: list[dict[str, Any]]) -> None:
        """Insert or replace states in (person, model) order, as one upsert."""
        if not rows:
            return
        ordered = sorted(rows, key=lambda row: (row["person_id"], row["model"]))
        stmt = upsert(self.conn, score_states)
        changed = {c.name: stmt.excluded[c.name] for c in score_states.c if not c.primary_key}
        stmt = stmt.on_conflict_do_update(index_elements=["person_id", "model"], set_=changed)
        self.conn.execute(stmt, ordered)

    def drop_person(self, person_id: int) -> None:
        """Forget every state of a person (after a merge)."""
        self.conn.execute(delete(score_states).where(score_states.c.person_id == person_id))

    def drop_model(self, model: str) -> None:
        """Forget every state of a model (before rescoring everyone)."""
        self.conn.execute(delete(score_states).where(score_states.c.model == model))

    def ranked(self, *, model: str, filters: dict[str, Any], limit: int) -> list[dict[str, Any]]:
        """States joined to people, highest stored score first, with optional filters."""
        stmt = select(score_states, people.c.lifecycle_stage, people.c.owner, people.c.email).join(
            people, people.c.id == score_states.c.person_id
        )
        conditions = [score_states.c.model == model, people.c.merged_into_id.is_(None)]
        for name, value in filters.items():
            if name == "hot" and value:
                conditions.append(score_states.c.qualified == 1)
            elif name == "grade":
                conditions.append(score_states.c.grade == value)
            elif name in ("lifecycle_stage", "owner"):
                conditions.append(people.c[name] == value)
            elif name == "person_ids":
                conditions.append(any_in(self.conn, score_states.c.person_id, sorted(value)))
            elif name == "not_stages":
                conditions.append(people.c.lifecycle_stage.not_in(list(value)))
            elif name == "no_open_deal":
                open_deal = (opportunities.c.person_id == people.c.id) & (opportunities.c.stage == "open")
                conditions.append(~exists().where(open_deal))
        stmt = stmt.where(and_(*conditions)).order_by(score_states.c.score.desc(), score_states.c.person_id)
        return [dict(r._mapping) for r in self.conn.execute(stmt.limit(limit))]
