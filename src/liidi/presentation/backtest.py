"""Rendering a backtest result (docs/backtest.md): Rich tables, JSON text, HTML; the chart is drawn elsewhere.

Every function takes the result dict and returns text, bytes or a renderable; writing files is the caller's.
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from liidi.presentation.backtest_chart import SIDES, svg
from liidi.presentation.backtest_chart import png as png

Row = tuple[str, str, str, str]
LIFT_COLUMNS = ["band", "scores", "person-steps", "rate", "lift"]
DRIVER_COLUMNS = ["rule", "kind", "people", "mean points", "other model's mean points"]
STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;"
    "margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
    "td:first-child,th:first-child{text-align:left}svg{max-width:100%;height:auto}"
)


def to_json(result: dict[str, Any]) -> str:
    """The result as indented JSON text."""
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def pct(value: float | None) -> str:
    """0.354 → '35.4 %'; None → '–'."""
    return "–" if value is None else f"{100 * value:.1f} %"


def num(value: float | None, digits: int = 1) -> str:
    """A number with a fixed number of decimals; None → '–'."""
    return "–" if value is None else f"{value:.{digits}f}"


def headline(result: dict[str, Any]) -> str:
    """One line naming the models, the window and the engine."""
    p = result["params"]
    steps = f"{p['steps']} step" + ("s" if p["steps"] != 1 else "")
    return (
        f"{p['model']} vs {p['against']} · {p['from'][:10]} → {p['to'][:10]} every {p['every']}, "
        f"{steps} · horizon {p['horizon']} · engine {p['engine']} · "
        f"outcomes until {result['outcomes_until'][:10]}"
    )


def summary_rows(result: dict[str, Any]) -> list[Row]:
    """(measure, new, against, better) rows shared by the terminal and the HTML report."""
    m = result["models"]
    rows: list[Row] = []

    def add(
        label: str, pick: Callable[[dict[str, Any]], Any], show: Callable[[Any], str], better: str
    ) -> None:
        values = [pick(m[side]) for side in SIDES]
        rows.append((label, show(values[0]), show(values[1]), _better(values, better)))

    add("MQLs", lambda s: s["totals"]["mqls"], str, "")
    add("MQLs per week (after step 1)", lambda s: s["totals"]["mqls_per_week"], num, "")
    add("MQLs at step 1", lambda s: s["totals"]["opening_mqls"], str, "")
    add("hand-raisers", lambda s: s["totals"]["hand_raisers"], str, "")
    if m["new"]["capacity"]:
        cap = m["new"]["capacity"]["per_week"]
        add(f"leads per week vs capacity {num(cap, 0)}", lambda s: s["capacity"], _capacity, "")
    for outcome in ("sql", "opportunity", "won"):
        add(f"precision → {outcome}", _picker("precision", outcome), _count_share, "higher")
    for outcome, label in (("opportunity", "opportunities"), ("won", "wins")):
        add(f"recall of {label}", _picker("recall", outcome), _recall, "higher")
    add("days gained (median)", lambda s: s["days_gained"], _days, "higher")
    add("top score band lift", lambda s: _top_lift(s["lift"]), _times, "higher")
    add("MQLs with horizon still open", lambda s: s["totals"]["censored"], str, "")
    return rows


def _picker(section: str, outcome: str) -> Callable[[dict[str, Any]], Any]:
    """Reads one outcome of one section of a model's result."""
    return lambda model: model[section][outcome]


def _better(values: list[Any], direction: str) -> str:
    """Which side wins a row ('new', 'against' or '')."""
    first, second = (_key(v) for v in values)
    if not direction or first is None or second is None or first == second:
        return ""
    return "new" if (first > second) == (direction == "higher") else "against"


def _key(value: Any) -> float | None:
    """The number a row compares: a share, a median, or the value itself."""
    if isinstance(value, dict):
        return value.get("share", value.get("median"))
    return value if isinstance(value, int | float) else None


def _count_share(v: dict[str, Any]) -> str:
    return f"{pct(v['share'])} ({v['count']})"


def _recall(v: dict[str, Any]) -> str:
    return f"{pct(v['share'])} ({v['flagged']}/{v['total']})"


def _days(v: dict[str, Any]) -> str:
    median = "–" if v["median"] is None else f"{v['median']:.1f} d"
    return f"{median} ({v['touched']} touched)"


def _capacity(v: dict[str, Any] | None) -> str:
    if not v:
        return "–"
    return f"{num(v['leads_per_week'])} ({pct(v['utilisation'])}, {v['steps_over']} steps over)"


def _times(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}×"


def _top_lift(lift: dict[str, Any]) -> float | None:
    return lift["bands"][-1]["lift"] if lift["bands"] else None


def terminal(result: dict[str, Any]) -> RenderableType:
    """The whole report as Rich renderables."""
    labels = result["models"]
    summary = Table(title=headline(result), title_justify="left", show_lines=False)
    summary.add_column("measure", no_wrap=True)
    summary.add_column(f"new: {labels['new']['label']}", justify="right")
    summary.add_column(f"against: {labels['against']['label']}", justify="right")
    summary.add_column("better")
    for row in summary_rows(result):
        summary.add_row(*row)
    parts: list[RenderableType] = [summary]
    parts += [_lift_table(result, side) for side in SIDES]
    parts += _difference(result)
    return Group(*parts)


def _lift_table(result: dict[str, Any], side: str) -> Table:
    """Outcome rate and lift per score band for one model."""
    lift = result["models"][side]["lift"]
    title = f"{side}: {lift['outcome']} within {result['params']['horizon']} by score band"
    title += f", base rate {pct(lift['base_rate'])}"
    table = Table(title=title, title_justify="left", min_width=len(title))
    for name in LIFT_COLUMNS:
        table.add_column(name, justify="right")
    for row in lift_rows(lift):
        table.add_row(*row)
    return table


def lift_rows(lift: dict[str, Any]) -> list[tuple[str, ...]]:
    """Band, score range, person-steps, rate and lift per score band."""
    return [
        (
            str(b["band"]),
            f"{num(b['min_score'])} – {num(b['max_score'])}",
            str(b["person_steps"]),
            pct(b["rate"]),
            _times(b["lift"]),
        )
        for b in lift["bands"]
    ]


def _difference(result: dict[str, Any]) -> list[RenderableType]:
    """Who only one model flagged, the rules behind it, and what changed in the spec."""
    c = result["comparison"]
    parts: list[RenderableType] = [
        Text(f"flagged by both {c['both']}, only by new {c['only_new']}, only by against {c['only_against']}")
    ]
    for key, rows in driver_rows(result).items():
        if rows:
            title = driver_title(result, key)
            table = Table(title=title, title_justify="left", min_width=len(title))
            for name in DRIVER_COLUMNS:
                table.add_column(name)
            for row in rows:
                table.add_row(*row)
            parts.append(table)
    changes = c["spec_changes"]
    shown = [f"  {line}" for line in changes[:12]] + (
        [f"  … {len(changes) - 12} more"] if len(changes) > 12 else []
    )
    parts.append(
        Text("\n".join([f"spec changes ({len(changes)}):", *shown]) if changes else "no spec changes")
    )
    return parts


def driver_title(result: dict[str, Any], key: str) -> str:
    """'flagged only by new: their rules under new (sample of 20)'."""
    side, sampled = key.removeprefix("only_"), len(result["comparison"]["drivers"][key]["sampled"])
    return f"flagged only by {side}: their top rules under {side} (sample of {sampled})"


def driver_rows(result: dict[str, Any]) -> dict[str, list[tuple[str, ...]]]:
    """The driver tables' rows per side flagged alone."""
    drivers = result["comparison"]["drivers"]
    return {
        key: [
            (
                d["rule"],
                d["kind"],
                str(d["people"]),
                f"{d['mean_points']:+.1f}",
                _signed(d["other_mean_points"]),
            )
            for d in value["rules"]
        ]
        for key, value in drivers.items()
    }


def _signed(value: float | None) -> str:
    return "–" if value is None else f"{value:+.1f}"


def _table(headers: list[str], rows: list[tuple[str, ...]] | list[Row]) -> str:
    """An HTML table with escaped cells."""
    e = html.escape
    head = "<tr>" + "".join(f"<th>{e(h)}</th>" for h in headers) + "</tr>"
    body = "".join("<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table>{head}{body}</table>"


def html_page(result: dict[str, Any]) -> str:
    """A self-contained HTML report: the summary, the chart as inline SVG, lift, drivers and spec changes."""
    e, models = html.escape, result["models"]
    columns = [
        "measure",
        f"new: {models['new']['label']}",
        f"against: {models['against']['label']}",
        "better",
    ]
    sections = [f"<h1>Backtest</h1><p>{e(headline(result))}</p>", _table(columns, summary_rows(result))]
    sections.append(svg(result))
    for side in SIDES:
        lift = models[side]["lift"]
        title = f"{side}: lift by score band ({lift['outcome']}, base rate {pct(lift['base_rate'])})"
        sections.append(f"<h2>{e(title)}</h2>" + _table(LIFT_COLUMNS, lift_rows(lift)))
    for key, rows in driver_rows(result).items():
        title = driver_title(result, key)
        sections.append(f"<h2>{e(title)}</h2>" + _table(DRIVER_COLUMNS, rows))
    changes = "".join(f"<li>{e(line)}</li>" for line in result["comparison"]["spec_changes"])
    sections.append(f"<h2>spec changes</h2><ul>{changes}</ul>")
    body = "\n".join(sections)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>liidi backtest</title>'
        f"<style>{STYLE}</style></head><body>\n{body}\n</body></html>\n"
    )
