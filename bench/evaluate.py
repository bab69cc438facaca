"""Acceptance on real data: liidi's CLI on two public datasets, checked against scikit-learn and pandas.

Run: `make evaluate` or `python bench/evaluate.py [--data ../shared/data] [--seed 42]`. Each part runs
the liidi CLI in subprocesses against a fresh SQLite file in a temporary directory:

A. X Education leads (x-education-leads/Leads.csv): import the columns known when a lead arrives,
   publish examples/x-education-leads.yaml, score everyone, and print the ROC-AUC of the score against
   `Converted` beside a logistic regression on the same columns (bench/evaluate_leads.py).
B. Maven CRM pipeline (maven-crm-sales-opportunities): import accounts and deals, and check what the store
   holds against pandas on the same files (bench/evaluate_deals.py); any mismatch exits 1.

Prints Rich tables and writes bench/results/evaluate.json. See docs/evaluation.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Column, Table

import evaluate_deals
import evaluate_leads
from cli_runner import CliFailed, Liidi

console = Console()


def leads_table(result: evaluate_leads.LeadsResult, seed: int) -> Table:
    """ROC-AUC of the liidi score and the regressions, three ways."""
    table = Table(
        "model",
        Column("held-out 30 %", justify="right"),
        Column("5-fold CV", justify="right"),
        Column("all rows", justify="right"),
        title="X Education leads: ROC-AUC against Converted",
        caption=(
            f"{result.rows:,} leads, {result.positives:,} converted "
            f"(base rate {result.positives / result.rows:.3f}); held out {result.held_out_rows:,} "
            f"(stratified, seed {seed}); CV: mean ± sd of the test folds; all rows: the regression "
            "is fitted on them."
        ),
        caption_justify="left",
    )
    names = {
        "liidi": f"liidi {result.model_version}",
        "regression, all safe columns": f"regression, {len(evaluate_leads.SAFE_COLUMNS)} safe columns",
        "regression, the rules' columns": f"regression, rules' {len(result.rule_columns)} columns",
    }
    for key, auc in result.auc.items():
        table.add_row(
            names[key], f"{auc.held_out:.3f}", f"{auc.cv_mean:.3f} ± {auc.cv_sd:.3f}", f"{auc.all_rows:.3f}"
        )
    return table


def grades_table(result: evaluate_leads.LeadsResult) -> Table:
    """Leads and conversion by the model's fit grade."""
    numbers = [Column(name, justify="right") for name in ("leads", "converted", "rate")]
    table = Table("grade", *numbers, title=f"By grade of {result.model_version}")
    for grade, leads, converted in result.grades:
        table.add_row(grade, f"{leads:,}", f"{converted:,}", f"{converted / leads:.3f}")
    return table


def deals_table(found: list[evaluate_deals.Check]) -> Table:
    """Each figure from pandas and from the store, with OK or MISMATCH."""
    table = Table(
        "check",
        Column("pandas", justify="right"),
        Column("liidi", justify="right"),
        "",
        title="Maven CRM pipeline: the store against pandas",
        caption="× sum: one sum per sales agent or account, all compared",
        caption_justify="left",
    )
    for check in found:
        verdict = "[green]OK[/]" if check.ok else "[bold red]MISMATCH[/]"
        if check.known is not None and check.known != check.pandas:
            verdict += f" (published: {check.known:,})"
        table.add_row(
            check.name, evaluate_deals.shown(check.pandas), evaluate_deals.shown(check.liidi), verdict
        )
    return table


def run_part(name: str, workdir: Path) -> Liidi:
    """A runner on a fresh SQLite file of its own, logging each command."""
    folder = workdir / name
    folder.mkdir()
    return Liidi(folder, folder / "liidi.db", log=lambda line: console.print(f"  {line}", highlight=False))


def record(leads: evaluate_leads.LeadsResult, found: list[evaluate_deals.Check], seed: int) -> dict[str, Any]:
    """The figures as JSON."""
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "seed": seed,
        "leads": {
            **{k: v for k, v in asdict(leads).items() if k != "auc"},
            "auc": {k: {**asdict(v), "cv_mean": v.cv_mean, "cv_sd": v.cv_sd} for k, v in leads.auc.items()},
        },
        "deals": [{**asdict(c), "ok": c.ok} for c in found],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("../shared/data"), help="the datasets' folder")
    parser.add_argument("--seed", type=int, default=42, help="seed of the held-out split and the folds")
    parser.add_argument("--out", type=Path, default=Path("bench/results/evaluate.json"))
    args = parser.parse_args()
    data = args.data.resolve()
    wanted = [data / "x-education-leads" / "Leads.csv", data / "maven-crm-sales-opportunities"]
    absent = [str(path) for path in wanted if not path.exists()]
    if absent:
        console.print(
            f"[bold red]error:[/] not found: {', '.join(absent)} (give the data folder with --data)"
        )
        return 2
    with tempfile.TemporaryDirectory(prefix="liidi-evaluate-") as tmp:
        try:
            console.rule("A. X Education leads")
            with console.status("scoring the leads and fitting the regressions…"):
                leads = evaluate_leads.evaluate(run_part("leads", Path(tmp)), data, args.seed)
            console.print(leads_table(leads, args.seed))
            console.print(grades_table(leads))
            console.rule("B. Maven CRM pipeline")
            with console.status("importing accounts and deals…"):
                found = evaluate_deals.evaluate(run_part("deals", Path(tmp)), data)
            console.print(deals_table(found))
        except CliFailed as failed:
            console.print(f"[bold red]error:[/] {failed}", highlight=False)
            return 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record(leads, found, args.seed), indent=2, default=str) + "\n")
    bad = [c.name for c in found if not c.ok]
    if bad:
        console.print(f"[bold red]{len(bad)} mismatch(es):[/] {', '.join(bad)}")
        return 1
    console.print(f"all {len(found)} checks OK; figures in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
