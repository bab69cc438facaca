"""The ICP file and the Most Wanted list: what they accept and how they name what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from liidi.domain.icp import load_icp_file, load_icp_text
from liidi.domain.most_wanted import check_targets, parse_csv
from liidi.domain.scoring import issues_of
from liidi.errors import SpecError, ValidationFailed

ROOT = Path(__file__).resolve().parents[2]


def problems(text: str) -> list[str]:
    with pytest.raises(SpecError) as error:
        load_icp_text(text, "icp.yaml")
    return [i.one_line() for i in issues_of(error.value)]


def test_the_example_icp_loads_with_five_roles_and_a_90_day_window() -> None:
    icp = load_icp_file(ROOT / "examples" / "icp.yaml")
    assert [r.name for r in icp.roles] == ["decision_maker", "champion", "finance", "technical", "user"]
    assert (icp.window_days, icp.sizes[0], icp.countries[0]) == (90, (50, 249), "FI")
    assert icp.decision_maker().seniorities == ("c_level", "vp")


def test_every_problem_is_named_with_its_line_and_column() -> None:
    text = (
        "icp: x\n"
        "sizes: [ten-20]\n"
        "window_days: 0\n"
        "colour: red\n"
        "roles:\n"
        "  - {name: dm, seniority: [c_level]}\n"
        "  - {name: dm, role: user}\n"
        "  - {name: Bad Name, role: user}\n"
        "  - {name: empty}\n"
        "  - {name: king, seniority: [king]}\n"
    )
    found = problems(text)
    assert any(p.startswith("icp.yaml:2:") and "50-249" in p for p in found)
    assert any(p.startswith("icp.yaml:3:") and "window_days" in p for p in found)
    assert any(p.startswith("icp.yaml:4:") and "unknown key 'colour'" in p for p in found)
    assert any(p.startswith("icp.yaml:10:") and "'king'" in p for p in found)
    assert any(p.startswith("icp.yaml:7:") and "given twice" in p for p in found)
    assert any(p.startswith("icp.yaml:8:") and "a-z" in p for p in found)
    assert any(p.startswith("icp.yaml:9:") and "at least one of role" in p for p in found)


def test_an_empty_or_deeply_nested_file_is_refused() -> None:
    assert "empty" in problems("")[0]
    assert "nest deeper" in problems("icp: " + "[" * 100 + "]" * 100)[0]


def test_a_most_wanted_csv_defaults_the_tier_and_names_bad_lines() -> None:
    rows = parse_csv("Domain,tier\nwww.Acme.fi,\nbeta.se,tier_2\n")
    assert [(t.domain, t.tier) for t in check_targets(rows)] == [
        ("acme.fi", "most_wanted"),
        ("beta.se", "tier_2"),
    ]
    with pytest.raises(ValidationFailed) as error:
        check_targets(parse_csv("domain,account_id,tier\nnot a domain,,\n,0,\nacme.fi,,gold\nacme.fi,,\n"))
    fields = [e.field for e in error.value.errors]
    assert fields == ["line 2: domain", "line 3: account_id", "line 4: tier"]


def test_a_most_wanted_csv_without_a_key_column_is_refused() -> None:
    with pytest.raises(ValidationFailed) as error:
        parse_csv("tier\nmost_wanted\n")
    assert error.value.errors[0].field == "header"
