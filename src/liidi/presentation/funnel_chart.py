"""Charts of the funnel, velocity, calibration and sourced-mix reports, as PNG or a self-contained HTML page.

matplotlib is imported inside the functions that draw, so importing this module stays cheap; the HTML
page inlines the chart as SVG (no CDN, no external references).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liidi.presentation.charts import figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

MAX_SERIES = 8


def funnel_chart(report: dict[str, Any]) -> Figure:
    """People reaching each stage, one line per group (the largest groups first)."""
    fig, axes = figure()
    stages = report["stages"]
    groups = sorted(report["groups"], key=lambda g: -g["people"])[:MAX_SERIES] or [report["total"]]
    for g in groups:
        axes.plot(range(len(stages)), [max(g["reached"][s], 0.5) for s in stages], marker="o", label=g["key"])
    axes.set_yscale("log")
    axes.set_xticks(range(len(stages)), stages)
    axes.set_ylabel("people reaching the stage (log)")
    axes.set_title(f"Funnel by {report['by'] or 'everyone'}")
    axes.legend(fontsize=8)
    return fig


def velocity_chart(report: dict[str, Any]) -> Figure:
    """Median days per measure, one bar group per measure and a bar per group."""
    fig, axes = figure()
    keys = sorted({m["key"] for m in report["measures"]})[:MAX_SERIES]
    measures = list(dict.fromkeys(m["measure"] for m in report["measures"]))
    width = 0.8 / max(len(keys), 1)
    for i, key in enumerate(keys):
        found = {m["measure"]: m["median_days"] for m in report["measures"] if m["key"] == key}
        xs = [j + i * width for j in range(len(measures))]
        axes.bar(xs, [found.get(m) or 0.0 for m in measures], width=width, label=key)
    axes.set_xticks([j + 0.4 - width / 2 for j in range(len(measures))], measures, rotation=30, ha="right")
    axes.set_ylabel("median days")
    axes.set_title(f"Velocity by {report['by'] or 'everyone'}")
    axes.legend(fontsize=8)
    return fig


def calibration_chart(report: dict[str, Any]) -> Figure:
    """Share reaching sql after the run by score band, one line per model."""
    fig, axes = figure()
    for model in dict.fromkeys(r["model_version"] for r in report["bands"]):
        rows = [r for r in report["bands"] if r["model_version"] == model]
        ys = [100 * r["rate"]["sql"] if r["rate"]["sql"] is not None else float("nan") for r in rows]
        axes.plot(range(len(rows)), ys, marker="o", label=model)
        axes.set_xticks(range(len(rows)), [r["key"] for r in rows], rotation=30, ha="right")
    axes.set_ylabel("% reaching sql after the run")
    axes.set_xlabel("score band")
    axes.set_title("Score calibration")
    axes.legend(fontsize=8)
    return fig


def mix_chart(mix: list[dict[str, Any]]) -> Figure:
    """Each side's share of people, opportunities and won amount."""
    fig, axes = figure()
    measures = (("people_share", "people"), ("opportunity_share", "opportunities"), ("won_share", "won"))
    bottom = [0.0] * len(measures)
    for m in mix:
        ys = [100 * (m[k] or 0.0) for k, _ in measures]
        axes.bar([label for _, label in measures], ys, bottom=bottom, label=m["sourced_by"])
        bottom = [b + y for b, y in zip(bottom, ys, strict=True)]
    axes.set_ylabel("% of the total")
    axes.set_title("Sourced mix")
    axes.legend(fontsize=8)
    return fig
