"""The nurture routes over real HTTP: put a file in force, read its tracks, the report, a person's nurture,
and hostile bodies answered with 4xx JSON naming what is wrong."""

from __future__ import annotations

from liidi.services import nurture
from tests.builders import NOW
from tests.e2e.conftest import Api
from tests.nurture_support import NURTURE, ROOT, NewUow, lead, ready

YAML = {"Content-Type": "application/yaml"}


def test_a_file_is_put_in_force_once_and_its_tracks_are_read_back(api: Api, new_uow: NewUow) -> None:
    ready(new_uow)
    text = (ROOT / "examples" / "nurture.yaml").read_text(encoding="utf-8")
    first = api.client.put(
        "/v1/nurture", json={"source": text, "author": "maija@firma.fi"}, headers=api.admin
    )
    assert first.status_code == 200, first.text
    body = first.json()
    assert (body["label"], body["created"], body["model"], len(body["tracks"])) == (
        "nurture@v2",
        True,
        "core-services",
        8,
    )
    assert body["entry"] == {
        "recycled": True,
        "not_ready": True,
        "grades": ["A", "B", "C"],
        "min_score": 10.0,
    }
    again = api.client.put("/v1/nurture", content=text.encode(), headers=api.admin | YAML)
    assert (again.status_code, again.json()["created"], again.json()["version"]) == (200, False, 2)
    tracks = api.client.get("/v1/nurture/tracks", headers=api.admin).json()
    cloud = tracks["tracks"][0]
    assert (cloud["name"], cloud["themes"], cloud["stages"]) == (
        "cloud-explore",
        ["cloud"],
        ["early_interest", "need_recognised"],
    )
    assert cloud["steps"][1] == {
        "wait_days": 5,
        "action": "email",
        "template": "cloud-questions",
        "campaign": None,
        "subject": "Five questions before moving to the cloud",
        "task": None,
    }
    assert tracks["source"] is None
    assert api.client.get("/v1/nurture", headers=api.admin).json()["source"] == text


def test_a_bad_file_answers_422_with_every_problem_at_its_line(api: Api, new_uow: NewUow) -> None:
    ready(new_uow)
    bad = NURTURE.replace("wait: 5d", "wait: 100000d").replace("action: task", "action: fax")
    reply = api.client.put("/v1/nurture", json={"source": bad, "source_name": "n.yaml"}, headers=api.admin)
    assert reply.status_code == 422
    error = reply.json()["error"]
    assert error["code"] == "spec_error" and error["message"].startswith("2 problems in the nurture file:")
    assert [(e["line"], e["column"], e["rule"]) for e in error["errors"]] == [
        (8, 16, "track 'cloud'"),
        (9, 28, "track 'cloud'"),
    ]
    assert "expected at most 365d, got 100000d" in error["errors"][0]["reason"]
    assert api.client.get("/v1/nurture", headers=api.admin).json()["version"] == 1  # nothing stored


def test_hostile_bodies_are_refused_naming_the_field_value_and_reason(api: Api, new_uow: NewUow) -> None:
    ready(new_uow)
    cases = [
        ({"json": {"source": "model: m\u0000"}}, "source"),
        ({"json": {"source": NURTURE, "extra": 1}}, "extra"),
        ({"json": {"source": ""}}, "source"),
        ({"json": {"source": NURTURE, "author": "x" * 300}}, "author"),
        ({"content": b"model: m\x00\n", "headers": YAML}, "body"),
        ({"content": b"model: \xff\xfe\n", "headers": YAML}, "body"),
        ({"content": b"   \n", "headers": YAML}, "body"),
        ({"content": b"{not json", "headers": {"Content-Type": "application/json"}}, "body"),
        ({"content": b"<xml/>", "headers": {"Content-Type": "application/xml"}}, "content-type"),
    ]
    for kwargs, field in cases:
        headers = api.admin | kwargs.pop("headers", {})
        reply = api.client.put("/v1/nurture", headers=headers, **kwargs)
        assert reply.status_code == 422, (field, reply.text)
        assert reply.json()["error"]["errors"][0]["field"] == field, reply.text
    huge = api.client.put("/v1/nurture", content=b"# " + b"x" * 300_000, headers=api.admin | YAML)
    assert huge.status_code == 413
    assert api.client.get("/v1/nurture", headers=api.admin).json()["version"] == 1


def test_the_routes_need_an_admin_key(api: Api) -> None:
    assert api.client.get("/v1/nurture/tracks").status_code == 401
    assert api.client.get("/v1/nurture/report", headers=api.ingest).status_code == 403
    assert api.client.put("/v1/nurture", json={"source": NURTURE}, headers=api.ingest).status_code == 403


def test_before_a_file_is_loaded_the_tracks_and_report_are_404(api: Api) -> None:
    for path in ("/v1/nurture", "/v1/nurture/tracks", "/v1/nurture/report"):
        reply = api.client.get(path, headers=api.admin)
        assert reply.status_code == 404 and "liidi nurture load FILE" in reply.json()["error"]["message"]


def test_the_report_and_a_persons_nurture_over_http(api: Api, new_uow: NewUow) -> None:
    ready(new_uow)
    pid = lead(new_uow, "anna@kivikoski.fi")
    nurture.tick(new_uow, NOW)
    report = api.client.get("/v1/nurture/report", headers=api.admin).json()
    assert (report["model"], report["document"]) == ("core-services", "nurture@v1")
    assert [(r["track"], r["enrolled"], r["active"]) for r in report["items"]] == [
        ("cloud", 1, 1),
        ("everyone", 0, 0),
        ("all tracks", 1, 1),
    ]
    empty = api.client.get("/v1/nurture/report", params={"since": NOW + 1}, headers=api.admin).json()
    assert empty["since"] == NOW + 1 and empty["items"][-1]["enrolled"] == 0
    bad = api.client.get("/v1/nurture/report", params={"until": "soon"}, headers=api.admin)
    assert bad.status_code == 422 and bad.json()["error"]["errors"][0]["field"] == "until"
    backwards = api.client.get(
        "/v1/nurture/report", params={"since": NOW, "until": NOW - 1}, headers=api.admin
    )
    assert backwards.status_code == 422
    person = api.client.get(f"/v1/people/{pid}", headers=api.admin).json()
    (enrolment,) = person["nurture"]
    assert enrolment | {"next_due_ts": 0} == {
        "model": "core-services",
        "track": "cloud",
        "status": "active",
        "entry": "not_ready",
        "steps_done": 1,
        "steps": 3,
        "enrolled_ts": NOW,
        "next_due_ts": 0,
        "exit_reason": None,
        "ended_ts": None,
    }
    assert enrolment["next_due_ts"] == NOW + 5 * 86400
