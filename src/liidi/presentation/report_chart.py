"""Charts of the waste, target-account and marketing-value reports, as PNG or a self-contained HTML page.

matplotlib is imported inside the functions that draw, so importing this module stays cheap. The HTML
page carries the chart as inline SVG and the report's table: no scripts, no fonts, no CDN.
"""

from __future__ import annotations

import html
import io
from typing import TYPE_CHECKING, Any

from liidi.presentation.reports import targets_rows, value_rows, waste_rows

if TYPE_CHECKING:
    from matplotlib.figure import Figure

KINDS = ("waste", "targets", "value")
COLOURS = ("#1f6f8b", "#e07b39", "#6a994e")
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
    "td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right}"
)


def chart(kind: str, report: dict[str, Any]) -> Figure:
    """The chart of one report: waste by measure, coverage per target account, or value per month."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 5.5), dpi=100, layout="constrained")
    axes = fig.subplots()
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


def png(kind: str, report: dict[str, Any]) -> bytes:
    """The chart as PNG bytes (the Agg canvas, no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure, buffer = chart(kind, report), io.BytesIO()
    FigureCanvasAgg(figure)
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def svg(kind: str, report: dict[str, Any]) -> str:
    """The chart as an inline SVG element (no external references)."""
    buffer = io.StringIO()
    blank = {"Date": None, "Creator": None, "Format": None, "Type": None}
    chart(kind, report).savefig(buffer, format="svg", metadata=blank)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def html_page(kind: str, report: dict[str, Any]) -> str:
    """A self-contained page: the title, the chart as inline SVG and the report's table."""
    rows = {"waste": waste_rows, "targets": targets_rows, "value": value_rows}[kind](report)
    title = f"liidi {kind} report"
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        f"<style>{STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{svg(kind, report)}\n"
        f"{_table(rows)}\n</body></html>\n"
    )


def _table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "<p>Nothing in this period.</p>"
    head = "".join(f"<th>{html.escape(str(k))}</th>" for k in rows[0])
    body = "".join("<tr>" + "".join(_cell(v) for v in row.values()) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _cell(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f'<td class="n">{value}</td>'
    text = "; ".join(map(str, value)) if isinstance(value, list) else "" if value is None else str(value)
    return f"<td>{html.escape(text)}</td>"
