"""The weekly review chart: leads, MQLs, SALs and meetings per week against target, as PNG or HTML.

matplotlib is imported inside the functions that draw, so importing this module stays cheap.
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

METRICS = (("leads", "Leads"), ("mqls", "MQLs"), ("sals", "SALs"), ("meetings", "Meetings"))
ACTUAL, TARGET, PARTIAL = "#1f6f8b", "#e07b39", "#9cc3d1"


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


def png(report: dict[str, Any]) -> bytes:
    """The chart as PNG bytes (the Agg canvas, no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure, buffer = chart(report), io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def svg(report: dict[str, Any]) -> str:
    """The chart as an inline SVG element (no external references)."""
    buffer = io.StringIO()
    blank = {"Date": None, "Creator": None, "Format": None, "Type": None}
    chart(report).savefig(buffer, format="svg", metadata=blank)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def page(report: dict[str, Any]) -> str:
    """A self-contained HTML page: the chart, then a table of the weeks with their notes."""
    head = "".join(f"<th>{title}</th>" for _, title in METRICS)
    rows = "".join(_row(w) for w in report["weeks"])
    return (
        "<!doctype html><html lang=en><meta charset=utf-8><title>Weekly review</title>"
        "<style>body{font-family:sans-serif;margin:2em}td,th{padding:.2em .6em;text-align:left;"
        "vertical-align:top}td.n{text-align:right}</style>"
        f"<h1>Weekly review</h1>{svg(report)}"
        f"<table><tr><th>week</th>{head}<th>done</th><th>next</th></tr>{rows}</table></html>"
    )


def _row(week: dict[str, Any]) -> str:
    cells = "".join(f"<td class=n>{html.escape(cell(week['total'][m]))}</td>" for m, _ in METRICS)
    notes = "".join(f"<td>{html.escape(week[k] or '')}</td>" for k in ("done", "next"))
    return f"<tr><td>{html.escape(week['week'])}</td>{cells}{notes}</tr>"


def cell(value: dict[str, Any]) -> str:
    """'34/40 85%', '34' without a target."""
    if value["target"] is None:
        return str(value["actual"])
    shown = f"{value['actual']}/{value['target']}"
    return f"{shown} {value['share'] * 100:.0f}%" if value["share"] is not None else shown
