"""Bulk-load benchmark: rows per second of people, dated history and deals imports, against raw inserts.

Run: `python bench/history_import.py [--rows N] [--postgres URL]`. Prints a table and writes
bench/results/history_import.json. Each import runs through its service (every field checked, people and
accounts resolved, idempotency keys read, one transaction) on a fresh database; the floor is the same
rows inserted with one SQLAlchemy Core executemany in one transaction on the same kind of database in the
same run. The aim is ≥ 5,000 rows/s on SQLite.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from sqlalchemy import insert, text

from databases import Databases
from liidi.services import history, imports
from liidi.services.unit_of_work import UnitOfWork
from liidi.storage import session
from liidi.storage.tables import identities, lifecycle_history, opportunities, people

START = 1_476_921_600.0  # 2016-10-20, the first day of the shapes' pipeline
DAY = 86400.0
ACCOUNTS = 85
STAGES = ("mql", "sal", "customer")


def person_records(n: int) -> list[dict[str, Any]]:
    """People of a CRM export: e-mail, names, a title, a creation date and a few traits."""
    return [
        {
            "email": f"lead{i}@company{i % ACCOUNTS}.example",
            "first_name": f"First{i}",
            "last_name": f"Last{i}",
            "title": "Head of IT" if i % 3 else "Student",
            "created_at": str(START + (i % 400) * DAY),
            "traits": {"source": "Google" if i % 2 else "Olark Chat", "visits": str(i % 17)},
        }
        for i in range(n)
    ]


def history_records(n: int, people: int) -> list[dict[str, Any]]:
    """N dated stage changes of `people` people, several each, skipping stages as a CRM's past does."""
    return [
        {
            "email": f"lead{i % people}@company{i % people % ACCOUNTS}.example",
            "to": STAGES[(i // people) % len(STAGES)],
            "occurred_at": str(START + (i // people) * 30 * DAY + (i % 400) * 3600),
            "actor": f"agent{i % 35}",
            "amount": str(1000 + i % 5000) if STAGES[(i // people) % len(STAGES)] == "customer" else "",
        }
        for i in range(n)
    ]


def deal_records(n: int) -> list[dict[str, Any]]:
    """Deals shaped like a sales pipeline: Won/Lost/Engaging/Prospecting, accounts by name, agents."""
    stages = ("Won", "Won", "Lost", "Engaging", "Prospecting")
    deals = []
    for i in range(n):
        stage = stages[i % len(stages)]
        closed = stage in ("Won", "Lost")
        deals.append(
            {
                "external_id": f"OPP{i:08d}",
                "owner": f"agent{i % 35}",
                "name": ("GTX Basic", "MG Special", "GTXPro")[i % 3],
                "account_name": f"Company {i % ACCOUNTS}" if closed or i % 4 else "",
                "stage": stage,
                "created_at": str(START + (i % 300) * DAY),
                "closed_at": str(START + (i % 300 + 60) * DAY) if closed else "",
                "amount": str(500 + i % 4000) if stage == "Won" else ("0" if closed else ""),
            }
        )
    return deals


def with_accounts(url: str) -> None:
    engine = session.make_engine(url)
    records = [{"name": f"Company {i}", "domain": f"company{i}.example"} for i in range(ACCOUNTS)]
    imports.import_accounts(UnitOfWork(engine), records=records)
    engine.dispose()


def with_people(url: str, n: int) -> None:
    with_accounts(url)
    engine = session.make_engine(url)
    imports.import_people(UnitOfWork(engine), records=person_records(n))
    engine.dispose()


def timed(url: str, work: Callable[[UnitOfWork], Any]) -> float:
    engine = session.make_engine(url)
    start = time.perf_counter()
    work(UnitOfWork(engine))
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def raw(url: str, build: Callable[[Any], list[tuple[Any, list[dict[str, Any]]]]]) -> float:
    """Seconds to insert prepared rows with one executemany per table in one transaction."""
    engine = session.make_engine(url)
    with engine.connect() as conn:
        batches = build(conn)
    start = time.perf_counter()
    with engine.begin() as conn:
        for table, rows in batches:
            conn.execute(insert(table), rows)
    elapsed = time.perf_counter() - start
    engine.dispose()
    return elapsed


def people_floor(n: int) -> Callable[[Any], list[tuple[Any, list[dict[str, Any]]]]]:
    def build(conn: Any) -> list[tuple[Any, list[dict[str, Any]]]]:
        accounts = dict(conn.execute(text("SELECT domain, id FROM accounts")).all())
        rows = [
            {
                "id": i + 1,
                "email": r["email"],
                "first_name": r["first_name"],
                "last_name": r["last_name"],
                "title": r["title"],
                "account_id": accounts[r["email"].split("@")[1]],
                "lifecycle_stage": "lead",
                "traits": r["traits"],
                "created_ts": float(r["created_at"]),
                "updated_ts": START,
            }
            for i, r in enumerate(person_records(n))
        ]
        ids = [
            {"kind": "email", "value": r["email"], "person_id": r["id"], "created_ts": START} for r in rows
        ]
        return [(people, rows), (identities, ids)]

    return build


def history_floor(n: int, people_n: int) -> Callable[[Any], list[tuple[Any, list[dict[str, Any]]]]]:
    def build(conn: Any) -> list[tuple[Any, list[dict[str, Any]]]]:
        ids = dict(conn.execute(text("SELECT value, person_id FROM identities WHERE kind = 'email'")).all())
        rows = [
            {
                "person_id": ids[r["email"]],
                "from_stage": None,
                "to_stage": r["to"],
                "occurred_ts": float(r["occurred_at"]),
                "actor": r["actor"],
                "reason": None,
                "amount": float(r["amount"]) if r["amount"] else None,
            }
            for r in history_records(n, people_n)
        ]
        return [(lifecycle_history, rows)]

    return build


def deals_floor(n: int) -> Callable[[Any], list[tuple[Any, list[dict[str, Any]]]]]:
    def build(conn: Any) -> list[tuple[Any, list[dict[str, Any]]]]:
        accounts = dict(conn.execute(text("SELECT name, id FROM accounts")).all())
        rows = [
            {
                "external_id": r["external_id"],
                "account_id": accounts.get(r["account_name"]),
                "name": r["name"],
                "stage": {"Won": "won", "Lost": "lost"}.get(r["stage"], "open"),
                "amount": float(r["amount"]) if r["amount"] else None,
                "currency": "EUR",
                "created_ts": float(r["created_at"]),
                "closed_ts": float(r["closed_at"]) if r["closed_at"] else None,
                "owner": r["owner"],
            }
            for r in deal_records(n)
        ]
        return [(opportunities, rows)]

    return build


def measure(kind: str, n: int, dbs: Databases) -> list[dict[str, Any]]:
    """Each import and its floor on fresh databases of one kind."""
    people_n = max(1, n // len(STAGES))
    people_rows, history_rows, deal_rows = person_records(n), history_records(n, people_n), deal_records(n)
    cases: list[tuple[str, Callable[[str], None], Callable[[str], float]]] = [
        ("people", with_accounts, lambda u: raw(u, people_floor(n))),
        (
            "people",
            with_accounts,
            lambda u: timed(u, lambda w: imports.import_people(w, records=people_rows)),
        ),
        ("history", lambda u: with_people(u, people_n), lambda u: raw(u, history_floor(n, people_n))),
        (
            "history",
            lambda u: with_people(u, people_n),
            lambda u: timed(u, lambda w: history.import_history(w, records=history_rows)),
        ),
        ("deals", with_accounts, lambda u: raw(u, deals_floor(n))),
        ("deals", with_accounts, lambda u: timed(u, lambda w: history.import_deals(w, records=deal_rows))),
    ]
    results = []
    for i, (what, prepare, run) in enumerate(cases):
        url = dbs.fresh(kind)
        prepare(url)
        seconds = run(url)
        path = "floor: raw executemany" if i % 2 == 0 else "import service"
        results.append({"backend": kind, "import": what, "path": path, "rows": n, "seconds": seconds})
    for floor, service in zip(results[::2], results[1::2], strict=True):
        for row in (floor, service):
            row["rate"] = n / row["seconds"]
            row["ratio_to_floor"] = row["rate"] / (n / floor["seconds"])
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=9_000, help="rows per import")
    parser.add_argument("--postgres", default=None, help="also measure this PostgreSQL server")
    parser.add_argument("--out", default="bench/results/history_import.json")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        dbs = Databases(args.postgres or "", Path(tmp))
        try:
            for kind in ("sqlite", "postgresql") if args.postgres else ("sqlite",):
                rows += measure(kind, args.rows, dbs)
        finally:
            dbs.drop_all()
    table = Table("backend", "import", "path", "rows", "seconds", "rows/s", "ratio", title="Bulk imports")
    for r in rows:
        table.add_row(
            r["backend"],
            r["import"],
            r["path"],
            f"{r['rows']:,}",
            f"{r['seconds']:.2f}",
            f"{r['rate']:,.0f}",
            f"{r['ratio_to_floor']:.2f}",
        )
    Console(width=100).print(table)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
