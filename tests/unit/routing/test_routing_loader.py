"""routing.yaml is read like a scoring model: every problem reported with its line, column and part."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction
from pathlib import Path

import pytest

from liidi.domain.routing import Away, check_routing_text, load_routing_text
from liidi.errors import SpecError
from routing_support import TEAMS, plan

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "routing.yaml"


def problems(text: str) -> list[str]:
    """Each problem as 'line:column part: reason'."""
    return [i.one_line().removeprefix("t.yaml:") for i in check_routing_text(text, "t.yaml")]


def test_the_example_routing_document_loads_with_its_teams_reps_rules_and_motions() -> None:
    example = load_routing_text(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert [t.name for t in example.teams] == ["nordics", "dach", "rest"]
    assert example.rep("kadri.tamm@liidi-demo.example").weight == Fraction(1, 2)  # type: ignore[union-attr]
    anna = example.rep("anna.virtanen@liidi-demo.example")
    assert anna is not None and anna.away == (
        Away(datetime(2026, 12, 21).date(), datetime(2027, 1, 6).date()),
    )
    assert (example.timezone, example.period, example.fallback) == (
        "Europe/Helsinki",
        "week",
        "sales-queue@liidi-demo.example",
    )
    assert [m.motion.value for m in example.motions] == ["high_touch", "low_touch", "low_touch", "no_touch"]


def test_an_empty_file_says_what_a_routing_document_needs() -> None:
    assert problems("") == [
        "1:1 routing: the file is empty; it needs at least 'routing: <name>', teams, reps and rules"
    ]


def test_broken_yaml_is_reported_with_its_position() -> None:
    assert problems("routing: x\nteams: [\n") == [
        "3:1 YAML: not valid YAML: expected the node content, but found '<stream end>'"
    ] or problems("routing: x\nteams: [\n")[0].startswith("3:1 YAML: not valid YAML")


def test_a_rep_of_an_unknown_team_is_refused_at_the_line_of_its_team() -> None:
    text = TEAMS.replace("{email: dora@firma.fi, team: rest}", "{email: dora@firma.fi, team: south}")
    found = problems(text)
    assert found == [
        "7:5 team 'rest': has no reps; give a rep 'team: rest' or leave it out",
        "12:34 rep 'dora@firma.fi': team: unknown team 'south' (teams: nordics, rest)",
    ]


def test_every_problem_of_a_broken_document_is_reported_at_once_in_line_order() -> None:
    text = """routing: x
timezone: Mars/Base
period: month
affinity: sometimes
fallback: not-an-address
teams:
  - name: nordics
  - name: nordics
reps:
  - {email: anna@firma.fi, team: nordics, weight: 0, capacity: -1}
  - {email: anna@firma.fi, team: nordics, out_of_office: [{from: 2026-12-24, until: 2026-12-20}]}
rules:
  - {name: r, when: {account.countyr: FI}, team: nordics}
motions:
  - {name: m, motion: medium_touch, qualified_by: sometimes}
"""
    found = problems(text)
    assert [p.split(" ")[0] for p in found] == sorted(
        (p.split(" ")[0] for p in found), key=lambda at: tuple(int(n) for n in at.split(":"))
    )
    expected = [
        "2:11 timezone: unknown time zone 'Mars/Base'",
        "3:9 period: expected one of day, week, got 'month'",
        "4:11 affinity: expected true or false, got 'sometimes'",
        "5:11 fallback: 'not-an-address': e-mail address has no '@'",
        "8:5 team 'nordics': is given twice; names must be unique",
        "10:51 rep 'anna@firma.fi': weight: expected a number above 0, got 0",
        "10:64 rep 'anna@firma.fi': capacity: expected a whole number ≥ 0, got -1",
        "11:59 rep 'anna@firma.fi': out_of_office[0]: 'until' (2026-12-20) is before 'from' (2026-12-24)",
        "13:22 rule 'r': when.account.countyr: unknown account attribute 'countyr'",
        "15:23 motion 'm': motion: expected one of no_touch, low_touch, high_touch, got 'medium_touch'",
        "15:51 motion 'm': qualified_by: expected hand_raiser, pql, mql, manual (or a list), got 'sometimes'",
    ]
    for line in expected:
        assert any(p.startswith(line) for p in found), f"{line!r} not in {found}"


def test_huge_values_are_refused_with_their_limits() -> None:
    text = TEAMS.replace("weight: 2, capacity: 3", "weight: 1e400, capacity: 99999999999999999999999")
    found = problems(text.replace("weight: 1e400", "weight: 10000.0"))
    assert any("weight: expected a weight from above 0 to 1000, got 10000.0" in p for p in found)
    assert any("capacity: expected at most 1,000,000 leads a period" in p for p in found)
    assert any(
        "expected a name of 1 to 100 characters, got 101" in p
        for p in problems(TEAMS.replace("name: rest}", f"name: {'r' * 101}}}"))
    )


def test_a_document_with_a_nul_character_is_refused_not_stored() -> None:
    found = problems(TEAMS.replace("routing: test", "routing: te\x00st"))
    assert len(found) == 1 and "not valid YAML" in found[0]


def test_norway_stays_norway_in_conditions_and_yes_no_are_not_booleans() -> None:
    loaded = plan()
    when = loaded.rules[0].match.when
    assert "NO" in when.items[0].value  # type: ignore[union-attr]


def test_the_fingerprint_ignores_comments_and_the_description_but_not_a_weight() -> None:
    base = plan().fingerprint()
    assert plan("# a comment\n" + TEAMS, description="'Routing for 2027'").fingerprint() == base
    assert plan(TEAMS.replace("weight: 2", "weight: 3")).fingerprint() != base


def test_a_broken_document_raises_one_spec_error_naming_the_routing_document() -> None:
    with pytest.raises(SpecError) as caught:
        load_routing_text("routing: x\nteams: 3\nreps: []\nrules: []\n", "t.yaml")
    assert caught.value.message.startswith("3 problems in the routing document:\nt.yaml:2:8 teams")


def test_the_week_starts_on_monday_at_midnight_in_the_documents_time_zone() -> None:
    wednesday = datetime(2026, 11, 4, 12, tzinfo=UTC).timestamp()
    week = plan().period_at(wednesday)
    assert datetime.fromtimestamp(week.start, UTC) == datetime(2026, 11, 1, 22, tzinfo=UTC)  # Mon 00:00 EET
    assert week.end - week.start == 7 * 86400
    summer = plan().period_at(datetime(2026, 3, 25, tzinfo=UTC).timestamp())  # DST starts on Sunday 29 March
    assert datetime.fromtimestamp(summer.start, UTC) == datetime(2026, 3, 22, 22, tzinfo=UTC)
    assert summer.end - summer.start == 7 * 86400 - 3600
