"""The concurrency test of the core with the hand-over running beside it on PostgreSQL: four writers, a
mixer, routing, SLA clocks and nurture in force, and two `liidi worker` processes delivering the outbox,
scanning SLA clocks and running nurture rounds. Nothing doubles, nothing is lost, no rep goes over
capacity."""

from __future__ import annotations

import signal
from pathlib import Path

from sqlalchemy import Engine, text

from liidi.services import nurture, routing, sla
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, publish
from tests.e2e.test_worker import worker
from tests.integration.test_concurrency import EXAMPLE, duplicates, run_writers, score_mismatches
from tests.integration.test_dispatch import subscribe
from tests.receivers import Receiver, receiving, wait_until
from tests.routing_support import ROUTING

ROOT = Path(__file__).resolve().parents[2]
NURTURE = """\
model: core-services
enter: {recycled: true}
tracks:
  - name: everyone
    steps:
      - {wait: 1d, action: webhook, template: digest}
"""


def _hand_over_in_force(engine: Engine) -> None:
    new_uow = lambda: UnitOfWork(engine)  # noqa: E731
    publish(new_uow, EXAMPLE)
    routing.load_routing(new_uow(), text=ROUTING, source_name="routing.yaml", author="test", now=NOW - 7200)
    text_ = (ROOT / "examples" / "sla.yaml").read_text(encoding="utf-8")
    sla.load_sla(new_uow(), text=text_, source_name="sla.yaml", author="test", now=NOW - 7200)
    nurture.load_nurture(new_uow(), text=NURTURE, source_name="nurture.yaml", author="test", now=NOW - 7200)


def _settled(engine: Engine) -> bool:
    """The workers' SLA scans (every 15 s) have announced breaches and the outbox is delivered."""
    with engine.connect() as conn:
        breached = conn.execute(text("SELECT count(*) FROM sla_clocks WHERE breached_ts IS NOT NULL"))
        pending = conn.execute(text("SELECT count(*) FROM outbox WHERE status = 'pending'"))
        return int(breached.scalar_one()) > 0 and int(pending.scalar_one()) == 0


def _over_capacity(engine: Engine) -> list[tuple[str, int]]:
    """Reps given more leads by routing than their capacity (2 a week for anna and bert) in one week."""
    query = """
        SELECT owner, count(*) FROM assignments
        WHERE method IN ('affinity', 'round_robin') AND owner IN ('anna@firma.fi', 'bert@firma.fi')
        GROUP BY owner, floor((assigned_ts - 345600) / 604800) HAVING count(*) > 2
    """
    with engine.connect() as conn:
        return [(str(r[0]), int(r[1])) for r in conn.execute(text(query))]


def test_writers_and_a_mixer_beside_two_workers_keep_scores_deliveries_and_capacity_right(
    postgres_engine: Engine, postgres_url: str, tmp_path: Path
) -> None:
    _hand_over_in_force(postgres_engine)
    with receiving(Receiver()) as hook:
        subscribe(lambda: UnitOfWork(postgres_engine), hook.url)
        workers = [worker(postgres_url, "--name", f"w{n}") for n in range(2)]
        try:
            replies = run_writers(postgres_url, tmp_path, mixer=True)
            assert wait_until(lambda: _settled(postgres_engine), timeout=240), "the outbox did not drain"
        finally:
            for proc in workers:
                proc.send_signal(signal.SIGTERM)
            logs = [proc.communicate(timeout=60) for proc in workers]
        accepted = len(hook.accepted)

    assert [proc.returncode for proc in workers] == [0, 0], logs
    # a delivery the busy receiver dropped is retried (logged as a warning); a failing task is an error
    assert not [err for _, err in logs if "Traceback" in err or "worker task" in err], logs
    assert [failure for reply in replies for failure in reply["failures"]] == []
    assert score_mismatches(postgres_engine) == []
    doubled = duplicates(postgres_engine)
    del doubled["people without an e-mail"]  # the mixer's merged people gave theirs to the survivors
    assert doubled == dict.fromkeys(doubled, 0)
    with postgres_engine.connect() as conn:
        sent = int(conn.execute(text("SELECT count(*) FROM outbox")).scalar_one())
        dead = int(
            conn.execute(text("SELECT count(*) FROM deliveries WHERE status <> 'delivered'")).scalar_one()
        )
        topics = set(conn.execute(text("SELECT DISTINCT topic FROM outbox")).scalars())
    assert dead == 0 and accepted == sent, "every message reaches the receiver exactly once"
    assert {"lead.assigned", "sla.breached"} <= topics
    assert _over_capacity(postgres_engine) == []
