"""Rows for the funnel, deals, velocity, calibration and sourced-mix reports (tables and CSV)."""

from __future__ import annotations

from typing import Any

SHORT = {"subscriber": "subs", "opportunity": "opp", "customer": "cust"}


def pct(value: float | None) -> str:
    """A share as a percentage with one decimal; blank when there is none."""
    return "" if value is None else f"{value * 100:.1f}%"


def days(value: float | None) -> str:
    """Days with one decimal; blank when there are none."""
    return "" if value is None else f"{value:.1f}"


def money(value: float) -> str:
    """An amount with thousands separators."""
    return f"{value:,.0f}"


def stage_label(stage: str) -> str:
    """A stage's short column name."""
    return SHORT.get(stage, stage)


def funnel_rows(report: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """One row per group and the total: people, then how many reached each stage after subscriber."""
    return [
        {key: g["key"], **{stage_label(s): g["reached"][s] for s in report["stages"]}}
        for g in [*report["groups"], report["total"]]
    ]


def conversion_rows(report: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """One row per group and the total: the rate of each step, named by the stage it reaches."""
    rows = []
    for g in [*report["groups"], report["total"]]:
        steps = {stage_label(step.split("→")[1]): pct(rate) for step, rate in g["conversion"].items()}
        rows.append({key: g["key"], **steps})
    return rows


def deal_rows(report: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """One row per deal group and the total: counts by outcome, win rate and amounts."""
    return [
        {
            key: g["key"],
            "deals": g["deals"],
            "open": g["open"],
            "won": g["won"],
            "lost": g["lost"],
            "win rate": pct(g["win_rate"]),
            "won amount": money(g["won_amount"]),
            "pipeline": money(g["pipeline"]),
        }
        for g in [*report["deals"], report["deals_total"]]
        if g["deals"] or g["key"] == "total"
    ]


def velocity_rows(report: dict[str, Any], key: str) -> list[dict[str, Any]]:
    """One row per group and measure: n, median and mean days."""
    return [
        {
            key: m["key"],
            "measure": m["measure"],
            "n": m["n"],
            "median d": days(m["median_days"]),
            "mean d": days(m["mean_days"]),
        }
        for m in report["measures"]
    ]


def calibration_rows(report: dict[str, Any], section: str) -> list[dict[str, Any]]:
    """One row per model and band (or grade): people, and per target 'rate (converted/base)'."""
    return [
        {
            "model": r["model_version"],
            "band" if section == "bands" else "grade": r["key"],
            "people": r["people"],
            **{f"→{stage_label(t)}": _rate(r, t) for t in report["targets"]},
        }
        for r in report[section]
    ]


def _rate(row: dict[str, Any], target: str) -> str:
    rate = row["rate"][target]
    return "" if rate is None else f"{pct(rate)} ({row['converted'][target]}/{row['base'][target]})"


def mix_rows(mix: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per side (sales, marketing, …): people, opportunities and won amount with their shares."""
    return [
        {
            "sourced": m["sourced_by"],
            "people": m["people"],
            "share": pct(m["people_share"]),
            "opps": m["opportunities"],
            "opp share": pct(m["opportunity_share"]),
            "won amount": money(m["won_amount"]),
            "won share": pct(m["won_share"]),
        }
        for m in mix
    ]


def csv_text(rows: list[dict[str, Any]]) -> str:
    """Rows as CSV with a header (the first row's keys)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    if rows:
        writer.writerow(list(rows[0]))
        writer.writerows([["" if v is None else v for v in row.values()] for row in rows])
    return out.getvalue()
