"""Charts of the waste, target-account and marketing-value reports, as PNG or a self-contained HTML page.

matplotlib is imported inside the functions that draw, so importing this module stays cheap. The HTML
page carries the chart as inline SVG and the report's table: no scripts, no fonts, no CDN.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liidi.presentation.charts import COLOURS, figure
from liidi.presentation.reports import targets_rows, value_rows, waste_rows

if TYPE_CHECKING:
    from matplotlib.figure import Figure

KINDS = ("waste", "targets", "value")


def chart(kind: str, report: dict[str, Any]) -> Figure:
    """The chart of one report: waste by measure, coverage per target account, or value per month."""
    fig, axes = figure(9, 5.5)
    if kind == "waste":
        measures = report["measures"]
        names = [m["measure"].replace("_", " ") for m in measures]
        axes.barh(names, [m["count"] for m in measures], color=COLOURS[0])
        axes.invert_yaxis()
        axes.set_xlabel("count")
        axes.set_title("Where leads and deals are lost")
    elif kind == "targets":
        accounts = report["accounts"][:25]
        names = [a["domain"] or f"#{a['account_id']}" for a in accounts]
        wanted = max(len(report["roles_wanted"]), 1)
        axes.barh(names, [len(a["roles_reached"]) for a in accounts], color=COLOURS[0], label="roles reached")
        engaged = [len(a["roles_engaged"]) for a in accounts]
        axes.barh(names, engaged, color=COLOURS[1], height=0.4, label="roles engaged")
        axes.set_xlim(0, wanted)
        axes.invert_yaxis()
        axes.set_xlabel(f"buying-group roles of {wanted}, last {report['window_days']} days")
        axes.legend(loc="lower right", fontsize=8)
        axes.set_title("Target accounts: buying-group coverage")
    else:
        months = report["by_month"]
        xs = list(range(len(months)))
        axes.bar(
            [x - 0.2 for x in xs],
            [m["new_decision_makers"] for m in months],
            0.4,
            color=COLOURS[0],
            label="new decision makers",
        )
        axes.bar(
            [x + 0.2 for x in xs],
            [m["conversations"] for m in months],
            0.4,
            color=COLOURS[1],
            label="conversations",
        )
        axes.set_xticks(xs, [m["month"] for m in months], rotation=45)
        axes.legend(loc="upper left", fontsize=8)
        axes.set_title("Marketing value per month")
    return fig


def rows_of(kind: str, report: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's table rows, for the HTML page beside the chart."""
    return {"waste": waste_rows, "targets": targets_rows, "value": value_rows}[kind](report)
