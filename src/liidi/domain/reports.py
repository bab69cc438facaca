"""What the funnel reports count and group by: the funnel's stages and the grouping dimensions."""

from __future__ import annotations

FUNNEL_STAGES: tuple[str, ...] = ("subscriber", "lead", "mql", "sal", "sql", "opportunity", "customer")
DIMENSIONS: tuple[str, ...] = (
    "lead_tool",
    "channel",
    "direction",
    "sourced_by",
    "campaign",
    "industry",
    "segment",
    "country",
    "tier",
    "owner",
    "cohort",
)
