"""`make evaluate` (bench/evaluate*.py) runs end to end on tiny files shaped like the real datasets.

The files are written here: numbers as text, `Select` placeholders, blanks, CRM ids; the real data in
../shared is never needed.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

import evaluate_deals  # noqa: E402
import evaluate_leads  # noqa: E402
from cli_runner import Liidi  # noqa: E402

LEADS_HEADER = [
    "Prospect ID", "Lead Number", "Lead Origin", "Lead Source", "Do Not Email", "Do Not Call", "Converted",
    "TotalVisits", "Total Time Spent on Website", "Page Views Per Visit", "Last Activity", "Country",
    "Specialization", "How did you hear about X Education", "What is your current occupation",
    "What matters most to you in choosing a course", "Search", "Magazine", "Newspaper Article",
    "X Education Forums", "Newspaper", "Digital Advertisement", "Through Recommendations",
    "Receive More Updates About Our Courses", "Tags", "Lead Quality", "Update me on Supply Chain Content",
    "Get updates on DM Content", "Lead Profile", "City", "Asymmetrique Activity Index",
    "Asymmetrique Profile Index", "Asymmetrique Activity Score", "Asymmetrique Profile Score",
    "I agree to pay the amount through cheque", "A free copy of Mastering The Interview",
    "Last Notable Activity",
]  # fmt: skip
LEADS = 40


def lead(i: int) -> dict[str, str]:
    """One lead: converted mostly when it spent long on the site, with a few exceptions either way."""
    seconds = (i * 53) % 1500
    row = dict.fromkeys(LEADS_HEADER, "No")
    row |= {
        "Prospect ID": f"{i:08x}-8bba-4d29-b9a2-{i:012x}",
        "Lead Number": str(660_000 + i),
        "Lead Origin": ("API", "Landing Page Submission", "Lead Add Form")[i % 3],
        "Lead Source": ("Google", "Direct Traffic", "Olark Chat", "Reference", "")[i % 5],
        "Do Not Email": "Yes" if i % 9 == 0 else "No",
        "Converted": str(int((seconds >= 800) != (i % 11 == 0))),
        "TotalVisits": "" if i % 13 == 0 else str(i % 7),
        "Total Time Spent on Website": str(seconds),
        "Page Views Per Visit": ("2.5", "3", "", "1.33")[i % 4],
        "Last Activity": "Email Opened",
        "Country": "India" if i % 4 else "",
        "Specialization": ("Select", "Finance Management", "")[i % 3],
        "How did you hear about X Education": "Online Search" if i % 5 == 0 else "Select",
        "What is your current occupation": ("Unemployed", "Working Professional", "")[i % 3],
        "What matters most to you in choosing a course": "Better Career Prospects",
        "Tags": "Will revert after reading the email" if i % 2 else "Ringing",
        "Lead Quality": "Low in Relevance",
        "Lead Profile": "Select",
        "City": ("Mumbai", "Select", "Thane & Outskirts")[i % 3],
        "Asymmetrique Activity Index": "02.Medium",
        "Asymmetrique Profile Index": "02.Medium",
        "Asymmetrique Activity Score": "15",
        "Asymmetrique Profile Score": "15",
        "Last Notable Activity": "Modified",
    }
    return row


PIPELINE_HEADER = [
    "opportunity_id", "sales_agent", "product", "account", "deal_stage", "engage_date", "close_date",
    "close_value",
]  # fmt: skip
PIPELINE = [
    ("1C1I7A6R", "Moses Frase", "GTX Plus Basic", "Cancity", "Won", "2016-10-20", "2017-03-01", "1054"),
    ("Z063OYW0", "Darcel Schlecht", "GTXPro", "Isdom", "Won", "2016-10-25", "2017-03-11", "4514"),
    ("EC4QE1BX", "Darcel Schlecht", "MG Special", "Cancity", "Won", "2016-10-25", "2017-03-07", "50"),
    ("MV1LWRNH", "Moses Frase", "GTX Basic", "Codehow", "Lost", "2016-10-25", "2017-03-09", "0"),
    ("PE84CX4O", "Zane Levy", "GTX Basic", "Isdom", "Engaging", "2016-10-25", "", ""),
    ("ZZY4516W", "Anna Snelling", "MG Advanced", "", "Prospecting", "", "", ""),
    ("HAXMC4IX", "Anna Snelling", "GTX Plus Pro", "", "Engaging", "2017-01-14", "", ""),
]
ACCOUNTS = [
    ("Cancity", "retail", "2001", "718.62", "448", "United States", ""),
    ("Codehow", "software", "1998", "2714.90", "2641", "United States", "Acme Corporation"),
    ("Isdom", "medical", "2002", "3178.24", "4540", "United States", ""),
]


def write_csv(path: Path, header: list[str], rows: list[list[str]] | list[tuple[str, ...]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A data folder with both datasets, tiny."""
    return write_data(tmp_path / "data")


def write_data(folder: Path) -> Path:
    """Write both datasets, tiny, into `folder`."""
    write_csv(
        folder / "x-education-leads" / "Leads.csv",
        LEADS_HEADER,
        [list(lead(i).values()) for i in range(LEADS)],
    )
    maven = folder / "maven-crm-sales-opportunities"
    write_csv(maven / "sales_pipeline.csv", PIPELINE_HEADER, PIPELINE)
    account_header = ["account", "sector", "year_established", "revenue", "employees", "office_location"]
    write_csv(maven / "accounts.csv", [*account_header, "subsidiary_of"], ACCOUNTS)
    return folder


def runner(tmp_path: Path, name: str) -> Liidi:
    folder = tmp_path / name
    folder.mkdir()
    return Liidi(folder, folder / "liidi.db", log=lambda _line: None)


@pytest.fixture(scope="module")
def leads_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Liidi, evaluate_leads.LeadsResult]:
    """Part A run once on the tiny leads file: the runner (its store and export) and the result."""
    tmp = tmp_path_factory.mktemp("evaluate")
    liidi = runner(tmp, "leads")
    return liidi, evaluate_leads.evaluate(liidi, write_data(tmp / "data"), seed=7)


def test_the_leads_are_compared_with_a_regression_on_the_same_held_out_rows_and_folds(
    leads_run: tuple[Liidi, evaluate_leads.LeadsResult],
) -> None:
    _, result = leads_run
    converted = sum(lead(i)["Converted"] == "1" for i in range(LEADS))
    assert (result.rows, result.positives, result.held_out_rows) == (LEADS, converted, 12)
    assert result.model_version == "x-education-leads@v1"
    assert set(result.auc) == {"liidi", "regression, all safe columns", "regression, the rules' columns"}
    assert all(len(auc.folds) == 5 and 0 <= auc.held_out <= 1 for auc in result.auc.values())
    assert result.rule_columns[:2] == ("Total Time Spent on Website", "TotalVisits")
    assert [g for g, _, _ in result.grades] == sorted(g for g, _, _ in result.grades)
    assert sum(n for _, n, _ in result.grades) == LEADS and sum(c for *_, c in result.grades) == converted


def test_each_prospect_gets_the_points_of_its_own_typed_attributes(
    leads_run: tuple[Liidi, evaluate_leads.LeadsResult],
) -> None:
    liidi, _ = leads_run
    export = liidi.workdir / "leads-export"
    scores = pd.read_parquet(export / "batch_scores.parquet", columns=["external_id", "score"])
    by_prospect = dict(zip(scores["external_id"], scores["score"], strict=True))
    assert len(by_prospect) == LEADS
    # 0: no time on site, visits blank, Do Not Email = Yes
    # 5: 265 s (+3), 5 visits (+5), 3 pages a visit (+2), Lead Add Form (+25), no occupation (-5)
    # 19: 1007 s (+30), 5 visits (+5), landing page (+5), working professional (+20), specialization (+3)
    points = {0: -10, 5: 30, 19: 63}
    assert {i: by_prospect[lead(i)["Prospect ID"]] for i in points} == points


def test_only_the_columns_known_when_a_lead_arrives_are_stored(
    leads_run: tuple[Liidi, evaluate_leads.LeadsResult],
) -> None:
    liidi, _ = leads_run
    people = pd.read_parquet(liidi.workdir / "leads-export" / "people_flat.parquet")
    stored = set().union(*(json.loads(t) for t in people["person_traits"]))
    assert stored == set(evaluate_leads.SAFE_COLUMNS)
    assert not stored & {*evaluate_leads.LEAKY_COLUMNS, "Converted", "Lead Number"}
    assert people["email"].isna().all() and people["account_id"].isna().all(), "keyed by the CRM id alone"
    first = json.loads(people["person_traits"].iloc[0])
    assert first["Total Time Spent on Website"] == 0 and "Specialization" not in first, "Select is missing"


def test_the_deal_checks_agree_on_the_files_and_report_a_deal_changed_since_the_import(
    tmp_path: Path, data: Path
) -> None:
    liidi = runner(tmp_path, "deals")
    found = {c.name: c for c in evaluate_deals.evaluate(liidi, data, known=None)}
    assert all(c.ok for c in found.values()), [c for c in found.values() if not c.ok]
    assert (found["won"].liidi, found["lost"].liidi, found["open"].liidi) == (3, 1, 3)
    assert found["won amount"].liidi == 1054 + 4514 + 50
    assert found["deals with an account"].liidi == 5
    assert found["won amount by account"].liidi == {"Cancity": 1104.0, "Isdom": 4514.0}
    assert found["win rate by sector"].liidi == {"medical": 1.0, "retail": 1.0, "software": 0.0}
    assert found["win rate by sales agent"].liidi == {"Darcel Schlecht": 1.0, "Moses Frase": 0.5}
    assert found["median days engage → close"].liidi == 134.0  # 132, 133, 135, 137

    folder = data / "maven-crm-sales-opportunities"
    changed = [(*row[:7], "4600") if row[0] == "Z063OYW0" else row for row in PIPELINE]
    write_csv(folder / "sales_pipeline.csv", PIPELINE_HEADER, changed)
    again = {c.name: c for c in evaluate_deals.checks(folder, liidi.url, known=None)}
    assert not again["won amount"].ok and not again["won amount by sales agent"].ok
    assert (again["deals equal field by field"].pandas, again["deals equal field by field"].liidi) == (7, 6)
    assert again["won"].ok


def test_a_file_that_differs_from_the_published_figures_is_a_mismatch(tmp_path: Path, data: Path) -> None:
    liidi = runner(tmp_path, "deals")
    found = {c.name: c for c in evaluate_deals.evaluate(liidi, data)}
    assert found["deals"].pandas == found["deals"].liidi == 7
    assert not found["deals"].ok, "the published file has 8,800 deals"
    assert found["won amount"].ok, "figures without a published value compare the two sides only"
