"""Scoring model versions over HTTP: add drafts, every problem as 422, publish, read, diff, admin only."""

from __future__ import annotations

from tests.e2e.conftest import Api


def model_text(visit: float = 3, grade_c: float = 20) -> str:
    return f"""model: core
grades: {{A: 60, B: 40, C: {grade_c}}}
fit:
  - {{name: decision maker, when: {{person.role: decision_maker}}, points: 30}}
engagement:
  - {{name: visit, when: {{event: page_view}}, points: {visit}, decay: {{half_life: 14d}}}}
"""


def add(api: Api, text: str) -> dict[str, object]:
    reply = api.client.post("/v1/models", json={"source": text, "author": "maija"}, headers=api.admin)
    assert reply.status_code == 200, reply.text
    body: dict[str, object] = reply.json()
    return body


def test_models_need_an_admin_key(api: Api) -> None:
    assert api.client.get("/v1/models").status_code == 401
    assert api.client.get("/v1/models", headers=api.ingest).status_code == 403
    reply = api.client.post("/v1/models", json={"source": model_text()}, headers=api.ingest)
    assert reply.status_code == 403


def test_drafts_get_increasing_versions_and_are_listed_newest_first(api: Api) -> None:
    first, second = add(api, model_text(visit=3)), add(api, model_text(visit=5))
    assert (first["label"], first["status"], second["label"]) == ("core@v1", "draft", "core@v2")
    items = api.client.get("/v1/models", headers=api.admin).json()["items"]
    assert [(i["version"], i["status"], i["author"]) for i in items] == [
        (2, "draft", "maija"),
        (1, "draft", "maija"),
    ]
    assert "source" not in items[0]


def test_a_bad_model_is_422_listing_every_issue_with_line_and_column(api: Api) -> None:
    text = model_text().replace("half_life", "halflife") + "colour: blue\n"
    body = {"source": text, "source_name": "core.yaml"}
    reply = api.client.post("/v1/models", json=body, headers=api.admin)
    assert reply.status_code == 422
    error = reply.json()["error"]
    assert error["code"] == "spec_error"
    places = [(e["source"], e["line"], e["column"]) for e in error["errors"]]
    assert places == [("core.yaml", 6, 64), ("core.yaml", 7, 1)]
    assert "colour" in error["errors"][1]["reason"]
    assert api.client.get("/v1/models", headers=api.admin).json()["items"] == []


def test_a_version_is_read_back_with_its_source(api: Api) -> None:
    add(api, model_text())
    reply = api.client.get("/v1/models/core/versions/1", headers=api.admin)
    assert reply.status_code == 200 and reply.json()["source"] == model_text()
    assert api.client.get("/v1/models/core/versions/9", headers=api.admin).status_code == 404


def test_publishing_retires_the_previous_version(api: Api) -> None:
    add(api, model_text(visit=3))
    add(api, model_text(visit=5))
    first = api.client.post("/v1/models/core/versions/1/publish", headers=api.admin)
    assert first.status_code == 200 and first.json()["previous_version"] is None
    second = api.client.post(
        "/v1/models/core/versions/2/publish", json={"author": "lead@firma.fi"}, headers=api.admin
    ).json()
    assert (second["label"], second["previous_version"], second["rescored"]) == ("core@v2", 1, 0)
    items = api.client.get("/v1/models?name=core", headers=api.admin).json()["items"]
    assert [(i["version"], i["status"]) for i in items] == [(2, "published"), (1, "retired")]


def test_publishing_an_unknown_version_is_404(api: Api) -> None:
    add(api, model_text())
    reply = api.client.post("/v1/models/core/versions/3/publish", headers=api.admin)
    assert reply.status_code == 404 and reply.json()["error"]["code"] == "not_found"
    assert api.client.post("/v1/models/nope/versions/1/publish", headers=api.admin).status_code == 404


def test_diff_lists_the_changed_points(api: Api) -> None:
    add(api, model_text(visit=3))
    add(api, model_text(visit=5, grade_c=25))
    reply = api.client.get("/v1/models/core/diff?a=1&b=2", headers=api.admin)
    assert reply.json()["changes"] == ["grade C threshold 20 → 25", "engagement rule 'visit': points 3 → 5"]
    assert api.client.get("/v1/models/core/diff?a=1&b=4", headers=api.admin).status_code == 404
