"""Synthetic batch-layout data for bench/batch.py: people_flat and events_flat written straight to Parquet.

A seeded numpy generator, fast enough for 10^8 events: a B2B market of accounts and people with
heavy-tailed activity, and events whose types, paths and properties follow examples/scoring.yaml's site
(service pages with references, pricing and calculator, blog, guides, careers, e-mail, ads, product usage).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from liidi.engines.export import EVENTS_SCHEMA, PEOPLE_SCHEMA, parquet_path, write_parquet
from liidi.engines.layout import EVENTS, PEOPLE

DAY = 86400.0
SERVICES = {
    "pilvi": "cloud",
    "tietoturva": "security",
    "data-analytiikka": "data",
    "integraatiot": "integration",
}
SERVICES["ohjelmistokehitys"] = "ai"
STAGES = ("early_interest", "need_recognised", "comparing_solutions", "deciding")
INDUSTRIES = ("software", "finance", "logistics", "retail", "manufacturing", "healthcare", "energy")
INDUSTRIES += ("public_sector", "education", "construction", "media")
COUNTRIES = ("FI", "FI", "FI", "SE", "NO", "DK", "EE", "DE", "US")
TITLES = ("CIO", "CTO", "IT Director", "Head of IT", "Tietohallintojohtaja", "Developer", "Architect")
TITLES += ("Data Engineer", "HR Manager", "Marketing Manager", "Sales Director", "Student", "CEO", "CFO")
NAMES = ("Kivi", "Aalto", "Nord", "Vesi", "Tuli", "Metsä", "Ranta", "Lumi", "Kallio", "Saari")
SUFFIXES = ("Oy", "Oy", "Oy", "AB", "AS", "Group", "Consulting", "Cloud", "Solutions")


def _pick(
    rng: np.random.Generator, choices: tuple[str, ...], n: int, p: list[float] | None = None
) -> pa.Array:
    return pa.array(choices).take(pa.array(rng.choice(len(choices), size=n, p=p)))


def _vocabulary() -> tuple[list[str], list[str], np.ndarray]:
    """Every (type, properties) combination an event can have, with its probability."""
    items: list[tuple[str, dict[str, object], float]] = []
    for service, topic in SERVICES.items():
        base = {"service": service, "topic": topic}
        items.append(("page_view", {"path": f"/palvelut/{service}/", "stage": STAGES[0]} | base, 4.0))
        for sub in ("siirto", "palvelut", "asiantuntijat"):
            items.append(
                ("page_view", {"path": f"/palvelut/{service}/{sub}", "stage": STAGES[1]} | base, 2.0)
            )
        items.append(
            ("page_view", {"path": f"/palvelut/{service}/referenssit", "stage": STAGES[2]} | base, 1.2)
        )
        items.append(
            ("page_view", {"path": f"/palvelut/{service}/hinnoittelu", "stage": STAGES[3]} | base, 0.8)
        )
        items.append(("page_view", {"path": f"/palvelut/{service}/laskuri", "stage": STAGES[3]} | base, 0.3))
        for stage in STAGES:
            items.append(("download", {"guide": f"{service}-{stage}", "stage": stage, "topic": topic}, 0.15))
        for kind in ("email_open", "email_click", "ad_click"):
            weight = {"email_open": 3.0, "email_click": 0.9, "ad_click": 0.8}[kind]
            items.append((kind, {"campaign": f"{service}-2026", "topic": topic}, weight))
    for post in range(30):
        stage = STAGES[post % 4]
        items.append(("page_view", {"path": f"/blogi/kirjoitus-{post}", "topic": "ai", "stage": stage}, 0.5))
    for path, weight in (("/", 4.0), ("/yhteystiedot", 0.4), ("/rekry/", 0.6), ("/rekry/avoimet", 0.4)):
        items.append(("page_view", {"path": path}, weight))
    for value in range(1, 61):
        items.append(("product_usage", {"metric": "messages_sent", "value": value * 3}, 0.2))
    items.append(("product_usage", {"metric": "seats", "value": 5}, 0.5))
    for form, weight in (("kustannuslaskuri", 0.2), ("yhteydenotto", 0.1)):
        items.append(("form_submit", {"form": form}, weight))
    for kind, weight in (("call", 0.2), ("email", 0.3), ("meeting", 0.08)):
        items.append(("sales_touch", {"kind": kind}, weight))
    rare = {"chat": 0.1, "event_registration": 0.2, "event_attended": 0.1, "newsletter_signup": 0.15}
    rare |= {"trial_signup": 0.03, "unsubscribe": 0.05, "email_bounce": 0.05, "demo_request": 0.02}
    rare |= {"contact_request": 0.02, "order": 0.005}
    items += [(kind, {}, weight) for kind, weight in rare.items()]
    weights = np.array([w for _, _, w in items])
    return [t for t, _, _ in items], [json.dumps(p) for _, p, _ in items], weights / weights.sum()


def account_table(rng: np.random.Generator, accounts: int) -> dict[str, pa.Array]:
    """Attributes of accounts 0..accounts (row i is account i; row 0 is unused)."""
    n = accounts + 1
    ids = pc.cast(pa.array(np.arange(n)), pa.string())
    size = np.exp(rng.normal(4.5, 1.6, size=n)).astype(np.int64) + 1
    band = np.digitize(size, [10, 50, 250, 1000, 5000])
    bands = pa.array(("<1M", "1M-10M", "10M-50M", "50M-250M", "250M-1B", ">1B"))
    return {
        "account_domain": pc.binary_join_element_wise("yritys", ids, ".fi", ""),
        "account_name": pc.binary_join_element_wise(_pick(rng, NAMES, n), ids, _pick(rng, SUFFIXES, n), " "),
        "industry": _pick(rng, INDUSTRIES, n),
        "country": _pick(rng, COUNTRIES, n),
        "employees": pa.array(size),
        "revenue_band": bands.take(pa.array(band)),
        "tier": _pick(rng, ("none", "tier_3", "tier_2", "most_wanted"), n, [0.8, 0.1, 0.07, 0.03]),
        "account_traits": pa.array(["{}"] * n),
    }


def people_batch(
    rng: np.random.Generator, first: int, n: int, accounts: dict[str, pa.Array]
) -> pa.RecordBatch:
    """n people with ids from `first`; 12 % have no account (free-mail)."""
    ids = np.arange(first, first + n, dtype=np.int64)
    free = rng.random(n) < 0.12
    account = pa.array(rng.integers(1, len(accounts["tier"]), size=n), mask=free)
    domain = pc.fill_null(accounts["account_domain"].take(account), "gmail.com")
    email = pc.binary_join_element_wise("p", pc.cast(pa.array(ids), pa.string()), "@", domain, "")
    columns = {
        "person_id": pa.array(ids),
        "email": email,
        "email_domain": domain,
        "role": _pick(rng, ("decision_maker", "influencer", "user", "other"), n, [0.1, 0.25, 0.45, 0.2]),
        "seniority": _pick(rng, ("c_level", "director", "manager", "individual", "unknown"), n),
        "title": _pick(rng, TITLES, n),
        "consent": _pick(rng, ("granted", "unknown", "withdrawn"), n, [0.6, 0.35, 0.05]),
        "lead_tool": _pick(rng, ("download", "webinar", "outbound_list", "contact_form"), n),
        "channel": _pick(rng, ("organic", "paid", "referral", "outbound"), n),
        "direction": _pick(rng, ("inbound", "outbound"), n, [0.7, 0.3]),
        "sourced_by": _pick(rng, ("marketing", "sales"), n, [0.75, 0.25]),
        "person_traits": pa.array(["{}"] * n),
        "account_id": pc.cast(account, pa.int64()),
        "external_id": _crm_ids(rng, ids),
    } | {name: values.take(account) for name, values in accounts.items()}
    return pa.RecordBatch.from_arrays([columns[f.name] for f in PEOPLE_SCHEMA], schema=PEOPLE_SCHEMA)


def _crm_ids(rng: np.random.Generator, ids: np.ndarray) -> pa.Array:
    """A CRM id ('crm-<person id>') for 60 % of people, NULL for the rest."""
    crm = pc.binary_join_element_wise("crm-", pc.cast(pa.array(ids), pa.string()), "")
    return pc.if_else(pa.array(rng.random(len(ids)) < 0.6), crm, pa.scalar(None, pa.string()))


def events_batch(
    rng: np.random.Generator,
    first: int,
    n: int,
    cdf: np.ndarray,
    vocab: tuple[pa.Array, pa.Array, np.ndarray],
    end: float,
) -> pa.RecordBatch:
    """n events with ids from `first`, over the year before `end`; person activity follows `cdf`."""
    types, props, weights = vocab
    person = np.searchsorted(cdf, rng.random(n) * cdf[-1]).astype(np.int64) + 1
    combo = pa.array(rng.choice(len(weights), size=n, p=weights))
    ts = end - rng.random(n) ** 1.3 * 365 * DAY
    ids = pc.binary_join_element_wise("e", pc.cast(pa.array(np.arange(first, first + n)), pa.string()), "")
    arrays = [pa.array(person), ids, types.take(combo), pa.array(ts), props.take(combo)]
    return pa.RecordBatch.from_arrays(arrays, schema=EVENTS_SCHEMA)


def generate(
    directory: Path, *, people: int, events: int, end: float, seed: int = 7, chunk: int = 2_000_000
) -> None:
    """Write people_flat.parquet and events_flat.parquet into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    accounts = account_table(rng, max(1, people // 8))
    batches = (people_batch(rng, s + 1, min(chunk, people - s), accounts) for s in range(0, people, chunk))
    write_parquet(parquet_path(directory, PEOPLE), PEOPLE_SCHEMA, batches)
    activity = np.exp(rng.normal(0.0, 1.4, size=people))
    cdf = np.cumsum(activity)
    type_list, prop_list, weights = _vocabulary()
    vocab = (pa.array(type_list), pa.array(prop_list), weights)
    batches = (events_batch(rng, s, min(chunk, events - s), cdf, vocab, end) for s in range(0, events, chunk))
    write_parquet(parquet_path(directory, EVENTS), EVENTS_SCHEMA, batches)
