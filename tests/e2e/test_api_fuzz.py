"""Schemathesis fuzzes every route with an admin and an ingest key: no 5xx, every reply as documented.

The run is bounded (MAX_EXAMPLES per operation and phase, a fixed seed) and uses every check
Schemathesis has; a route that raises or answers a 5xx fails it (checked by breaking a route once).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis.config import HealthCheck
from schemathesis.config._checks import (
    NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES,
    POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES,
    NegativeDataRejectionConfig,
    PositiveDataAcceptanceConfig,
)
from schemathesis.engine import Status, StopReason, events
from schemathesis.engine.recorder import ScenarioRecorder

from tests.e2e.conftest import Api

MAX_EXAMPLES = 15


@dataclass
class Findings:
    """What a run found: each distinct problem with a count and one example, and what was exercised."""

    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    operations: set[str] = field(default_factory=set)
    cases: int = 0
    stop_reason: StopReason | None = None

    def add(self, key: str, example: str = "") -> None:
        self.counts[key] += 1
        self.examples.setdefault(key, example)

    def record(self, recorder: ScenarioRecorder) -> None:
        """Every failed check of a finished scenario."""
        self.operations.add(recorder.label)
        self.cases += len(recorder.cases)
        for checks in recorder.checks.values():
            for check in checks:
                if check.status == Status.FAILURE and check.failure_info:
                    failure = check.failure_info.failure
                    first_line = (failure.message.splitlines() or [""])[0]
                    example = f"{failure.message}\n{check.failure_info.code_sample}"
                    self.add(f"{recorder.label}: {failure.title}: {first_line}", example)

    def report(self) -> str:
        return "\n".join(f"{n} × {key}\n    {self.examples[key]}" for key, n in self.counts.most_common())


def configured(app: FastAPI, headers: dict[str, str]) -> schemathesis.BaseSchema:
    """The app's schema, set up for a bounded, repeatable run with every check and both kinds of data."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.update(headers=headers, suppress_health_check=list(HealthCheck), continue_on_failure=True)
    schema.config.generation.update(max_examples=MAX_EXAMPLES, modes=["positive", "negative"])
    schema.config.seed = 20261205
    # Schema-valid data may still be refused with a 422 where the server checks what a JSON schema cannot
    # state: a scoring model's YAML, an e-mail's domain, an event naming nobody, a merge into oneself.
    schema.config.checks.positive_data_acceptance = PositiveDataAcceptanceConfig(
        expected_statuses=[*POSITIVE_DATA_ACCEPTANCE_EXPECTED_STATUSES, "422"]
    )
    # A body over the size limit (a batch past maxItems is one) is refused with 413 before it is parsed.
    schema.config.checks.negative_data_rejection = NegativeDataRejectionConfig(
        expected_statuses=[*NEGATIVE_DATA_REJECTION_EXPECTED_STATUSES, "413"]
    )
    return schema


def fuzz(app: FastAPI, headers: dict[str, str]) -> Findings:
    """Run Schemathesis (examples, coverage, fuzzing and stateful phases) over the app in process."""
    found = Findings()
    for event in schemathesis.engine.from_schema(configured(app, headers)).execute():
        if isinstance(event, events.ScenarioFinished):
            found.record(event.recorder)
        elif isinstance(event, events.NonFatalError):
            found.add(f"{event.label}: raised {type(event.value).__name__}: {str(event.value)[:300]}")
        elif isinstance(event, events.FatalError):
            found.add(f"engine stopped: {type(event.exception).__name__}: {event.exception}")
        elif isinstance(event, events.EngineFinished):
            found.stop_reason = event.stop_reason
    return found


@pytest.mark.parametrize("scope", ["admin", "ingest"])
def test_no_route_answers_a_server_error_or_a_reply_its_schema_does_not_document(
    api: Api, scope: str
) -> None:
    found = fuzz(api.client.app, api.admin if scope == "admin" else api.ingest)
    assert not found.counts, found.report()
    assert found.stop_reason == StopReason.COMPLETED
    paths = api.client.get("/openapi.json").json()["paths"]
    every = {f"{method.upper()} {path}" for path, methods in paths.items() for method in methods}
    assert every <= found.operations
    assert found.cases > 20 * len(every)
