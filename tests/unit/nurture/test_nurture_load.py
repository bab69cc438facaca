"""nurture.yaml read with every mistake named by its line and column."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from liidi.domain.nurture import Action, EntryRules
from liidi.domain.nurture_load import check_nurture_text, fingerprint, load_nurture_file, load_nurture_text
from liidi.errors import SpecError

ROOT = Path(__file__).resolve().parents[3]
STAGES = {"core-services": ("early_interest", "need_recognised", "comparing_solutions", "deciding")}
TRACK = "tracks:\n  - name: t\n    steps: [{action: webhook, template: x}]\n"
HEAD = "model: core-services\n"


def problems(text: str, known: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    return [i.one_line().removeprefix("n.yaml:") for i in check_nurture_text(text, "n.yaml", known)]


def test_the_example_file_has_a_track_per_demo_theme_and_stage_and_a_newsletter_for_everyone() -> None:
    catalog = load_nurture_file(ROOT / "examples" / "nurture.yaml")
    assert catalog.model == "core-services" and len(catalog.tracks) == 8
    assert catalog.entry == EntryRules(True, True, frozenset({"A", "B", "C"}), 10.0)
    for theme in ("cloud", "security", "data", "integration", "ai", "cost"):
        for stage in STAGES["core-services"]:
            chosen = catalog.track_for(theme, stage)
            assert chosen is not None and theme in chosen.themes, (theme, stage)
    assert catalog.track_for("events", None) == catalog.named("newsletter")
    assert check_nurture_text((ROOT / "examples" / "nurture.yaml").read_text(), "x", STAGES) == []


def test_the_first_file_of_the_docs_loads() -> None:
    docs = (ROOT / "docs" / "nurture.md").read_text(encoding="utf-8")
    first = re.search(r"## A first file\n\n```yaml\n(.*?)```", docs, re.S)
    assert first is not None
    catalog = load_nurture_text(first.group(1), "docs", STAGES)
    steps = catalog.tracks[0].steps
    assert [s.action for s in steps] == [Action.WEBHOOK, Action.EMAIL, Action.TASK]
    assert [s.wait_days for s in steps] == [0, 5, 14]
    assert steps[1].subject == "Five questions before moving to the cloud"


def test_comments_and_layout_do_not_change_the_fingerprint_but_a_wait_does() -> None:
    text = HEAD + TRACK
    same = "# nurture\n" + HEAD + "tracks:\n- name: t\n  steps:\n  - action: webhook\n    template: x\n"
    other = HEAD + TRACK.replace("action: webhook", "wait: 1d, action: webhook")
    stamps = [fingerprint(load_nurture_text(t)) for t in (text, same, other)]
    assert stamps[0] == stamps[1] != stamps[2]


STEP = HEAD + "tracks:\n  - name: t\n    steps:\n      - "
MISTAKES = [
    ("tracks: [\n", "2:1", "not valid YAML"),
    ("# nothing\n", "1:1", "the file is empty; it needs at least 'model:' and 'tracks:'"),
    (
        "model: m\ntraks: []\n",
        "2:1",
        "unknown key 'traks'; expected one of nurture, description, model, enter, ",
    ),
    ("model: m\n", "1:1", "'tracks' is required"),
    (HEAD + "tracks: []\n", "2:9", "give between 1 and 200 tracks, got 0"),
    (HEAD + "enter: {recycled: yes}\n" + TRACK, "2:19", "enter: recycled: expected true or false, got 'yes'"),
    (HEAD + "enter: {not_ready: {grades: [A, E]}}\n" + TRACK, "2:33", "expected one of A, B, C, D, got 'E'"),
    (HEAD + "enter: {not_ready: {min_score: .inf}}\n" + TRACK, "2:32", "expected a finite number, got inf"),
    (HEAD + "enter: {not_ready: {min_scor: 5}}\n" + TRACK, "2:21", "did you mean 'min_score'?"),
    (STEP + "{action: fax}\n", "5:18", "steps[0].action: expected one of webhook, email, task, got 'fax'"),
    (STEP + "{wait: 3, action: task, task: x}\n", "5:16", "expected a wait such as 0d, 3d or 2w, got 3"),
    (
        STEP + "{wait: 366d, action: task, task: x}\n",
        "5:16",
        "steps[0].wait: expected at most 365d, got 366d",
    ),
    (STEP + "{wait: 99999999999999999999d, action: task, task: x}\n", "5:16", "expected a wait such as 0d"),
    (STEP + "{wait: 53w, action: task, task: x}\n", "5:16", "expected at most 365d, got 53w"),
    (
        STEP + "{wait: -1d, action: task, task: x}\n",
        "5:16",
        "expected a wait such as 0d, 3d or 2w, got '-1d'",
    ),
    (STEP + "{action: email, subject: Hi}\n", "5:9", "steps[0]: an email step needs 'template'"),
    (STEP + "{action: webhook}\n", "5:9", "a webhook step needs 'campaign or template'"),
    (STEP + "{action: task}\n", "5:9", "a task step needs 'task'"),
    (
        STEP + "{action: webhook, template: x, subject: y}\n",
        "5:40",
        "takes campaign and template, not 'subject'",
    ),
    (
        STEP + "{action: task, task: " + "x" * 501 + "}\n",
        "5:30",
        "steps[0].task: expected at most 500 characters",
    ),
    (STEP + "{action: webhook, template: [a]}\n", "5:37", "steps[0].template: expected text, got a list"),
    (HEAD + "tracks:\n  - name: t\n    steps: []\n", "4:12", "give between 1 and 50 steps, got 0"),
    (
        HEAD + "tracks:\n  - {name: t, when: {theme: []}, steps: [{action: task, task: x}]}\n",
        "3:29",
        "got an empty list",
    ),
    (
        HEAD + "tracks:\n  - {name: t, when: {stag: x}, steps: [{action: task, task: x}]}\n",
        "3:22",
        "did you mean 'stage'?",
    ),
    (HEAD + TRACK + TRACK.removeprefix("tracks:\n"), "5:5", "the name 't' is already used on line 3"),
    (
        HEAD + TRACK + "  - {name: u, when: {stage: deciding}, steps: [{action: task, task: x}]}\n",
        "5:5",
        "never chosen: track 't' on line 3 above takes every person it would",
    ),
    ("model: core-services\x00\n" + TRACK, "1:21", "not valid YAML: the character U+0000 is not allowed"),
    (HEAD + "tracks:\n  - name: \x1bt\n", "3:11", "the character U+001B is not allowed"),
    ("a: " + "[" * 40 + "]" * 40 + "\n", "1:", "nest deeper than 32 levels"),
]


@pytest.mark.parametrize(("text", "where", "reason"), MISTAKES)
def test_each_mistake_is_named_with_its_line_and_column(text: str, where: str, reason: str) -> None:
    found = problems(text)
    assert any(p.startswith(where) and reason in p for p in found), found


def test_every_mistake_is_reported_at_once_in_file_order() -> None:
    text = STEP + "{action: fax}\n      - {wait: 1y, action: task, task: x}\n"
    found = problems(text)
    assert [p.split(" ")[0] for p in found] == ["5:18", "6:16"]
    with pytest.raises(SpecError) as caught:
        load_nurture_text(text, "n.yaml")
    assert caught.value.message.startswith("2 problems in the nurture file:\nn.yaml:5:18 track 't': ")


def test_the_model_and_its_stages_are_checked_against_the_published_models_when_known() -> None:
    track = "  - {name: t, when: {stage: decidng}, steps: [{action: task, task: x}]}\n"
    text = "model: core-servics\ntracks:\n" + track
    assert problems(text, STAGES) == [
        "1:8 model: no published scoring model 'core-servics'; published: core-services"
    ]
    found = problems(text.replace("servics", "services"), STAGES)
    assert found == [
        "3:29 track 't': when.stage: expected one of early_interest, need_recognised, comparing_solutions, "
        "deciding, got 'decidng'"
    ]
    assert problems(text.replace("servics", "services")) == []
    no_stages = problems(text.replace("servics", "services"), {"core-services": ()})
    assert "the model computes no buying stage" in no_stages[0]
