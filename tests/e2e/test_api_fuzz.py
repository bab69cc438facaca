"""Schemathesis fuzzes every route with an admin and an ingest key: no 5xx, every reply as documented."""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.config import HealthCheck
from schemathesis.config._checks import (
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
    PositiveDataAcceptanceConfig,
)
from schemathesis.engine import Status, events

from tests.e2e.conftest import Api

MAX_EXAMPLES = 15


def fuzz(app: FastAPI, headers: dict[str, str]) -> tuple[dict[str, str], Counter[str], int]:
    """Failed checks of a Schemathesis run over the app: one example and a count each, and cases run."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.update(headers=headers, suppress_health_check=list(HealthCheck), continue_on_failure=True)
    schema.config.generation.update(max_examples=MAX_EXAMPLES, modes=["positive", "negative"])
    schema.config.seed = 20261205
    # Schema-valid data may still be refused with a 422 where the server checks what a JSON schema cannot
    # state: a scoring model's YAML, an event naming nobody, a merge of a person into themself.
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=[*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
    )
    examples: dict[str, str] = {}
    counts: Counter[str] = Counter()
    cases = 0
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            cases += len(event.recorder.cases)
            for checks in event.recorder.checks.values():
                for check in checks:
                    if check.status == Status.FAILURE and check.failure_info:
                        failure = check.failure_info.failure
                        first_line = (failure.message.splitlines() or [""])[0]
                        key = f"{event.recorder.label}: {failure.title}: {first_line}"
                        counts[key] += 1
                        examples.setdefault(key, f"{failure.message}\n{check.failure_info.code_sample}")
        elif isinstance(event, events.NonFatalError | events.FatalError):
            counts[f"{event.label}: {type(event.value).__name__}: {str(event.value)[:300]}"] += 1
    return examples, counts, cases


@pytest.mark.parametrize("scope", ["admin", "ingest"])
def test_no_route_answers_a_server_error_or_a_reply_its_schema_does_not_document(
    api: Api, scope: str
) -> None:
    examples, counts, cases = fuzz(api.client.app, api.admin if scope == "admin" else api.ingest)
    report = "\n".join(f"{n} × {key}\n    {examples.get(key, '')}" for key, n in counts.most_common())
    assert not counts, report
    assert cases > 100
