"""Parity on a real database: whatever arrives in whatever order, the stored state reads as the reference."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from liidi.domain.scoring import score
from liidi.services import ingest, leads, scoring
from liidi.services.identity import live_person_id
from liidi.services.people import identify, merge_people
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, publish
from tests.unit.test_incremental_engine import close

EXAMPLE = (Path(__file__).resolve().parents[2] / "examples" / "scoring.yaml").read_text(encoding="utf-8")
DAY = 86400.0
KINDS = ["page_view", "page_view", "email_click", "ad_click", "download", "demo_request", "product_usage"]
PATHS = ["/palvelut/pilvi/hinnat", "/palvelut/tietoturva", "/blogi/ai", "/hinnasto"]

step = st.one_of(
    st.tuples(
        st.just("event"),
        st.integers(0, 3),
        st.sampled_from(KINDS),
        st.sampled_from(PATHS),
        st.floats(0, 40, allow_nan=False),
        st.integers(0, 400),
    ),
    st.tuples(st.just("resend")),
    st.tuples(st.just("identify"), st.integers(0, 1), st.integers(2, 3)),
    st.tuples(st.just("merge"), st.integers(0, 1), st.integers(2, 3)),
)


class World:
    """One example's people: e-mails 0–1 are known, 2–3 are anonymous visitors until identified."""

    def __init__(self, new_uow: Callable[[], UnitOfWork]) -> None:
        self.new_uow = new_uow
        self.tag = uuid.uuid4().hex[:8]
        self.sent: list[list[dict[str, Any]]] = []
        self.count = 0

    def key(self, who: int) -> dict[str, Any]:
        if who < 2:
            return {"email": f"p{who}-{self.tag}@acme{who}.fi"}
        return {"anonymous_id": f"anon{who}-{self.tag}"}

    def run(self, op: tuple[Any, ...]) -> None:
        if op[0] == "event":
            _, who, kind, path, day, value = op
            self.count += 1
            props: dict[str, Any] = {"path": path, "topic": "cloud", "stage": "comparing_solutions"}
            if kind == "product_usage":
                props = {"metric": "messages_sent", "value": value}
            item = {
                "id": f"{self.tag}-{self.count}",
                "type": kind,
                "occurred_at": NOW - day * DAY,
                "properties": props,
            }
            batch = [item | self.key(who)]
            self.sent.append(batch)
            ingest.track_events(self.new_uow(), events=batch, now=NOW)
        elif op[0] == "resend" and self.sent:
            ingest.track_events(self.new_uow(), events=self.sent[0], now=NOW)
        elif op[0] == "identify":
            identify(
                self.new_uow(),
                email=self.key(op[1])["email"],
                anonymous_id=self.key(op[2])["anonymous_id"],
                now=NOW,
            )
        elif op[0] == "merge":
            self.merge(self.key(op[1])["email"], op[2])

    def merge(self, email: str, other: int) -> None:
        with self.new_uow() as uow:
            a = uow.identities.person_for("email", email)
            b = uow.identities.person_for("anonymous", self.key(other)["anonymous_id"])
            if a is None or b is None:
                return
            a, b = live_person_id(uow, a), live_person_id(uow, b)
        if a != b:
            merge_people(self.new_uow(), survivor_id=a, merged_id=b, actor="test", now=NOW)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    ops=st.lists(step, min_size=1, max_size=12),
    reads=st.lists(st.floats(-45, 1, allow_nan=False), min_size=1, max_size=3),
)
def test_stored_states_read_as_the_reference_over_the_stored_events(
    new_uow: Callable[[], UnitOfWork], ops: list[tuple[Any, ...]], reads: list[float]
) -> None:
    assume(any(op[0] == "event" and op[1] < 2 for op in ops))
    name = publish(new_uow, EXAMPLE) if not _published(new_uow) else "core-services"
    world = World(new_uow)
    for op in ops:
        world.run(op)
    with new_uow() as uow:
        [pub] = [p for p in scoring.published_models(uow) if p.name == name]
        ids = [pid for who in (0, 1) if (pid := uow.identities.person_for("email", world.key(who)["email"]))]
        subjects = {pid: (uow.people.get(pid), uow.events.all_for_person(pid)) for pid in ids}
    for pid, (person, events) in subjects.items():
        assert person is not None
        with new_uow() as uow:
            account = uow.accounts.get(person.account_id) if person.account_id else None
        for day in reads:
            as_of = NOW + day * DAY
            [incremental] = leads.person_cards(new_uow(), person_id=pid, as_of=as_of)
            assert close(incremental, score(pub.model, person, account, events, as_of))


def _published(new_uow: Callable[[], UnitOfWork]) -> bool:
    with new_uow() as uow:
        return bool(uow.models.published())
