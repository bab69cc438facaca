"""Domain messages: each kind survives the trip through its outbox payload; bad payloads are named."""

from __future__ import annotations

import json

import pytest

from liidi.domain.messages import (
    KINDS,
    DealClosed,
    LeadAccepted,
    LeadAssigned,
    LeadConverted,
    LeadRejected,
    LeadReturned,
    LeadStageChanged,
    Message,
    ModelPublished,
    NurtureStepDue,
    PersonCreated,
    PersonMerged,
    PlaybookTriggered,
    SlaBreached,
    SlaEscalated,
    SlaWarning,
    message_from,
)
from liidi.errors import ValidationFailed

EXAMPLES: list[Message] = [
    PersonCreated(person_id=1, email="anna@kivikoski.fi"),
    PersonMerged(survivor_id=1, merged_id=2),
    LeadStageChanged(
        person_id=1,
        from_stage="lead",
        to_stage="mql",
        actor="scoring",
        reason=None,
        qualified_by="mql",
        model_version="web@v1",
        occurred_ts=1_700_000_000.5,
    ),
    ModelPublished(name="web", version=2, previous_version=1, author="ops@firma.fi"),
    LeadAssigned(
        person_id=1,
        owner="mikko@firma.fi",
        team="nordics",
        rule="affinity",
        reason="affinity: owner of kivikoski.fi",
        motion="high_touch",
        actor="routing",
        context={"person": {"id": 1, "name": "Anna Kivikoski"}, "why": ["+20 pricing page"]},
    ),
    LeadAccepted(person_id=1, from_stage="mql", actor="rep@firma.fi", occurred_ts=1_700_000_000.0),
    LeadRejected(
        person_id=1,
        from_stage="mql",
        to_stage="disqualified",
        reason="student",
        actor="rep@firma.fi",
        occurred_ts=1_700_000_000.0,
    ),
    LeadReturned(
        person_id=1, from_stage="sql", reason="timing", actor="rep@firma.fi", occurred_ts=1_700_000_000.0
    ),
    LeadConverted(
        person_id=1,
        from_stage="sal",
        to_stage="opportunity",
        deal_id=7,
        amount=12000.0,
        currency="EUR",
        actor="rep@firma.fi",
        occurred_ts=1_700_000_000.0,
    ),
    DealClosed(
        deal_id=7,
        person_id=1,
        outcome="won",
        amount=12500.0,
        currency="EUR",
        reason=None,
        to_stage="customer",
        actor="rep@firma.fi",
        occurred_ts=1_700_000_000.0,
    ),
    NurtureStepDue(
        key="nurture:7:2",
        enrolment_id=7,
        person_id=1,
        email="anna@kivikoski.fi",
        name="Anna Kivikoski",
        model="web",
        track="cloud-explore",
        step=2,
        steps=4,
        action="email",
        template="cloud-questions",
        campaign=None,
        subject="Five questions before moving to the cloud",
        task=None,
        owner="rep@firma.fi",
        themes=["cloud", "cost"],
        buying_stage="need_recognised",
        due_ts=1_700_000_000.0,
        occurred_ts=1_700_000_060.0,
    ),
    SlaWarning(
        key="sla:3:warning",
        clock_id=3,
        person_id=1,
        owner="rep@firma.fi",
        team="nordics",
        policy="hand-raiser",
        started_ts=1_700_000_000.0,
        due_ts=1_700_000_900.0,
        occurred_ts=1_700_000_600.0,
    ),
    SlaBreached(
        key="sla:3:breached",
        clock_id=3,
        person_id=1,
        owner="rep@firma.fi",
        team=None,
        policy="hand-raiser",
        started_ts=1_700_000_000.0,
        due_ts=1_700_000_900.0,
        occurred_ts=1_700_000_900.0,
    ),
    SlaEscalated(
        key="sla:3:step:2",
        clock_id=3,
        person_id=1,
        owner="rep@firma.fi",
        team="nordics",
        policy="hand-raiser",
        step=2,
        steps=3,
        action="notify_team_lead",
        to="lead@firma.fi",
        due_ts=1_700_000_900.0,
        occurred_ts=1_700_001_800.0,
    ),
    PlaybookTriggered(
        key="playbook:outbound-boost:2026-W48",
        task_id=4,
        playbook="outbound-boost",
        period="2026-W48",
        runs_in="2026-W49",
        metric="mqls",
        actual=3,
        below=5,
        where={"channel": ["organic_search", "email"]},
        action="start_outbound",
        title="Start outbound at 30 contacts/day in 2026-W49",
        contacts_per_day=30,
        meetings=None,
        owner="lead@firma.fi",
        note=None,
        plan_version=2,
        occurred_ts=1_796_212_800.0,
    ),
]


@pytest.mark.parametrize("message", EXAMPLES, ids=lambda m: m.topic)
def test_a_message_reads_back_from_its_json_payload(message: Message) -> None:
    stored = json.loads(json.dumps(message.payload()))
    assert message_from(message.topic, stored) == message


def test_every_topic_has_an_example_and_topics_are_past_tense_facts() -> None:
    assert {m.topic for m in EXAMPLES} == set(KINDS)
    assert all(
        type(m).__name__.endswith(
            (
                "Created",
                "Merged",
                "Changed",
                "Published",
                "Assigned",
                "Accepted",
                "Rejected",
                "Returned",
                "Converted",
                "Closed",
                "Due",
                "Warning",
                "Breached",
                "Escalated",
                "Triggered",
            )
        )
        for m in EXAMPLES
    )


def test_a_stage_change_keeps_the_from_and_to_keys_subscribers_read() -> None:
    payload = EXAMPLES[2].payload()
    assert (payload["from"], payload["to"]) == ("lead", "mql") and "from_stage" not in payload


def test_an_unknown_topic_is_refused_by_name() -> None:
    with pytest.raises(ValidationFailed) as refused:
        message_from("lead.vanished", {})
    assert refused.value.errors[0].field == "topic" and "lead.stage_changed" in refused.value.errors[0].reason


def test_a_payload_missing_a_field_or_with_an_unknown_one_is_refused_naming_it() -> None:
    with pytest.raises(ValidationFailed) as missing:
        message_from("lead.stage_changed", {"person_id": 1})
    assert {e.field for e in missing.value.errors} >= {"from", "to", "actor"}
    with pytest.raises(ValidationFailed) as extra:
        message_from("person.merged", {"survivor_id": 1, "merged_id": 2, "extra": 3})
    assert [e.field for e in extra.value.errors] == ["extra"]
