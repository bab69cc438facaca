"""The backtest chart: MQLs per week and precision per step of both models, as PNG or inline SVG.

matplotlib is imported inside the functions that draw, so importing this module stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from liidi.presentation import charts

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SIDES = ("new", "against")
COLOURS = {"new": "#1f6f8b", "against": "#e07b39"}


def chart(result: dict[str, Any]) -> Figure:
    """MQLs per week (bars) and precision per step (lines) of both models, with the capacity line."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(9, 5.5), dpi=100, layout="constrained")
    volume, quality = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    for i, side in enumerate(SIDES):
        model = result["models"][side]
        steps, label = model["per_step"], f"{side}: {model['label']}"
        xs = [j + (i - 0.5) * 0.4 for j in range(len(steps))]
        ys = [s["mqls_per_week"] for s in steps]
        volume.bar(xs[1:], ys[1:], width=0.4, color=COLOURS[side], label=label)
        volume.bar(xs[:1], ys[:1], width=0.4, color=COLOURS[side], hatch="//")
        shares = [s["precision"]["opportunity"] for s in steps]
        ys = [100 * v if v is not None else float("nan") for v in shares]
        quality.plot(range(len(steps)), ys, marker="o", color=COLOURS[side], label=label)
    capacity = result["models"]["new"]["capacity"]
    if capacity:
        volume.axhline(capacity["per_week"], color="#444", linestyle="--", label="sales capacity per week")
    _clip_opening(volume, result)
    steps = result["models"]["new"]["per_step"]
    quality.set_xticks(range(len(steps)), [s["date"][5:] for s in steps], rotation=45)
    volume.set_ylabel("MQLs per week")
    volume.set_title(f"Backtest {result['params']['from'][:10]} → {result['params']['to'][:10]}")
    volume.legend(loc="upper right", fontsize=8)
    quality.set_ylabel(f"% to opportunity\nwithin {result['params']['horizon']}")
    quality.set_ylim(0, 100)
    return fig


def _clip_opening(axes: Any, result: dict[str, Any]) -> None:
    """Keep the first step (everyone already qualified, hatched) from flattening the weekly bars."""
    flow = [s["mqls_per_week"] for side in SIDES for s in result["models"][side]["per_step"][1:]]
    capacity = result["models"]["new"]["capacity"]
    top = max([*flow, capacity["per_week"] if capacity else 0.0, 1.0]) * 1.3
    opening = max(result["models"][side]["per_step"][0]["mqls_per_week"] for side in SIDES)
    if flow and opening > top:
        axes.set_ylim(0, top)
        axes.annotate(
            f"first step: up to {opening:.0f}",
            (0, top),
            xytext=(16, -12),
            textcoords="offset points",
            ha="left",
            fontsize=8,
        )


def png(result: dict[str, Any]) -> bytes:
    """The chart as PNG bytes."""
    return charts.png(chart(result))


def svg(result: dict[str, Any]) -> str:
    """The chart as an inline SVG element (text as paths, no external references)."""
    return charts.svg(chart(result))
