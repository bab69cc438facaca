"""Scoring use cases: published models, scoring inside the ingest transaction, rescoring, score reads."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from liidi.domain.events import Event
from liidi.domain.people import Person
from liidi.domain.scoring import ScoreCard
from liidi.engines.incremental import (
    ScoreState,
    advance_and_read,
    from_row,
    qualified_by_now,
    relevance,
    to_json,
)
from liidi.services.assignment import AUTOMATIC, Qualified, assign_qualified_in
from liidi.services.identity import lock_people_in
from liidi.services.lifecycle import Transition, qualify_in
from liidi.services.published import Published, published_models
from liidi.services.unit_of_work import UnitOfWork, run_in_transaction

RESCORE_CHUNK = 200

__all__ = ["RESCORE_CHUNK", "Published", "published_models", "rescore_model", "score_in", "state_row"]


def score_in(
    uow: UnitOfWork,
    *,
    new_events: dict[int, list[Event]],
    rebuild: set[int],
    now: float,
    only: str | None = None,
) -> list[Transition]:
    """Advance the score states of these people inside the caller's transaction; qualify who now qualifies.

    The people are locked first (in id order), so no other writer advances their states meanwhile; a
    state left by another version of its model is rebuilt from the person's whole history.
    """
    person_ids = set(new_events) | rebuild
    if not person_ids:
        return []
    lock_people_in(uow, person_ids)
    models = [m for m in published_models(uow) if only is None or m.name == only]
    if not models:
        return []
    people = uow.people.get_many(person_ids)
    accounts = uow.accounts.get_many({p.account_id for p in people.values() if p.account_id})
    stored = uow.scores.load(person_ids, [m.name for m in models], lock=True)
    stale = {pid for (pid, name), row in stored.items() if row["model_version"] != _label(models, name)}
    history = uow.events.for_people(rebuild | stale) if rebuild | stale else {}
    paths: dict[int, tuple[str, str, float | None]] = {}
    cards: dict[int, ScoreCard] = {}
    rows: list[dict[str, Any]] = []
    for pub in models:
        keep = relevance(pub.model)
        for pid, person in sorted(people.items()):
            account = accounts.get(person.account_id) if person.account_id else None
            row = stored.get((pid, pub.name))
            if pid in rebuild or (row is not None and row["model_version"] != pub.label):
                old, arriving = ScoreState(), history[pid]
            else:
                old, arriving = from_row(row, pid), new_events.get(pid, [])
            state, now_card = advance_and_read(pub.model, person, account, old, arriving, now, keep=keep)
            assert now_card is not None
            rows.append(state_row(pid, pub, state, now_card, now))
            path = qualified_by_now(now_card)
            if path and pid not in paths:
                paths[pid] = (path, pub.label, state.first_ts)
                cards[pid] = now_card
    uow.scores.save(rows)
    moves = _qualify(uow, people, paths, now)
    handed = [
        Qualified(m.person_id, m.qualified_by or "mql", m.occurred_ts, cards[m.person_id], m.model_version)
        for m in moves
    ]
    assign_qualified_in(uow, handed, AUTOMATIC, people=people, accounts=accounts)
    return moves


def _label(models: list[Published], name: str) -> str:
    return next(m.label for m in models if m.name == name)


def _qualify(
    uow: UnitOfWork, people: dict[int, Person], paths: dict[int, tuple[str, str, float | None]], now: float
) -> list[Transition]:
    """Make who qualifies an MQL, dated at the event that qualified them (not when it was processed).

    The qualifying moment is used when it is after the person's latest stage change; a person who
    qualified before an earlier change (e.g. before being recycled) is dated now.
    """
    moves = []
    latest = uow.lifecycle.latest_ts({pid for pid, _ in paths.items()})
    for pid, (path, label, first_ts) in paths.items():
        stage = people[pid].lifecycle_stage
        after = latest.get(pid, float("-inf"))
        at = first_ts if first_ts is not None and after < first_ts <= now else now
        move = qualify_in(uow, person_id=pid, current=stage, qualified_by=path, model_version=label, at=at)
        if move is not None:
            moves.append(move)
    return moves


def state_row(pid: int, pub: Published, state: ScoreState, now_card: ScoreCard, now: float) -> dict[str, Any]:
    """The stored form of a state with its summary as of `now`."""
    return {
        "person_id": pid,
        "model": pub.name,
        "model_version": pub.label,
        "events": to_json(state),
        "score": now_card.score,
        "fit": now_card.fit,
        "engagement": now_card.engagement,
        "grade": now_card.grade,
        "qualified": int(now_card.is_qualified),
        "qualified_by": state.first_by,
        "qualified_ts": state.first_ts,
        "buying_stage": now_card.buying_stage,
        "themes": [t.theme for t in now_card.themes],
        "scored_ts": now,
    }


def rescore_model(
    new_uow: Callable[[], UnitOfWork],
    *,
    name: str,
    progress: Callable[[int], None] | None = None,
    now: float | None = None,
) -> int:
    """Rebuild every live person's state for the published version of a model, a chunk per transaction."""
    from liidi.services.clock import resolve_now

    ts = resolve_now(now)
    after, done = 0, 0
    while ids := run_in_transaction(new_uow(), partial(_rescore_chunk_in, after=after, name=name, now=ts)):
        after, done = ids[-1], done + len(ids)
        if progress:
            progress(len(ids))
    return done


def _rescore_chunk_in(uow: UnitOfWork, *, after: int, name: str, now: float) -> list[int]:
    """Rebuild the next chunk of live people after an id; their ids (merged meanwhile ones skipped)."""
    ids = uow.people.live_ids(after, RESCORE_CHUNK)
    live = {pid for pid, merged_into in uow.people.lock(set(ids)).items() if merged_into is None}
    score_in(uow, new_events={}, rebuild=live, now=now, only=name)
    return ids
