"""Properties of the reference evaluator that must hold for any history (Hypothesis)."""

from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from scoring_support import T0, account, person

from liidi.domain.events import Event
from liidi.domain.scoring import ScoreCard, ScoringModel, load_model_file, load_model_text, score

EXAMPLE = load_model_file(Path(__file__).resolve().parents[3] / "examples" / "scoring.yaml")
HOURS = 24 * 45
AS_OF = T0 + HOURS * 3600
TYPES = ["page_view", "download", "email_click", "ad_click", "email_open", "event_attended", "product_usage"]
PATHS = ["/palvelut/pilvi/", "/palvelut/tietoturva/x", "/blogi/a", "/rekry/", "/hinnasto", "/referenssit/r"]
TOPICS = ["pilvi", "tietoturva", "data-analytiikka"]
STAGES = ["early_interest", "need_recognised", "comparing_solutions", "deciding"]

POSITIVE = """
model: positive
engagement:
  - {name: visit, when: {event: page_view}, points: 3, decay: {half_life: 14d}, cap: {points: 12, per: 7d}}
  - {name: download, when: {event: download}, points: 10, decay: {lifespan: 30d}, cap: {points: 25}}
  - {name: click, when: {event: [email_click, ad_click]}, points: 4,
     decay: {step: [{after: 7d, keep: 0.5}, {after: 21d, keep: 0.1}]}, cap: {points: 8, per: 3d, total: 20}}
signals:
  - name: binge
    within: 7d
    all:
      - {at_least: 3, of: {event: page_view}}
      - {at_least: 1, of: {event: [email_click, ad_click]}}
    points: 15
    decay: {half_life: 10d}
"""


@st.composite
def histories(draw: st.DrawFn, max_size: int = 20) -> list[Event]:
    """Events with unique ids on an hourly grid over 45 days, with plausible properties."""
    rows = draw(
        st.lists(
            st.tuples(
                st.sampled_from(TYPES),
                st.integers(0, HOURS),
                st.sampled_from(PATHS),
                st.sampled_from(TOPICS),
                st.sampled_from(STAGES),
                st.integers(0, 400),
            ),
            max_size=max_size,
        )
    )
    return [
        Event(f"h{i:03d}", kind, T0 + hour * 3600, T0, _properties(kind, path, topic, stage, value))
        for i, (kind, hour, path, topic, stage, value) in enumerate(rows)
    ]


def _properties(kind: str, path: str, topic: str, stage: str, value: int) -> dict[str, object]:
    """Properties that fit the event type."""
    if kind == "product_usage":
        return {"metric": "messages_sent", "value": value}
    if kind == "page_view":
        return {"path": path, "topic": topic, "stage": stage}
    return {"topic": topic, "stage": stage}


def scored(spec: ScoringModel, events: list[Event]) -> ScoreCard:
    """Score the default person and account at the end of the period."""
    return score(spec, person(), account(), events, AS_OF)


@settings(max_examples=60, deadline=None)
@given(events=histories(), data=st.data())
def test_shuffling_events_never_changes_the_card(events: list[Event], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(events))
    assert scored(EXAMPLE, list(shuffled)) == scored(EXAMPLE, events)


@settings(max_examples=60, deadline=None)
@given(events=histories(), hour=st.integers(0, HOURS))
def test_adding_an_event_no_rule_matches_never_changes_the_card(events: list[Event], hour: int) -> None:
    noise = Event("noise", "custom.noise", T0 + hour * 3600, T0, {"path": "/muuta"})
    assert scored(EXAMPLE, [*events, noise]) == scored(EXAMPLE, events)


@settings(max_examples=60, deadline=None)
@given(
    events=histories(),
    kind=st.sampled_from(TYPES),
    points=st.floats(0.5, 20),
    decay=st.sampled_from(["none", "{half_life: 5d}", "{lifespan: 20d}", "{step: [{after: 3d, keep: 0.3}]}"]),
    cap=st.sampled_from(["", ", cap: {points: 7}", ", cap: {points: 9, per: 5d}"]),
)
def test_a_positive_rule_never_lowers_the_score(
    events: list[Event], kind: str, points: float, decay: str, cap: str
) -> None:
    extra = f"  - {{name: extra, when: {{event: {kind}}}, points: {points}, decay: {decay}{cap}}}\n"
    text = textwrap.dedent(POSITIVE).replace("signals:", extra + "signals:")
    widened = load_model_text(text, "extra.yaml")
    before = scored(load_model_text(POSITIVE, "positive.yaml"), events)
    assert scored(widened, events).score >= before.score - 1e-9


@settings(max_examples=60, deadline=None)
@given(events=histories(), more=histories(max_size=3))
def test_more_activity_never_lowers_a_score_without_negative_points(
    events: list[Event], more: list[Event]
) -> None:
    spec = load_model_text(POSITIVE, "positive.yaml")
    extra = [Event("more-" + e.event_id, e.type, e.occurred_ts, e.received_ts, e.properties) for e in more]
    assert scored(spec, events + extra).score >= scored(spec, events).score - 1e-9
