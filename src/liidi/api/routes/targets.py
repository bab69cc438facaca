"""Target accounts and the reports of where value is made and lost (admin key).

PUT/GET /v1/targets/icp, POST /v1/targets/most-wanted; GET /v1/reports/waste, /targets and /value, each
as JSON or, with `?format=csv`, as the rows of its table.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field, ValidationError
from starlette.concurrency import run_in_threadpool

from liidi.api.deps import AdminKey, KeyedRoute, Uow
from liidi.api.documents import document_fields, load_from_request, request_body
from liidi.api.replies import Reply
from liidi.api.responses import WRITE
from liidi.api.routes.reports import Moment, moment_param
from liidi.api.schemas import Strict
from liidi.domain.bounds import MAX_INT64
from liidi.domain.most_wanted import MAX_ROWS, parse_csv
from liidi.errors import FieldError, ValidationFailed
from liidi.presentation.reports import csv_text, targets_rows, value_rows, waste_rows
from liidi.services import targets, waste_report
from liidi.services.targets import LoadedIcp

router = APIRouter(prefix="/v1", responses=WRITE, route_class=KeyedRoute)
CSV = {200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "JSON, or CSV rows."}}


class Format(StrEnum):
    """How a report is sent."""

    JSON = "json"
    CSV = "csv"


FormatParam = Annotated[Format, Query(description="json (default) or csv: the rows of the report's table.")]


class IcpOut(Reply):
    """The ICP in force: version, who loaded it, which accounts fit and the buying-group roles wanted."""

    version: int
    label: str
    fingerprint: str
    author: str
    created_ts: float
    created: bool = Field(..., description="True when this request stored a new version.")
    icp: str
    window_days: int
    industries: list[str]
    countries: list[str]
    sizes: list[str]
    revenue_bands: list[str]
    roles: list[dict[str, Any]]
    source: str | None = None


class TargetIn(Strict):
    """One account of the Most Wanted list, by domain or id; tier most_wanted when left out."""

    domain: str | None = Field(None, max_length=253)
    account_id: int | None = Field(None, ge=1, le=MAX_INT64)
    tier: str | None = Field(None, max_length=20, description="most_wanted, tier_2 or tier_3.")


class MostWantedIn(Strict):
    """The Most Wanted list (or send it as text/csv with a header: domain, account_id, tier)."""

    accounts: list[TargetIn] = Field(..., min_length=1, max_length=MAX_ROWS)
    replace: bool = Field(False, description="Take accounts not listed off the list (tier none).")


class ListImportOut(Reply):
    """What the import did."""

    listed: int
    created: int
    changed: int
    removed: int


class WasteOut(Reply):
    """The waste of a period: measures, losses by stage and reason, and the won value per lead."""

    since: float
    until: float
    now: float
    handed_over: int
    won_value: float
    value_per_lead: float | None
    measures: list[dict[str, Any]]
    lost_by_stage_and_reason: list[dict[str, Any]]


class TargetsOut(Reply):
    """Coverage of the target accounts in the ICP's window, and newly reached decision makers per month."""

    as_of: float
    window_days: int
    icp: str
    roles_wanted: list[str]
    target_accounts: int
    fully_covered: int
    accounts: list[dict[str, Any]]
    new_decision_makers_by_month: list[dict[str, Any]]


class ValueOut(Reply):
    """Marketing's value in a period: decision makers, conversations and pipeline influenced."""

    since: float
    until: float
    lookback_days: int
    decision_makers_reached: int
    decision_makers_engaged: int
    new_decision_makers: int
    conversations: int
    pipeline_influenced_deals: int
    pipeline_influenced_value: float
    by_month: list[dict[str, Any]]


BODY = request_body("The ICP's YAML, as in examples/icp.yaml.")


@router.put("/targets/icp", response_model=IcpOut, openapi_extra=BODY, tags=["targets"])
async def put_icp(request: Request, uow: Uow, _key: AdminKey) -> JSONResponse:
    """Check an ICP document and put it in force; 422 lists every problem with its line and column."""
    loaded = await load_from_request(request, uow, targets.load_icp)
    return JSONResponse(_icp_out(loaded))


@router.get("/targets/icp", response_model=IcpOut, tags=["targets"])
def get_icp(uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """The ICP in force with its YAML; 404 when none was loaded."""
    return _icp_out(targets.show_icp(uow), source=True)


def _icp_out(loaded: LoadedIcp, source: bool = False) -> dict[str, Any]:
    doc = loaded.document
    return document_fields(doc, loaded.created, source) | {
        **loaded.icp.as_dict(),
    }


MOST_WANTED_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": MostWantedIn.model_json_schema()},
            "text/csv": {"schema": {"type": "string", "description": "domain,account_id,tier"}},
        },
    }
}


@router.post(
    "/targets/most-wanted", response_model=ListImportOut, openapi_extra=MOST_WANTED_BODY, tags=["targets"]
)
async def post_most_wanted(
    request: Request,
    uow: Uow,
    _key: AdminKey,
    replace: Annotated[
        bool, Query(description="With a CSV body: take accounts not listed off the list.")
    ] = False,
) -> JSONResponse:
    """Set the tier of each listed account (an unknown domain becomes a new account); all rows or none."""
    rows, replace = _most_wanted_body(request.headers.get("content-type", ""), await request.body(), replace)
    done = await run_in_threadpool(lambda: targets.import_most_wanted(uow, rows=rows, replace=replace))
    return JSONResponse(done.as_dict())


def _most_wanted_body(content_type: str, raw: bytes, replace: bool) -> tuple[list[dict[str, Any]], bool]:
    kind = content_type.split(";")[0].strip().lower()
    if kind == "text/csv":
        try:
            return parse_csv(raw.decode("utf-8")), replace
        except UnicodeDecodeError as error:
            raise _refused("body", None, f"the CSV is not UTF-8 text (byte {error.start})") from None
    if kind != "application/json":
        raise _refused("content-type", kind, "send application/json or text/csv")
    try:
        body = MostWantedIn.model_validate(json.loads(raw))
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(p) for p in first["loc"]) or "body"
        value = first.get("input")
        shown = value if isinstance(value, int | float | None) else str(value)[:80]
        raise _refused(field, shown, first["msg"]) from None
    except (ValueError, RecursionError) as error:
        raise _refused("body", None, f"not valid JSON: {str(error)[:200]}") from None
    rows = [row.model_dump(exclude_none=True) for row in body.accounts]
    return rows, body.replace or replace


def _refused(field: str, value: Any, reason: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, value, reason)], f"request refused: {field}: {reason}")


def _reply(data: dict[str, Any], rows: list[dict[str, Any]], format: Format) -> Any:
    """The report as JSON, or its table's rows as CSV."""
    if format is Format.CSV:
        return Response(csv_text(rows), media_type="text/csv; charset=utf-8")
    return data


@router.get("/reports/waste", response_model=WasteOut, responses=CSV, tags=["reports"])
def get_waste(
    uow: Uow, _key: AdminKey, since: Moment = None, until: Moment = None, format: FormatParam = Format.JSON
) -> Any:
    """Leads never worked, closed without a reason, SLA misses, recycle loops, duplicates and losses by
    stage and reason in [since, until), with the value they carry (docs/analytics.md "Waste")."""
    report = waste_report.waste(uow, since=moment_param(since, "since"), until=moment_param(until, "until"))
    data = report.as_dict()
    return _reply(data, waste_rows(data), format)


@router.get("/reports/targets", response_model=TargetsOut, responses=CSV, tags=["reports"])
def get_targets(
    uow: Uow,
    _key: AdminKey,
    as_of: Moment = None,
    months: Annotated[int, Query(ge=1, le=120, description="Months of newly reached decision makers.")] = 12,
    format: FormatParam = Format.JSON,
) -> Any:
    """Per target account, the ICP's buying-group roles reached and engaged in its rolling window up to
    as_of (default now), and newly reached decision makers per month; 404 when no ICP is loaded."""
    data = targets.report(uow, as_of=moment_param(as_of, "as_of"), months=months).as_dict()
    return _reply(data, targets_rows(data), format)


@router.get("/reports/value", response_model=ValueOut, responses=CSV, tags=["reports"])
def get_value(
    uow: Uow,
    _key: AdminKey,
    since: Moment = None,
    until: Moment = None,
    lookback_days: Annotated[int, Query(ge=1, le=3660, description="Days of influence before a deal.")] = 180,
    format: FormatParam = Format.JSON,
) -> Any:
    """Decision makers reached and engaged, conversations held, pipeline influenced and marketing-sourced
    in [since, until) (docs/analytics.md "Marketing value")."""
    report = waste_report.value(
        uow,
        since=moment_param(since, "since"),
        until=moment_param(until, "until"),
        lookback_days=lookback_days,
    )
    data = report.as_dict()
    return _reply(data, value_rows(data), format)
