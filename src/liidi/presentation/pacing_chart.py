"""The weekly review chart: leads, MQLs, SALs and meetings per week against target (written as PNG or HTML
by presentation.charts).

matplotlib is imported inside the functions that draw, so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liidi.presentation.charts import COLOURS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

METRICS = (("leads", "Leads"), ("mqls", "MQLs"), ("sals", "SALs"), ("meetings", "Meetings"))
ACTUAL, TARGET, PARTIAL = COLOURS[0], COLOURS[1], "#9cc3d1"


def chart(report: dict[str, Any]) -> Figure:
    """One panel per metric: the week's count (bars; the running week lighter) and its target (line)."""
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    fig = Figure(figsize=(10, 6), dpi=100, layout="constrained")
    panels = fig.subplots(2, 2, sharex=True)
    weeks = report["weeks"]
    labels = [w["week"][2:] for w in weeks]
    colours = [PARTIAL if w["partial"] else ACTUAL for w in weeks]
    for axes, (metric, title) in zip(panels.flat, METRICS, strict=True):
        actual = [w["total"][metric]["actual"] for w in weeks]
        target = [w["total"][metric]["target"] for w in weeks]
        axes.bar(range(len(weeks)), actual, color=colours, label="actual")
        xs = [i for i, t in enumerate(target) if t is not None]
        if xs:
            ys = [target[i] for i in xs]
            lows, highs = [x - 0.45 for x in xs], [x + 0.45 for x in xs]
            axes.hlines(ys, lows, highs, color=TARGET, linewidth=2.5, label="target")
        axes.set_title(title)
        axes.set_xticks(range(len(weeks)), labels, rotation=45, fontsize=8)
        axes.set_ylim(bottom=0)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    panels.flat[0].legend(loc="upper left", fontsize=8)
    plan = report.get("plan") or "no plan loaded"
    split = f", by {report['by']}" if report.get("by") else ""
    fig.suptitle(f"Weekly review ({plan}{split})")
    return fig


def cell(value: dict[str, Any]) -> str:
    """'34/40 85%', '34' without a target."""
    if value["target"] is None:
        return str(value["actual"])
    shown = f"{value['actual']}/{value['target']}"
    return f"{shown} {value['share'] * 100:.0f}%" if value["share"] is not None else shown
