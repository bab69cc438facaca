"""Two reps decide on the same leads at the same moment, against `liidi serve --workers 2` on PostgreSQL.

For every lead one decision wins and the other gets a 409 naming the lead's new stage; each lead has one
decision in its history and one feedback message in the outbox.
"""

from __future__ import annotations

import json
import multiprocessing as mp
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, text

from liidi.services import lifecycle
from liidi.services.keys import create_key
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW
from tests.e2e.test_serve import free_port, running_server

LEADS = 25


def _rep(base: str, key: str, barrier: Any, rep: int, leads: list[int], out: str) -> None:
    """Rep 0 accepts every lead, rep 1 rejects it; both wait at the barrier before each lead."""
    replies: list[tuple[int, int, dict[str, Any]]] = []
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60) as http:
        for pid in leads:
            barrier.wait()
            if rep == 0:
                reply = http.post(f"/v1/people/{pid}/accept", json={"actor": "rep0@firma.fi"})
            else:
                reply = http.post(
                    f"/v1/people/{pid}/reject", json={"reason": "not_ready", "actor": "rep1@firma.fi"}
                )
            replies.append((pid, reply.status_code, reply.json()))
    Path(out).write_text(json.dumps(replies), encoding="utf-8")


def test_two_reps_deciding_on_one_lead_at_once_one_wins_and_the_other_gets_409(
    postgres_engine: Engine, postgres_url: str, tmp_path: Path
) -> None:
    new_uow = lambda: UnitOfWork(postgres_engine)  # noqa: E731
    leads = [identify(new_uow(), email=f"lead{i}@kivikoski.fi", now=NOW).person_id for i in range(LEADS)]
    for pid in leads:
        lifecycle.transition(new_uow(), person_id=pid, to="mql", actor="scoring", now=NOW)
    key = create_key(new_uow(), scope="admin").secret
    outs = [str(tmp_path / f"rep{r}.json") for r in range(2)]
    port = free_port()
    with running_server(postgres_url, port, "--workers", "2"):
        ctx = mp.get_context("spawn")
        barrier = ctx.Barrier(2)
        url = f"http://127.0.0.1:{port}"
        procs = [ctx.Process(target=_rep, args=(url, key, barrier, r, leads, outs[r])) for r in range(2)]
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.join(300)
    assert [proc.exitcode for proc in procs] == [0, 0]
    replies = [json.loads(Path(out).read_text(encoding="utf-8")) for out in outs]

    wins = {0: 0, 1: 0}
    for (pid, accept_status, accept_body), (_, reject_status, reject_body) in zip(*replies, strict=True):
        assert sorted([accept_status, reject_status]) == [200, 409], (pid, accept_body, reject_body)
        loser = accept_body if accept_status == 409 else reject_body
        assert loser["error"]["code"] == "invalid_transition"
        assert (
            "they are in sal" in loser["error"]["message"]
            or "they are in recycled" in loser["error"]["message"]
        )
        wins[0 if accept_status == 200 else 1] += 1
    with postgres_engine.connect() as conn:
        decisions = dict(
            conn.execute(
                text(
                    "SELECT person_id, count(*) FROM lifecycle_history "
                    "WHERE from_stage = 'mql' GROUP BY person_id"
                )
            ).all()
        )
        messages = conn.execute(
            text("SELECT count(*) FROM outbox WHERE topic IN ('lead.accepted', 'lead.rejected')")
        ).scalar_one()
        stages = dict(conn.execute(text("SELECT lifecycle_stage, count(*) FROM people GROUP BY 1")).all())
    assert decisions == dict.fromkeys(leads, 1)
    assert messages == LEADS
    assert stages == {k: v for k, v in {"sal": wins[0], "recycled": wins[1]}.items() if v}
