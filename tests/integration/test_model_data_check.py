"""`model check --data` on both databases: a model compared with leads shaped like an education CRM export."""

from __future__ import annotations

from collections.abc import Callable

from liidi.domain.scoring.data_check import DataProfile, data_warnings
from liidi.services import ingest, models
from liidi.services.people import identify
from liidi.services.unit_of_work import UnitOfWork
from tests.builders import NOW, event

NewUow = Callable[[], UnitOfWork]
LEADS = (  # numbers arrive as text, 'Select' is the form's placeholder, blanks are missing
    ("lead1@x.example", {"TotalVisits": "5", "Lead Source": "Olark Chat", "Specialization": "Select"}),
    (
        "lead2@x.example",
        {"TotalVisits": "0", "Lead Source": "Google", "Specialization": "Finance Management"},
    ),
    ("lead3@x.example", {"TotalVisits": "", "Lead Source": "Organic Search", "Specialization": "Select"}),
)
CLEAN = """model: leads
fit:
  - name: from search
    when: {person.traits.Lead Source: [Google, Organic Search]}
    points: 10
  - name: specialised
    when: {person.traits.Specialization: {not: Select}}
    points: 5
engagement:
  - {name: visit, when: {event: page_view, page: /courses}, points: 3}
"""


def load_leads(new_uow: NewUow) -> None:
    for email, traits in LEADS:
        identify(new_uow(), email=email, traits={"traits": traits}, now=NOW)
    ingest.track_events(
        new_uow(), events=[event(email="lead1@x.example", properties={"page": "/courses"})], now=NOW
    )


def warnings_for(new_uow: NewUow, text: str) -> list[tuple[int, int, str]]:
    checked = models.check_model_data(new_uow(), text, "leads.yaml")
    return [(w.line, w.column, w.reason) for w in checked.warnings]


def test_a_clean_model_on_the_same_data_has_no_warnings(new_uow: NewUow) -> None:
    load_leads(new_uow)
    assert warnings_for(new_uow, CLEAN) == []


def test_a_misspelt_trait_is_named_with_its_line_column_and_the_existing_spelling(new_uow: NewUow) -> None:
    load_leads(new_uow)
    text = CLEAN + "  - {name: busy, when: {event: page_view}, points: 1}\n"
    text = text.replace(
        "person.traits.Specialization: {not: Select}", "person.traits.Totalvisits: {not: '0'}"
    )
    (found,) = warnings_for(new_uow, text)
    assert found[:2] == (7, 12)
    assert "no person has person.traits.Totalvisits" in found[2]
    assert "closest: 'person.traits.TotalVisits'" in found[2]


def test_a_value_in_an_in_list_that_never_occurs_is_named_with_the_closest(new_uow: NewUow) -> None:
    load_leads(new_uow)
    text = CLEAN.replace("[Google, Organic Search]", "[Google, Organic search]")
    (found,) = warnings_for(new_uow, text)
    assert found[:2] == (4, 48)
    assert "'Organic search' never occurs" in found[2] and "closest: 'Organic Search'" in found[2]


def test_a_numeric_operator_on_a_text_attribute_warns(new_uow: NewUow) -> None:
    load_leads(new_uow)
    text = CLEAN.replace(
        "person.traits.Specialization: {not: Select}", "person.traits.TotalVisits: {above: 3}"
    )
    (found,) = warnings_for(new_uow, text)
    assert found[:2] == (7, 12)
    assert "'above' compares numbers" in found[2] and "is text (e.g. '" in found[2]


def test_event_types_and_properties_no_event_has_are_named(new_uow: NewUow) -> None:
    load_leads(new_uow)
    text = CLEAN.replace("{event: page_view, page: /courses}", "{event: form_submit, pgae: /courses}")
    found = warnings_for(new_uow, text)
    assert [(line, column) for line, column, _ in found] == [(10, 33), (10, 46)]
    assert "no event has type 'form_submit'" in found[0][2]
    assert "no event has pgae; closest: 'page'" in found[1][2]


def test_warnings_do_not_change_the_check_of_the_text_itself() -> None:
    text = CLEAN.replace("Google", "Gogle")
    empty = DataProfile()
    assert data_warnings(text, "leads.yaml", empty) == []


def test_a_number_in_the_model_never_equals_the_same_digits_stored_as_text(new_uow: NewUow) -> None:
    load_leads(new_uow)
    text = CLEAN.replace("traits.Specialization: {not: Select}", "traits.TotalVisits: [5, 7]")
    found = warnings_for(new_uow, text)
    assert [(line, column) for line, column, _ in found] == [(7, 40), (7, 43)]
    assert (
        "5 never occurs in person.traits.TotalVisits; the stored value is '5', of another type" in found[0][2]
    )
    assert found[1][2].startswith("7 never occurs")


def test_a_large_store_is_sampled_and_the_profile_says_so(new_uow: NewUow) -> None:
    load_leads(new_uow)
    with new_uow() as uow:
        profile = uow.profile.data_profile(sample=2)
    assert profile.people == 3 and profile.person["traits.Lead Source"].rows == 2
    assert profile.sampled == ("traits from the newest 2 of 3 people",)
    assert profile.person["role"].rows == 3 and not profile.person["role"].numbers


def test_the_profile_counts_kinds_and_most_common_values_of_traits(new_uow: NewUow) -> None:
    load_leads(new_uow)
    with new_uow() as uow:
        profile = uow.profile.data_profile()
    visits = profile.person["traits.TotalVisits"]
    assert (visits.rows, visits.numbers, visits.texts, visits.complete) == (2, 0, 2, True)
    assert profile.person["traits.Specialization"].values[0] == ("Select", 2)
    assert profile.event_types == {"page_view": 1} and profile.properties["page"].values == (("/courses", 1),)
    assert profile.sampled == ()


def test_properties_read_by_windows_and_themes_are_compared_too(new_uow: NewUow) -> None:
    load_leads(new_uow)
    text = CLEAN + (
        "signals:\n"
        "  - {name: busy, at_least: 2, of: {event: page_view}, same: pgae, within: 7d}\n"
        "themes:\n"
        "  from: page\n"
    )
    (found,) = warnings_for(new_uow, text)
    assert found[:2] == (12, 61) and "no event has pgae; closest: 'page'" in found[2]
