"""The pacing routes end to end: the plan, the weekly review, notes, tasks, and hostile input."""

from __future__ import annotations

from pathlib import Path

from liidi.services import playbooks
from tests.e2e.conftest import Api
from tests.integration.test_pacing import PLAN
from tests.pacing_support import NOW, NewUow, seed_weeks

ROOT = Path(__file__).resolve().parents[2]
YAML = {"Content-Type": "application/yaml"}


def test_put_and_get_the_plan_as_yaml_or_json(api: Api) -> None:
    example = (ROOT / "examples" / "plan.yaml").read_text(encoding="utf-8")
    put = api.client.put("/v1/pacing/plan", content=example, headers=api.admin | YAML)
    assert put.status_code == 200, put.text
    body = put.json()
    assert (body["label"], body["created"], body["name"]) == ("pacing@v1", True, "weekly-plan-2026")
    assert body["targets"] == {"leads": 18, "mqls": 6, "sals": 3, "meetings": 4}
    assert body["playbooks"][0]["then"]["contacts_per_day"] == 30
    again = api.client.put("/v1/pacing/plan", json={"source": example}, headers=api.admin)
    assert again.status_code == 200 and again.json()["created"] is False
    shown = api.client.get("/v1/pacing/plan", headers=api.admin).json()
    assert shown["source"] == example


def test_a_bad_plan_is_refused_with_each_problem_and_its_line(api: Api) -> None:
    bad = "pacing: p\ntargets: {leads: 99999999999999999999999, mqls: nan}\nweeks: {2026-W60: {}}\n"
    reply = api.client.put("/v1/pacing/plan", content=bad, headers=api.admin | YAML)
    assert reply.status_code == 422, reply.text
    fields = [e["field"] for e in reply.json()["error"]["errors"]]
    assert fields == ["2:18 targets.leads", "2:49 targets.mqls", "3:9 weeks.2026-W60"]
    for body in ({"source": "pacing: p\x00"}, {"source": "x", "colour": 1}, {"source": ""}):
        refused = api.client.put("/v1/pacing/plan", json=body, headers=api.admin)
        assert refused.status_code == 422, (body, refused.text)
    nested = "[" * 5000 + "]" * 5000
    deep = api.client.put("/v1/pacing/plan", content=nested, headers=api.admin | YAML)
    assert deep.status_code == 422
    assert api.client.get("/v1/pacing/plan", headers=api.admin).status_code == 404
    assert api.client.get("/v1/pacing/plan", headers=api.ingest).status_code == 403


def test_the_weekly_review_counts_each_week_with_its_note(api: Api, new_uow: NewUow) -> None:
    seed_weeks(new_uow)
    api.client.put("/v1/pacing/plan", content=PLAN, headers=api.admin | YAML)
    note = api.client.put(
        "/v1/pacing/notes/2026-W48", json={"done": "Webinar", "next": "Call"}, headers=api.admin
    )
    assert note.status_code == 200, note.text
    reply = api.client.get("/v1/pacing?weeks=2&until=2026-W48&by=channel", headers=api.admin)
    assert reply.status_code == 200, reply.text
    weeks = reply.json()["weeks"]
    assert [w["week"] for w in weeks] == ["2026-W47", "2026-W48"]
    assert weeks[1]["total"]["mqls"] == {"actual": 2, "target": 2, "share": 1.0}
    assert weeks[1]["total"]["leads"] == {"actual": 1, "target": 2, "share": 0.5}
    assert (weeks[1]["done"], weeks[1]["next"]) == ("Webinar", "Call")
    assert [g["key"] for g in weeks[0]["groups"]] == ["direct", "linkedin_ads", "organic_search"]


def test_bad_review_parameters_and_notes_are_refused_naming_the_field(api: Api) -> None:
    for query, field in [
        ("weeks=0", "weeks"),
        ("weeks=99999999999999999999999", "weeks"),
        ("by=colour", "by"),
        ("until=2026-W54", "until"),
        ("until=nan", "until"),
    ]:
        bad = api.client.get(f"/v1/pacing?{query}", headers=api.admin)
        assert bad.status_code == 422, (query, bad.text)
        assert bad.json()["error"]["errors"][0]["field"] == field, (query, bad.text)
    for week, body, field in [
        ("2026-W99", {"done": "x"}, "week"),
        ("1969-W01", {"done": "x"}, "week"),
        ("2026-W48", {"done": "a\x00b"}, "done"),
        ("2026-W48", {"done": "x" * 4001}, "done"),
        ("2026-W48", {"colour": "red"}, "colour"),
        ("2026-W48", {}, "done"),
    ]:
        bad = api.client.put(f"/v1/pacing/notes/{week}", json=body, headers=api.admin)
        assert bad.status_code == 422, (week, body, bad.text)
        assert bad.json()["error"]["errors"][0]["field"] == field, (week, body, bad.text)


def test_tasks_list_what_the_playbooks_fired(api: Api, new_uow: NewUow) -> None:
    seed_weeks(new_uow)
    api.client.put("/v1/pacing/plan", content=PLAN, headers=api.admin | YAML)
    playbooks.run(new_uow, now=NOW)
    reply = api.client.get("/v1/tasks?status=open", headers=api.admin)
    assert reply.status_code == 200, reply.text
    assert [(t["playbook"], t["period"], t["due_period"]) for t in reply.json()["items"]] == [
        ("baseline-short", "2026-W48", "2026-W49")
    ]
    assert api.client.get("/v1/tasks?status=lost", headers=api.admin).status_code == 422
    assert api.client.get("/v1/tasks?limit=0", headers=api.admin).status_code == 422
