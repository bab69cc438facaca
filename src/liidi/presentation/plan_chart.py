"""The reverse funnel as a chart: how many contacts, meetings, proposals and deals a target needs, and by
when, widest stage on top."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liidi.presentation.charts import COLOURS, figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

STAGES = ("contacts", "meetings", "proposals", "deals")


def plan_chart(data: dict[str, Any]) -> Figure:
    """One centred bar per stage, its width the number needed, labelled with the count and the date."""
    fig, axes = figure(9, 4)
    counts = [int(data[s]) for s in STAGES]
    widest = max([*counts, 1])
    for y, (stage, count) in enumerate(zip(STAGES, counts, strict=True)):
        axes.barh(y, count, left=(widest - count) / 2, color=COLOURS[y % len(COLOURS)], alpha=0.35)
        when = data["needed_by"].get(stage)
        label = f"{count:,} {stage}" + (f" by {when}" if when else "")
        axes.annotate(label, (widest / 2, y), ha="center", va="center", fontsize=9, weight="bold")
    axes.set_yticks(range(len(STAGES)), STAGES)
    axes.invert_yaxis()
    axes.set_xticks([])
    axes.set_title(str(data["sentence"]), fontsize=10, wrap=True)
    return fig
