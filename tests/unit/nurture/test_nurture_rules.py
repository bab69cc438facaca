"""Nurture rules read aloud: which track a person gets, when each step is due, who enters and who leaves."""

from __future__ import annotations

import pytest

from liidi.domain.nurture import (
    DAY,
    Action,
    Enrolment,
    Entry,
    EntryRules,
    ExitReason,
    NurtureCatalog,
    PersonState,
    Status,
    Step,
    Track,
    progressed,
)

NOW = 1_793_000_000.0
EARLY, NEED, COMPARING, DECIDING = "early_interest", "need_recognised", "comparing_solutions", "deciding"


def track(
    name: str, themes: tuple[str, ...] = (), stages: tuple[str, ...] = (), waits: tuple[int, ...] = (0,)
) -> Track:
    steps = tuple(Step(Action.WEBHOOK, wait, template=f"{name}-{i}") for i, wait in enumerate(waits))
    return Track(name, steps, frozenset(themes), frozenset(stages))


CATALOG = NurtureCatalog(
    "core-services",
    (
        track("cloud-explore", ("cloud",), (EARLY, NEED)),
        track("cloud-compare", ("cloud",), (COMPARING, DECIDING)),
        track("data-and-ai", ("data", "ai")),
        track("deciders", (), (DECIDING,)),
        track("newsletter"),
    ),
)


def test_a_person_gets_the_track_named_for_their_theme_at_their_stage() -> None:
    assert CATALOG.track_for("cloud", NEED) == CATALOG.named("cloud-explore")
    assert CATALOG.track_for("cloud", COMPARING) == CATALOG.named("cloud-compare")
    assert CATALOG.track_for("ai", None) == CATALOG.named("data-and-ai")


def test_a_theme_without_a_track_gets_the_first_track_for_any_theme_that_takes_the_stage() -> None:
    assert CATALOG.track_for("security", DECIDING) == CATALOG.named("deciders")
    assert CATALOG.track_for("security", EARLY) == CATALOG.named("newsletter")
    assert CATALOG.track_for(None, None) == CATALOG.named("newsletter")


def test_a_weaker_theme_with_its_own_track_wins_over_a_track_for_any_theme() -> None:
    chosen = CATALOG.track_for_interests(["security", "cloud", "data"], DECIDING)
    assert chosen == CATALOG.named("cloud-compare")
    assert CATALOG.track_for_interests(["cloud", "data"], EARLY) == CATALOG.named("cloud-explore")
    assert CATALOG.track_for_interests([], DECIDING) == CATALOG.named("deciders")


def test_nobody_gets_a_track_when_no_track_takes_their_stage() -> None:
    narrow = NurtureCatalog("m", (track("cloud-explore", ("cloud",), (EARLY,)),))
    assert narrow.track_for("cloud", DECIDING) is None
    assert narrow.track_for_interests(["cloud"], None) is None


def test_the_first_step_is_due_after_its_wait_from_the_enrolment() -> None:
    enrolment = Enrolment.start(7, "m", track("t", waits=(2, 5)), NOW)
    assert enrolment.next_due_ts == NOW + 2 * DAY and enrolment.status is Status.ACTIVE
    assert enrolment.next_step(NOW + 2 * DAY - 1) is None
    step = enrolment.next_step(NOW + 2 * DAY)
    assert step is not None and step.template == "t-0"


def test_each_later_step_waits_from_when_the_step_before_was_performed() -> None:
    enrolment = Enrolment.start(7, "m", track("t", waits=(0, 5, 3)), NOW)
    late = NOW + 10 * DAY  # a worker that was stopped for ten days performs the first step late
    second = enrolment.after_step(late)
    assert second.step_index == 1 and second.next_due_ts == late + 5 * DAY
    assert second.next_step(late + 5 * DAY - 60) is None
    third = second.after_step(late + 6 * DAY)
    assert third.next_due_ts == late + 9 * DAY and third.current == third.track.steps[2]


def test_an_enrolment_is_completed_once_its_last_step_is_done() -> None:
    enrolment = Enrolment.start(7, "m", track("t", waits=(0, 1)), NOW)
    done = enrolment.after_step(NOW).after_step(NOW + DAY)
    assert done.status is Status.COMPLETED and done.next_due_ts is None
    assert done.next_step(NOW + 400 * DAY) is None and done.current is None


@pytest.mark.parametrize(
    ("person", "reason"),
    [
        (PersonState("mql"), ExitReason.QUALIFIED),
        (PersonState("sal"), ExitReason.QUALIFIED),
        (PersonState("customer"), ExitReason.QUALIFIED),
        (PersonState("disqualified"), ExitReason.DISQUALIFIED),
        (PersonState("lead", consent="withdrawn"), ExitReason.UNSUBSCRIBED),
        (PersonState("lead", merged=True), ExitReason.MERGED),
        (PersonState("mql", consent="withdrawn"), ExitReason.QUALIFIED),
    ],
)
def test_a_person_leaves_their_track_with_the_reason(person: PersonState, reason: ExitReason) -> None:
    enrolment = Enrolment.start(7, "m", track("t"), NOW)
    assert enrolment.should_exit(person) is reason


@pytest.mark.parametrize("stage", ["subscriber", "lead", "recycled"])
def test_a_lead_still_not_ready_stays_on_their_track(stage: str) -> None:
    enrolment = Enrolment.start(7, "m", track("t"), NOW)
    assert enrolment.should_exit(PersonState(stage, consent="granted", grade="B", score=30)) is None


def test_a_finished_enrolment_has_nothing_to_leave() -> None:
    done = Enrolment.start(7, "m", track("t"), NOW).after_step(NOW)
    assert done.should_exit(PersonState("mql")) is None


RULES = EntryRules(recycled=True, not_ready=True, grades=frozenset({"A", "B", "C"}), min_score=10)


@pytest.mark.parametrize(
    ("person", "entry"),
    [
        (PersonState("lead", grade="B", score=10), Entry.NOT_READY),
        (PersonState("subscriber", grade="A", score=55), Entry.NOT_READY),
        (PersonState("lead", grade="D", score=80), None),
        (PersonState("lead", grade="B", score=9.9), None),
        (PersonState("lead", grade=None, score=50), None),
        (PersonState("recycled", grade="D", score=0), Entry.RECYCLED),
        (PersonState("lead", consent="withdrawn", grade="A", score=50), None),
        (PersonState("recycled", consent="withdrawn"), None),
        (PersonState("mql", grade="A", score=90), None),
        (PersonState("disqualified", grade="A", score=50), None),
        (PersonState("lead", grade="A", score=50, merged=True), None),
    ],
)
def test_who_enters_nurture(person: PersonState, entry: Entry | None) -> None:
    assert RULES.admits(person) is entry


def test_entry_rules_can_keep_out_recycled_or_not_ready_leads() -> None:
    assert EntryRules(recycled=False).admits(PersonState("recycled")) is None
    assert EntryRules(not_ready=False).admits(PersonState("lead", grade="A", score=90)) is None
    assert EntryRules().admits(PersonState("lead", grade="D", score=-40)) is Entry.NOT_READY


ORDER = (EARLY, NEED, COMPARING, DECIDING)


@pytest.mark.parametrize(
    ("entry_stage", "later", "moved"),
    [
        (EARLY, NEED, True),
        (None, EARLY, True),
        (NEED, NEED, False),
        (DECIDING, EARLY, False),
        (NEED, None, False),
    ],
)
def test_a_buying_stage_progressed_when_it_moved_forward_in_the_models_order(
    entry_stage: str | None, later: str | None, moved: bool
) -> None:
    assert progressed(entry_stage, later, ORDER) is moved


def test_a_track_above_hides_one_below_only_when_it_takes_every_person_of_the_same_kind() -> None:
    cloud_any = track("a", ("cloud",))
    cloud_early = track("b", ("cloud",), (EARLY,))
    anyone = track("c")
    assert cloud_any.hides(cloud_early) and not cloud_early.hides(cloud_any)
    assert not anyone.hides(cloud_early) and not cloud_any.hides(anyone)
    assert track("d", ("cloud", "data")).hides(track("e", ("data",), (DECIDING,)))
    assert not track("f", ("data",)).hides(track("g", ("data", "ai")))


def test_a_step_describes_itself_in_words() -> None:
    email = Step(Action.EMAIL, 5, template="cloud-questions", subject="Five questions")
    assert email.describe() == 'after 5d: email "Five questions" (template cloud-questions)'
    assert Step(Action.TASK, 0, task="Call").describe() == 'after 0d: task "Call"'
