"""Flat rows of the waste, target-account, marketing-value and acceptance reports, for tables and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

VALUE_LABELS = {
    "decision_makers_reached": "decision makers reached",
    "decision_makers_engaged": "decision makers engaged",
    "new_decision_makers": "new decision makers reached",
    "conversations": "conversations (calls, meetings)",
    "people_in_conversation": "people in conversation",
    "decision_makers_in_conversation": "decision makers in conversation",
}
DEAL_MEASURES = (
    "pipeline_created",
    "pipeline_influenced",
    "pipeline_marketing_sourced",
    "won",
    "won_influenced",
)


def money(value: float | None) -> str:
    """12 345 (whole units, thin groups), or '' for None."""
    return "" if value is None else f"{value:,.0f}".replace(",", " ")


def pct(share: float | None) -> str:
    """A share as '42.5 %', or ''."""
    return "" if share is None else f"{share * 100:.1f} %"


def waste_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per waste measure, then one per (stage, to, reason) of the losses."""
    rows = [
        {"measure": m["measure"], "stage": "", "to": "", "reason": "", **_figures(m)}
        for m in report["measures"]
    ]
    rows += [
        {"measure": r["measure"], "stage": r["stage"], "to": r["to"], "reason": r["reason"], **_figures(r)}
        for r in report["lost_by_stage_and_reason"]
    ]
    return rows


def _figures(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "count": row["count"],
        "people": row["people"],
        "value": row["value"],
        "estimated": row["estimated_value"],
    }


def targets_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per target account: reach and engagement, roles reached and missing, coverage."""
    return [
        {
            "domain": a["domain"] or f"#{a['account_id']}",
            "tier": a["tier"],
            "icp": "yes" if a["icp_fit"] else "no",
            "people": a["people"],
            "reached": a["reached"],
            "engaged": a["engaged"],
            "roles reached": a["roles_reached"],
            "engaged roles": a["roles_engaged"],
            "missing": a["roles_missing"],
            "coverage": a["coverage"],
        }
        for a in report["accounts"]
    ]


def value_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per measure of marketing value: people and conversations, then deals and their value."""
    rows = [{"measure": label, "count": report[key], "value": None} for key, label in VALUE_LABELS.items()]
    rows += [
        {
            "measure": name.replace("_", " "),
            "count": report[f"{name}_deals"],
            "value": report[f"{name}_value"],
        }
        for name in DEAL_MEASURES
    ]
    return rows


def acceptance_group_rows(report: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per group of an acceptance report run with `by`."""
    return [
        {
            report["by"]: g["key"],
            "handed over": g["handed_over"],
            "accepted": g["accepted"],
            "rejected": g["rejected"],
            "waiting": g["waiting"],
            "other": g["other"],
            "sales-ready": g["sales_ready"],
        }
        for g in report["groups"] or []
    ]


def csv_text(rows: Sequence[dict[str, Any]], columns: Sequence[str] | None = None) -> str:
    """Rows as CSV with a header; lists joined with '; ', None as empty."""
    names = list(columns if columns is not None else (rows[0].keys() if rows else []))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)
