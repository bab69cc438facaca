"""Builders for nurture tests: the example model published, a nurture file in force, scored leads."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from liidi.services import accounts, ingest, nurture
from liidi.services.people import upsert_people
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, event, publish

NewUow = Callable[[], UnitOfWork]
DAY = 86400.0
ROOT = Path(__file__).resolve().parents[1]
MODEL = (ROOT / "examples" / "scoring.yaml").read_text(encoding="utf-8")
NURTURE = """\
model: core-services
enter: {recycled: true, not_ready: {grades: [A, B, C], min_score: 10}}
tracks:
  - name: cloud
    when: {theme: cloud}
    steps:
      - {wait: 0d, action: webhook, campaign: cloud-basics, template: cloud-guide}
      - {wait: 5d, action: email, subject: Five questions, template: cloud-questions}
      - {wait: 7d, action: task, task: Call them}
  - name: everyone
    steps:
      - {wait: 1d, action: webhook, template: digest}
"""


def ready(new_uow: NewUow, nurture_text: str = NURTURE) -> None:
    """The example model published, two accounts (a good fit and a poor one) and a nurture file in force."""
    publish(new_uow, MODEL)
    records = [
        {
            "domain": "kivikoski.fi",
            "name": "Kivikoski",
            "industry": "software",
            "country": "FI",
            "employees": 300,
        },
        {"domain": "pikku.fi", "name": "Pikku", "industry": "education", "country": "FI", "employees": 5},
    ]
    accounts.upsert_accounts(new_uow(), records=records, now=NOW - 30 * DAY)
    nurture.load_nurture(
        new_uow(), text=nurture_text, source_name="nurture.yaml", author="test", now=NOW - 30 * DAY
    )


def lead(
    new_uow: NewUow, email: str, *, topic: str = "cloud", stage: str = "early_interest", at: float = NOW
) -> int:
    """A person who read two service pages of a topic at a buying stage: scored, not qualified."""
    props = {"path": "/palvelut/pilvi", "topic": topic, "stage": stage}
    events = [
        event(id=f"{email}-{at}-{i}", email=email, ts=at - (i + 1) * 3600, properties=props) for i in range(2)
    ]
    ingest.track_events(new_uow(), events=events, now=at)
    return person_id(new_uow, email)


def person_id(new_uow: NewUow, email: str) -> int:
    from liidi.services.queries import person_id_for_email

    return person_id_for_email(new_uow(), email)


def hand_raise(new_uow: NewUow, email: str, at: float) -> None:
    """A demo request: the person qualifies at once."""
    ingest.track_events(
        new_uow(), events=[event("demo_request", id=f"{email}-demo", email=email, ts=at)], now=at
    )


def withdraw_consent(new_uow: NewUow, email: str, at: float) -> None:
    upsert_people(new_uow(), records=[{"email": email, "consent": "withdrawn"}], now=at)


def enrolments(new_uow: NewUow, pid: int) -> list[dict[str, Any]]:
    with new_uow() as uow:
        return uow.nurture.of_person(pid)


def step_messages(new_uow: NewUow) -> list[dict[str, Any]]:
    """The payloads of every nurture.step_due message in the outbox, oldest first."""
    with new_uow() as uow:
        rows = uow.outbox.pending(limit=10_000)
    return [row["payload"] for row in rows if row["topic"] == "nurture.step_due"]
