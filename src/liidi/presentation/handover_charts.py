"""Charts of the hand-over reports: the SLA outcome of each group's clocks, and leads per rep against the
share their routing weight asks for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liidi.presentation.charts import COLOURS, figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

OUTCOMES = ("met", "late", "breached", "open", "closed")
MAX_GROUPS = 25


def sla_chart(report: dict[str, Any]) -> Figure:
    """One stacked bar per group (or the total alone): clocks met, late, breached, open and closed, with
    the share within the SLA written beside it."""
    groups = report["groups"][:MAX_GROUPS] or [report["total"]]
    fig, axes = figure(9, max(3.0, 1.0 + 0.4 * len(groups)))
    names = [str(g["key"]) for g in groups]
    left = [0] * len(groups)
    for outcome, colour in zip(OUTCOMES, COLOURS, strict=False):
        counts = [g[outcome] for g in groups]
        axes.barh(names, counts, left=left, color=colour, label=outcome)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    for y, g in enumerate(groups):
        share = g["within_sla"]
        label = "–" if share is None else f"{share:.0%} in SLA"
        axes.annotate(label, (left[y], y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    axes.set_xlim(0, max(left) * 1.2 + 1)  # room for the share beside the longest bar
    axes.invert_yaxis()
    axes.set_xlabel("SLA clocks")
    axes.set_title(f"Response SLA by {report['by'] or 'everyone'}")
    fig.legend(loc="outside lower center", ncols=len(OUTCOMES), fontsize=8)
    return fig


def fairness_chart(items: list[dict[str, Any]]) -> Figure:
    """Leads given to each owner, beside the number their weight's share of the team asks for."""
    owners = [i for i in items if i["owner"]][:MAX_GROUPS]
    fig, axes = figure(9, max(3.0, 1.0 + 0.4 * len(owners)))
    names = [str(i["owner"]) for i in owners]
    ys = range(len(owners))
    axes.barh([y - 0.2 for y in ys], [i["leads"] for i in owners], 0.4, color=COLOURS[0], label="leads given")
    expected = [i["expected"] if i["expected"] is not None else 0 for i in owners]
    axes.barh([y + 0.2 for y in ys], expected, 0.4, color=COLOURS[1], label="by weight")
    axes.set_yticks(list(ys), names)
    axes.invert_yaxis()
    axes.set_xlabel("leads")
    axes.set_title("Routing fairness: leads per rep against their weight")
    axes.legend(loc="lower right", fontsize=8)
    return fig


ACCEPTANCE = ("accepted", "rejected", "waiting", "other")


def acceptance_chart(report: dict[str, Any]) -> Figure:
    """Handed-over leads per group (or all of them) stacked by what sales did with them, with the share
    found sales-ready beside each bar."""
    groups = report["groups"] or [
        {
            "key": "all hand-overs",
            **{o: report[o]["count"] for o in ACCEPTANCE},
            "sales_ready": report["sales_ready"],
        }
    ]
    groups = groups[:MAX_GROUPS]
    fig, axes = figure(9, max(3.0, 1.0 + 0.4 * len(groups)))
    names = [str(g["key"]) for g in groups]
    left = [0] * len(groups)
    for outcome, colour in zip(ACCEPTANCE, COLOURS, strict=False):
        counts = [g[outcome] for g in groups]
        axes.barh(names, counts, left=left, color=colour, label=outcome)
        left = [a + b for a, b in zip(left, counts, strict=True)]
    for y, g in enumerate(groups):
        share = g["sales_ready"]
        label = "–" if share is None else f"{share:.0%} sales-ready"
        axes.annotate(label, (left[y], y), xytext=(4, 0), textcoords="offset points", va="center", fontsize=8)
    axes.set_xlim(0, max(left) * 1.25 + 1)
    axes.invert_yaxis()
    axes.set_xlabel("leads handed over (moved to mql)")
    axes.set_title(f"Acceptance by {report['by'] or 'everyone'}")
    fig.legend(loc="outside lower center", ncols=len(ACCEPTANCE), fontsize=8)
    return fig
