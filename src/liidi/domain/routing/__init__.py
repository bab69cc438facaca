"""Routing qualified leads to sales (R14): the routing document, the decision for one lead, fairness."""

from __future__ import annotations

from liidi.domain.routing.decide import Decision, Method, account_label, manual, route
from liidi.domain.routing.describe import plan_item, summary
from liidi.domain.routing.fairness import Share, fairness
from liidi.domain.routing.load import check_routing_text, load_routing_text, routing_error
from liidi.domain.routing.plan import (
    PERIODS,
    QUALIFIED_BY,
    Away,
    Lead,
    Match,
    Motion,
    MotionRule,
    Period,
    Rep,
    RoutingPlan,
    Team,
    TeamRule,
)

__all__ = [
    "PERIODS",
    "QUALIFIED_BY",
    "Away",
    "Decision",
    "Lead",
    "Match",
    "Method",
    "Motion",
    "MotionRule",
    "Period",
    "Rep",
    "RoutingPlan",
    "Share",
    "Team",
    "TeamRule",
    "account_label",
    "check_routing_text",
    "fairness",
    "load_routing_text",
    "manual",
    "plan_item",
    "route",
    "routing_error",
    "summary",
]
