"""What every chart shares: a figure, its PNG and inline-SVG forms, and a self-contained HTML page.

matplotlib is imported inside the functions that draw, so importing this module stays cheap. The HTML
page carries the chart as inline SVG and the report's rows as a table: no scripts, no fonts, no CDN.
"""

from __future__ import annotations

import html
import io
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

COLOURS = ("#1f6f8b", "#e07b39", "#6a994e", "#a23b72", "#3b3b98", "#c9a227", "#5c5c5c", "#2a9d8f")
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}"
    "td,th{padding:.2em .6em;border-bottom:1px solid #ddd;text-align:left}td.n{text-align:right}"
)
SUFFIXES = (".png", ".html", ".htm")


def figure(width: float = 9, height: float = 5) -> tuple[Figure, Axes]:
    """A figure with one set of axes, laid out to fit its labels."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    return fig, fig.subplots()


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes (the Agg canvas, no pyplot state)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    buffer = io.BytesIO()
    FigureCanvasAgg(fig)
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def svg(fig: Figure) -> str:
    """The figure as an inline SVG element (text as paths, no dates, no external references)."""
    buffer = io.StringIO()
    blank = {"Date": None, "Creator": None, "Format": None, "Type": None}
    fig.savefig(buffer, format="svg", metadata=blank)
    text = buffer.getvalue()
    return text[text.index("<svg") :]


def html_page(fig: Figure, title: str, rows: list[dict[str, Any]]) -> str:
    """A self-contained page: the title, the chart as inline SVG and the rows as a table."""
    return (
        f'<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
        f"<style>{STYLE}</style></head><body>\n<h1>{html.escape(title)}</h1>\n{svg(fig)}\n"
        f"{table(rows)}\n</body></html>\n"
    )


def table(rows: list[dict[str, Any]]) -> str:
    """Rows as an HTML table, every value escaped; numbers right-aligned."""
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


def chart_problem(path: Path) -> str | None:
    """Why a chart cannot be written to this path, or None: it must end in .png or .html."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        return f"the chart is written as .png or .html, not {suffix or 'a name without a suffix'}"
    return None


def write_chart(path: Path, fig: Figure, title: str, rows: list[dict[str, Any]]) -> None:
    """Write the chart to a .png image or a self-contained .html page (ValueError for another suffix)."""
    problem = chart_problem(path)
    if problem:
        raise ValueError(f"{path}: {problem}")
    if path.suffix.lower() == ".png":
        path.write_bytes(png(fig))
    else:
        path.write_text(html_page(fig, title, rows), encoding="utf-8")
