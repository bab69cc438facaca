"""The planning routes over HTTP: the seed's plan, measured rates, stored plans with actuals, refusals."""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e.conftest import Api
from tests.planning_support import NewUow, load_history

SEED = {
    "revenue": 50000,
    "deal_size": "10000",
    "win_rate": "20%",
    "meeting_to_proposal": "1/3",
    "contact_to_meeting": 0.2,
    "period": "2026-12",
}


def refused(reply: Any, field: str) -> dict[str, Any]:
    """A 422 in the one error body, naming the field."""
    assert reply.status_code == 422, reply.text
    error: dict[str, Any] = reply.json()["error"]
    assert field in [e["field"] for e in error["errors"]], error
    return error


def test_the_seed_plan_comes_out_exactly_over_http(api: Api) -> None:
    reply = api.client.post("/v1/plans", json=SEED, headers=api.admin)
    assert reply.status_code == 200, reply.text
    data = reply.json()
    assert [data[s] for s in ("contacts", "meetings", "proposals", "deals")] == [375, 75, 25, 5]
    assert data["sentence"].startswith("To reach €50,000 in 2026-12 you need 375 contacts")
    assert data["saved"] is False and data["stages"]["meetings"] == "people moved to sal or sql"


def test_twenty_deals_of_30000_euros_make_600000_from_60_proposals(api: Api) -> None:
    body = {"deals": 20, "deal_size": 30000, "win_rate": "1/3", "meeting_to_proposal": 0.5}
    reply = api.client.post("/v1/plans", json=body | {"contact_to_meeting": "1 in 4"}, headers=api.admin)
    data = reply.json()
    assert (data["revenue"], data["proposals"], data["meetings"], data["contacts"]) == (600000, 60, 120, 480)


def test_left_out_rates_are_measured_and_a_saved_plan_is_shown_with_actuals(
    api: Api, new_uow: NewUow
) -> None:
    load_history(new_uow)
    body = {"revenue": "60000", "period": "2026-03", "save": True, "author": "cmo@firma.fi"}
    data = api.client.post("/v1/plans", json=body, headers=api.admin).json()
    assert data["rates"]["win_rate"] | {"value": None} == {
        "value": None,
        "fraction": "2/3",
        "percent": "66.7%",
        "source": "measured",
        "successes": 2,
        "trials": 3,
        "ci_low": 0.2077,
        "ci_high": 0.9385,
    }
    assert data["lags_days"] == {
        "contact_to_meeting": 5.0,
        "meeting_to_proposal": 15.0,
        "proposal_to_deal": 25.0,
    }
    assert data["saved"] is True and data["replaced"] is False
    listed = api.client.get("/v1/plans", headers=api.admin).json()["plans"]
    assert [(p["period"], p["author"], p["contacts"]) for p in listed] == [("2026-03", "cmo@firma.fi", 25)]
    shown = api.client.get("/v1/plans/2026-03", headers=api.admin).json()
    deals = next(s for s in shown["progress"]["stages"] if s["stage"] == "deals")
    assert (deals["planned"], deals["actual"], deals["status"]) == (3, 2, "missed")


def test_a_window_given_in_the_body_bounds_the_measures(api: Api, new_uow: NewUow) -> None:
    load_history(new_uow)
    body = {"revenue": 60000, "since": "2026-02-06", "until": "2026-12-01"}
    error = refused(api.client.post("/v1/plans", json=body, headers=api.admin), "contact_to_meeting")
    assert "--contact-to-meeting" in error["message"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"win_rate": 0}, "win_rate"),
        ({"win_rate": "101%"}, "win_rate"),
        ({"win_rate": "abc"}, "win_rate"),
        ({"meeting_to_proposal": "1/0"}, "meeting_to_proposal"),
        ({"contact_to_meeting": 99999999999999999999999}, "contact_to_meeting"),
        ({"contact_to_meeting": [0.2]}, "contact_to_meeting"),
        ({"revenue": 99999999999999999999999}, "revenue"),
        ({"revenue": -5}, "revenue"),
        ({"revenue": True}, "revenue"),
        ({"revenue": "5\u0000"}, "revenue"),
        ({"deal_size": {"a": {"b": 1}}}, "deal_size"),
        ({"deals": 3}, "deals"),
        ({"period": "2026-13"}, "period"),
        ({"period": "x" * 40}, "period"),
        ({"since": "yesterday"}, "since"),
        ({"until": 1e308}, "until"),
        ({"save": "yes"}, "save"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_nothing_is_stored(
    api: Api, change: dict[str, Any], field: str
) -> None:
    refused(
        api.client.post(
            "/v1/plans", json=SEED | change | {"save": change.get("save", True)}, headers=api.admin
        ),
        field,
    )
    assert api.client.get("/v1/plans", headers=api.admin).json()["plans"] == []


def test_nan_and_infinity_are_refused(api: Api) -> None:
    body = '{"revenue": NaN, "deal_size": Infinity}'
    headers = api.admin | {"Content-Type": "application/json"}
    reply = api.client.post("/v1/plans", content=body, headers=headers)
    assert reply.status_code == 422, reply.text


def test_an_unknown_period_is_404_and_a_malformed_one_422(api: Api) -> None:
    assert api.client.get("/v1/plans/2026-12", headers=api.admin).status_code == 404
    refused(api.client.get("/v1/plans/next-month", headers=api.admin), "period")


def test_the_planning_routes_need_an_admin_key(api: Api) -> None:
    assert api.client.post("/v1/plans", json=SEED).status_code == 401
    assert api.client.post("/v1/plans", json=SEED, headers=api.ingest).status_code == 403
    assert api.client.get("/v1/plans", headers=api.ingest).status_code == 403
