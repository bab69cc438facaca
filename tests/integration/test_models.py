"""Scoring model versions on both databases: drafts, publishing (with rescoring), listing and diffs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from liidi.domain.scoring import issues_of
from liidi.errors import NotFound, SpecError, ValidationFailed
from liidi.services import models
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW

NewUow = Callable[[], UnitOfWork]


def model_text(name: str = "core", visit: float = 3, comment: str = "") -> str:
    return f"""# {comment}
model: {name}
grades: {{A: 60, B: 40, C: 20}}
fit:
  - {{name: decision maker, when: {{person.role: decision_maker}}, points: 30}}
engagement:
  - {{name: visit, when: {{event: page_view}}, points: {visit}, decay: {{half_life: 14d}}}}
"""


def add(new_uow: NewUow, text: str, author: str = "maija@firma.fi", now: float = NOW) -> models.ModelVersion:
    return models.add_draft(new_uow(), text=text, source_name="core.yaml", author=author, now=now)


def test_drafts_of_a_model_get_increasing_versions_starting_at_one(new_uow: NewUow) -> None:
    first = add(new_uow, model_text(visit=3))
    second = add(new_uow, model_text(visit=5), now=NOW + 60)
    other = add(new_uow, model_text(name="other"))
    assert [(v.label, v.status) for v in (first, second, other)] == [
        ("core@v1", "draft"),
        ("core@v2", "draft"),
        ("other@v1", "draft"),
    ]
    assert first.fingerprint != second.fingerprint
    assert second.created_ts == NOW + 60 and second.published_ts is None
    assert second.author == "maija@firma.fi"


def test_a_model_that_scores_alike_returns_the_newest_version_instead_of_a_duplicate(
    new_uow: NewUow,
) -> None:
    first = add(new_uow, model_text())
    again = add(new_uow, model_text(comment="only a comment changed"))
    assert again.label == first.label == "core@v1"
    assert [v.label for v in models.list_versions(new_uow(), name="core")] == ["core@v1"]


def test_an_invalid_model_is_refused_with_every_issue_and_nothing_is_stored(new_uow: NewUow) -> None:
    text = model_text().replace("half_life: 14d", "halflife: 14d").replace("points: 30", "points: lots")
    with pytest.raises(SpecError) as caught:
        add(new_uow, text + "colour: blue\n")
    issues = issues_of(caught.value)
    assert len(issues) == 3
    assert all(i.line > 0 and i.column > 0 and i.source == "core.yaml" for i in issues)
    assert any("colour" in i.reason for i in issues) and any("halflife" in i.reason for i in issues)
    assert models.list_versions(new_uow()) == []


def test_unknown_keys_are_errors_with_their_line_and_column(new_uow: NewUow) -> None:
    with pytest.raises(SpecError) as caught:
        add(new_uow, model_text() + "treshold: 40\n")
    (issue,) = issues_of(caught.value)
    assert (issue.line, issue.column) == (8, 1) and "treshold" in issue.reason


def test_an_empty_author_or_a_name_too_long_for_a_version_label_is_refused(new_uow: NewUow) -> None:
    with pytest.raises(ValidationFailed, match="author"):
        add(new_uow, model_text(), author=" ")
    with pytest.raises(ValidationFailed, match="at most 80 characters"):
        add(new_uow, model_text(name="x" * 81))
    assert models.list_versions(new_uow()) == []


def test_publishing_retires_the_previous_version_and_rescores_everyone(new_uow: NewUow) -> None:
    for email in ("anna@kivikoski.fi", "matti@kivikoski.fi"):
        identify(new_uow(), email=email, now=NOW)
    add(new_uow, model_text(visit=3))
    first = models.publish(new_uow, name="core", author="lead@firma.fi", now=NOW)
    assert (first.label, first.previous_version, first.rescored) == ("core@v1", None, 2)
    add(new_uow, model_text(visit=5))
    second = models.publish(new_uow, name="core", version=2, author="lead@firma.fi", now=NOW + 60)
    assert (second.version, second.previous_version, second.rescored) == (2, 1, 2)
    statuses = {v.version: (v.status, v.published_ts) for v in models.list_versions(new_uow(), name="core")}
    assert statuses == {2: ("published", NOW + 60), 1: ("retired", NOW)}


def test_publishing_without_a_version_takes_the_newest_draft(new_uow: NewUow) -> None:
    for visit in (1, 2, 3):
        add(new_uow, model_text(visit=visit))
    assert models.publish(new_uow, name="core", author="lead", now=NOW).version == 3
    with pytest.raises(NotFound, match="no draft newer than v3"):
        models.publish(new_uow, name="core", author="lead", now=NOW)


def test_a_retired_version_can_be_published_again_to_roll_back(new_uow: NewUow) -> None:
    add(new_uow, model_text(visit=3))
    add(new_uow, model_text(visit=5))
    models.publish(new_uow, name="core", version=1, author="lead", now=NOW)
    models.publish(new_uow, name="core", version=2, author="lead", now=NOW)
    back = models.publish(new_uow, name="core", version=1, author="lead", now=NOW)
    assert (back.version, back.previous_version) == (1, 2)
    published = [v.label for v in models.list_versions(new_uow()) if v.status == "published"]
    assert published == ["core@v1"]


def test_publishing_records_who_published_in_the_outbox(new_uow: NewUow) -> None:
    add(new_uow, model_text())
    models.publish(new_uow, name="core", author="lead@firma.fi", now=NOW)
    with new_uow() as uow:
        messages = [m for m in uow.outbox.pending() if m["topic"] == "model.published"]
    assert [m["payload"] for m in messages] == [
        {"name": "core", "version": 1, "previous_version": None, "author": "lead@firma.fi"}
    ]


def test_publishing_an_unknown_version_or_model_is_not_found(new_uow: NewUow) -> None:
    add(new_uow, model_text())
    with pytest.raises(NotFound, match="no version 7"):
        models.publish(new_uow, name="core", version=7, author="lead", now=NOW)
    with pytest.raises(NotFound, match="no scoring model named 'nope'"):
        models.publish(new_uow, name="nope", author="lead", now=NOW)
    assert [v.status for v in models.list_versions(new_uow())] == ["draft"]


def test_a_version_is_read_back_with_its_source(new_uow: NewUow) -> None:
    text = model_text(comment="kept as written")
    add(new_uow, text)
    version = models.get_version(new_uow(), name="core", version=1)
    assert version.source == text and version.label == "core@v1"
    with pytest.raises(NotFound):
        models.get_version(new_uow(), name="core", version=2)


def test_diff_lists_the_changed_points_between_two_versions(new_uow: NewUow) -> None:
    add(new_uow, model_text(visit=3))
    add(new_uow, model_text(visit=5).replace("C: 20", "C: 25"))
    changes = models.diff_versions(new_uow(), name="core", a=1, b=2)
    assert changes == ["grade C threshold 20 → 25", "engagement rule 'visit': points 3 → 5"]
    assert models.diff_versions(new_uow(), name="core", a=2, b=2) == []


def test_version_labels_are_parsed_and_other_text_is_not() -> None:
    assert models.parse_label("core-services@v12") == ("core-services", 12)
    assert models.parse_label("examples/scoring.yaml") is None
    assert models.parse_label("core@vx") is None


def test_publishing_the_published_version_again_only_rescores(new_uow: NewUow) -> None:
    identify(new_uow(), email="anna@kivikoski.fi", now=NOW)
    add(new_uow, model_text())
    models.publish(new_uow, name="core", author="lead", now=NOW)
    again = models.publish(new_uow, name="core", version=1, author="lead", now=NOW)
    assert (again.version, again.previous_version, again.rescored) == (1, 1, 1)
    with new_uow() as uow:
        assert uow.outbox.count("model.published") == 1
    assert [v.status for v in models.list_versions(new_uow())] == ["published"]
