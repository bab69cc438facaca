"""Delivering the outbox to real receivers: retries until they recover, once per target, dead letters."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from liidi.config import Settings
from liidi.domain.messages import LeadAssigned, Message, PersonMerged
from liidi.notify.dispatcher import Dispatcher
from liidi.services import outbox, webhooks
from liidi.services.unit_of_work import UnitOfWork
from tests.receivers import Receiver, receiving

NewUow = Callable[[], UnitOfWork]
SECRET = "s3cret-for-the-tests-0123"
FAST = {
    "webhook_allow_private": True,
    "delivery_backoff_seconds": 0.01,
    "delivery_backoff_max_seconds": 0.05,
    "delivery_timeout_seconds": 5,
}


def settings(**values: Any) -> Settings:
    return Settings(**(FAST | values))


@contextmanager
def dispatcher(new_uow: NewUow, **values: Any) -> Iterator[Dispatcher]:
    d = Dispatcher(new_uow, settings(**values))
    try:
        yield d
    finally:
        d.close()


def queue(new_uow: NewUow, messages: list[Message]) -> list[int]:
    with new_uow() as uow:
        ids = [uow.outbox.add(m, time.time()) for m in messages]
        uow.commit()
    return ids


def merges(count: int) -> list[Message]:
    return [PersonMerged(survivor_id=i, merged_id=i + 1000) for i in range(1, count + 1)]


def subscribe(new_uow: NewUow, url: str, **values: Any) -> int:
    values = {"secret": SECRET} | values
    return webhooks.add_subscription(new_uow(), url=url, allow_private=True, **values).id


def run_until(d: Dispatcher, done: Callable[[], bool], timeout: float = 30.0) -> None:
    """Dispatch passes until `done()` (or fail after `timeout` seconds)."""
    deadline = time.monotonic() + timeout
    while not done():
        assert time.monotonic() < deadline, "not delivered in time"
        if not d.run_pass().taken:
            time.sleep(0.01)


def statuses(new_uow: NewUow) -> dict[str, int]:
    found: dict[str, int] = {}
    for m in outbox.list_messages(new_uow(), limit=500):
        found[m["status"]] = found.get(m["status"], 0) + 1
    return found


def test_every_message_arrives_exactly_once_at_a_receiver_that_fails_for_a_while(new_uow: NewUow) -> None:
    with receiving(Receiver(fail_first=7, secret=SECRET)) as hook, dispatcher(new_uow) as d:
        subscribe(new_uow, hook.url)
        ids = queue(new_uow, merges(20))
        run_until(d, lambda: statuses(new_uow) == {"delivered": 20})

    assert len(hook.requests) == 20 + 7 and hook.bad_signatures == 0
    bodies = sorted((s.json() for s in hook.accepted.values()), key=lambda b: b["id"])
    assert [b["id"] for b in bodies] == ids
    assert bodies[0]["topic"] == "person.merged" and bodies[0]["data"] == {
        "survivor_id": 1,
        "merged_id": 1001,
    }
    assert bodies[0]["created_at"].endswith("Z")
    retried = [m for m in outbox.list_messages(new_uow(), limit=500) if m["attempts"] > 1]
    assert 1 <= len(retried) <= 7


def test_a_failing_target_does_not_make_the_others_receive_a_message_twice(new_uow: NewUow) -> None:
    with (
        receiving(Receiver()) as good,
        receiving(Receiver(fail_first=5)) as flaky,
        dispatcher(new_uow) as d,
    ):
        subscribe(new_uow, good.url)
        subscribe(new_uow, flaky.url)
        queue(new_uow, merges(4))
        run_until(d, lambda: statuses(new_uow) == {"delivered": 4})

    assert len(good.requests) == 4 and len(set(good.keys())) == 4
    assert len(flaky.requests) == 4 + 5 and len(flaky.accepted) == 4
    assert set(good.keys()).isdisjoint(flaky.keys()), "a key per message and target"


def test_a_delivery_is_dead_after_the_last_attempt_and_replay_sends_only_it_again(new_uow: NewUow) -> None:
    with (
        receiving(Receiver()) as good,
        receiving(Receiver(fail_first=10**6)) as down,
        dispatcher(new_uow, delivery_max_attempts=3) as d,
    ):
        subscribe(new_uow, good.url)
        subscribe(new_uow, down.url)
        [message] = queue(new_uow, merges(1))
        run_until(d, lambda: statuses(new_uow) == {"dead": 1})
        assert len(down.requests) == 3 and len(good.requests) == 1
        shown = outbox.get_message(new_uow(), outbox_id=message)
        assert shown["last_error"] == "HTTP 500" and shown["attempts"] == 3
        assert sorted(x["status"] for x in shown["deliveries"]) == ["dead", "delivered"]
        assert [m["id"] for m in outbox.list_messages(new_uow(), failed=True)] == [message]

        down.fail_first = 0
        assert outbox.replay(new_uow(), outbox_id=message)["deliveries"] == 1
        run_until(d, lambda: statuses(new_uow) == {"delivered": 1})

    assert len(down.requests) == 4 and len(down.accepted) == 1
    assert len(good.requests) == 1, "the target that had it is not sent it again"


def test_replaying_a_delivered_message_sends_it_again_under_the_same_idempotency_key(
    new_uow: NewUow,
) -> None:
    with receiving() as hook, dispatcher(new_uow) as d:
        subscribe(new_uow, hook.url)
        [message] = queue(new_uow, merges(1))
        run_until(d, lambda: statuses(new_uow) == {"delivered": 1})
        outbox.replay(new_uow(), outbox_id=message)
        assert statuses(new_uow) == {"pending": 1}
        run_until(d, lambda: statuses(new_uow) == {"delivered": 1})

    first, again = hook.requests
    assert first.headers["Idempotency-Key"] == again.headers["Idempotency-Key"]
    assert first.json() == again.json() and len(hook.accepted) == 1


def test_a_message_nobody_subscribed_to_is_settled_as_delivered_without_a_request(new_uow: NewUow) -> None:
    with receiving() as hook, dispatcher(new_uow) as d:
        subscribe(new_uow, hook.url, events=["lead.assigned"])
        queue(new_uow, merges(2))
        run_until(d, lambda: statuses(new_uow) == {"delivered": 2})
    assert hook.requests == []
    assert all(m["deliveries"] == {} for m in outbox.list_messages(new_uow()))


def test_a_removed_webhook_is_sent_nothing_more_and_its_waiting_deliveries_are_cancelled(
    new_uow: NewUow,
) -> None:
    with receiving(Receiver(fail_first=10**6)) as down, dispatcher(new_uow) as d:
        sub = subscribe(new_uow, down.url)
        [message] = queue(new_uow, merges(1))
        run_until(d, lambda: len(down.requests) >= 1)
        webhooks.remove_subscription(new_uow(), subscription_id=sub)
        run_until(d, lambda: statuses(new_uow) == {"delivered": 1})
        tried = len(down.requests)
        queue(new_uow, merges(1))
        run_until(d, lambda: statuses(new_uow) == {"delivered": 2})
    assert len(down.requests) == tried
    [delivery] = outbox.get_message(new_uow(), outbox_id=message)["deliveries"]
    assert delivery["status"] == "cancelled"


def test_a_loopback_target_is_refused_at_delivery_when_private_addresses_are_off(new_uow: NewUow) -> None:
    with receiving() as hook, dispatcher(new_uow, webhook_allow_private=False, delivery_max_attempts=2) as d:
        subscribe(new_uow, hook.url)  # added while private targets were allowed
        [message] = queue(new_uow, merges(1))
        run_until(d, lambda: statuses(new_uow) == {"dead": 1})
    assert hook.requests == []
    error = outbox.get_message(new_uow(), outbox_id=message)["last_error"]
    assert error.startswith("refused: url: 127.0.0.1 is a loopback address")


def test_a_receiver_slower_than_the_timeout_counts_as_a_failed_try_and_is_retried(new_uow: NewUow) -> None:
    with receiving(Receiver(delay=1.0)) as slow, dispatcher(new_uow, delivery_timeout_seconds=0.3) as d:
        subscribe(new_uow, slow.url)
        [message] = queue(new_uow, merges(1))
        run_until(d, lambda: (outbox.get_message(new_uow(), outbox_id=message)["attempts"] or 0) >= 1)
        slow.delay = 0.0
        run_until(d, lambda: statuses(new_uow) == {"delivered": 1})
    [delivery] = outbox.get_message(new_uow(), outbox_id=message)["deliveries"]
    assert delivery["attempts"] >= 2 and delivery["last_error"] is None


def test_a_slack_hook_gets_text_and_blocks_with_the_leads_context_escaped(new_uow: NewUow) -> None:
    lead = LeadAssigned(
        person_id=7,
        owner="mikko@firma.fi",
        team="nordics",
        rule="affinity",
        reason="affinity: owner of kivikoski.fi",
        motion="high_touch",
        actor="routing",
        context={
            "person": {
                "id": 7,
                "name": "Anna <!channel> Kivikoski",
                "title": "CTO",
                "role": "decision_maker",
            },
            "account": {"id": 3, "name": "Kivikoski Oy", "domain": "kivikoski.fi", "fit_grade": "A"},
            "score": 87,
            "grade": "A",
            "why": ["+20 pricing page", "+15 webinar"],
            "signals": ["hand_raise"],
            "hand_raiser": True,
            "themes": ["security"],
            "buying_stage": "evaluation",
            "sla_due": "2026-12-01T10:00:00Z",
        },
    )
    with receiving() as hook, dispatcher(new_uow) as d:
        subscribe(new_uow, hook.url, kind="slack", secret=None, events=["lead.assigned"])
        queue(new_uow, [lead])
        run_until(d, lambda: statuses(new_uow) == {"delivered": 1})
    [seen] = hook.requests
    body = seen.json()
    assert "X-Liidi-Signature" not in seen.headers
    assert body["text"] == "Lead assigned to mikko@firma.fi: Anna &lt;!channel&gt; Kivikoski"
    fields = {f["text"].split("\n")[0]: f["text"] for f in body["blocks"][1]["fields"]}
    assert "Kivikoski Oy (kivikoski.fi, fit A)" in fields["*Who*"]
    assert (
        "score 87, grade A, hand-raiser" in fields["*Why now*"] and "+20 pricing page" in fields["*Why now*"]
    )
    assert "themes: security" in fields["*Cares about*"] and "evaluation" in fields["*Cares about*"]
    assert fields["*Motion*"].endswith("high touch")
    assert "routed: affinity: owner of kivikoski.fi" in fields["*Owner*"]
    assert fields["*SLA due*"].endswith("2026-12-01T10:00:00Z")


def test_the_lease_is_renewed_while_deliveries_take_longer_than_a_third_of_it(new_uow: NewUow) -> None:
    count = 3
    with (
        receiving(Receiver(delay=1.2)) as slow,
        dispatcher(new_uow, dispatch_lease_seconds=1.5, dispatch_concurrency=1) as d,
        dispatcher(new_uow, dispatch_lease_seconds=1.5) as other,
    ):
        subscribe(new_uow, slow.url)
        queue(new_uow, merges(count))
        first = threading.Thread(target=d.run_pass)
        first.start()
        time.sleep(2.0)  # past the first lease: without renewal `other` would take the messages
        assert other.run_pass().taken == 0
        first.join(30)
    assert statuses(new_uow) == {"delivered": count} and len(slow.requests) == count
