"""Fairness: each rep's leads against the share their weight asks for in their team."""

from __future__ import annotations

from liidi.domain.routing import fairness
from routing_support import plan


def test_each_rep_is_compared_with_the_share_their_weight_asks_for_in_the_team() -> None:
    owners = ["anna@firma.fi"] * 5 + ["bert@firma.fi"] * 2 + ["cecilia@firma.fi"] + ["dora@firma.fi"] * 3
    rows = {r.owner: r for r in fairness(plan(), owners)}
    anna, bert, dora = rows["anna@firma.fi"], rows["bert@firma.fi"], rows["dora@firma.fi"]
    assert (anna.leads, anna.target, anna.expected, anna.share) == (5, 0.5, 4.0, 5 / 8)
    assert anna.difference == 1.0 and bert.difference == 0.0 and rows["cecilia@firma.fi"].difference == -1.0
    assert (dora.team, dora.target, dora.expected, dora.difference) == ("rest", 1.0, 3.0, 0.0)


def test_the_fallback_queue_other_owners_and_unowned_leads_are_listed_after_the_reps() -> None:
    owners = ["queue@firma.fi", "queue@firma.fi", "crm.owner@firma.fi", None, None, None]
    rows = fairness(plan(), owners)
    tail = [(r.kind, r.owner, r.leads) for r in rows[4:]]
    assert tail == [("queue", "queue@firma.fi", 2), ("other", "crm.owner@firma.fi", 1), ("none", None, 3)]
    assert all(r.leads == 0 and r.share is None and r.expected == 0.0 for r in rows[:4])
