"""The demo data generator: deterministic, well-formed, and carrying the signal it documents."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from itertools import pairwise

import pytest

from liidi.demo.catalog import SERVICES, THEMES, TITLES_EN, TITLES_FI
from liidi.demo.generator import EVENTS_PER_ACCOUNT_MONTH, DemoDataset, generate
from liidi.demo.names import COUNTRIES
from liidi.demo.records import BUYING_STAGES
from liidi.domain.emails import email_domain, is_free_mail
from liidi.domain.events import HAND_RAISER_TYPES, STANDARD_EVENT_TYPES
from liidi.domain.people import role_from_title

END = datetime(2026, 11, 1, tzinfo=UTC)
LEAD_TOOLS = {"download", "event", "demo_request", "trial_signup", "newsletter", "contact_form", "order_form"}
CHANNELS = {
    "organic_search",
    "paid_search",
    "linkedin_ads",
    "email",
    "referral",
    "direct",
    "event",
    "outbound",
}


@cache
def small() -> DemoDataset:
    return generate(accounts=120, months=6, seed=11, end=END)


@cache
def market() -> DemoDataset:
    return generate(accounts=400, months=12, seed=5, end=END)


def test_same_seed_gives_identical_data() -> None:
    assert generate(accounts=60, months=3, seed=4, end=END) == generate(
        accounts=60, months=3, seed=4, end=END
    )


def test_different_seeds_give_different_data() -> None:
    one, two = (
        generate(accounts=60, months=3, seed=1, end=END),
        generate(accounts=60, months=3, seed=2, end=END),
    )
    assert [a.domain for a in one.accounts] != [a.domain for a in two.accounts]
    assert len(one.events) != len(two.events) or one.events != two.events


def test_end_must_be_an_aware_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        generate(accounts=10, months=1, seed=1, end=datetime(2026, 11, 1))


def test_window_covers_the_requested_calendar_months_before_end() -> None:
    ds = generate(
        accounts=10, months=3, seed=1, end=datetime(2026, 5, 31, 12, tzinfo=timezone(timedelta(hours=2)))
    )
    assert ds.end_ts == datetime(2026, 5, 31, 10, tzinfo=UTC).timestamp()
    assert ds.start_ts == datetime(2026, 2, 28, 10, tzinfo=UTC).timestamp()


def test_every_event_type_is_a_standard_type() -> None:
    assert {e.type for e in market().events} <= STANDARD_EVENT_TYPES


def test_every_event_is_keyed_by_exactly_one_of_email_or_anonymous_id() -> None:
    assert all((e.email is None) != (e.anonymous_id is None) for e in market().events)


def test_every_email_event_belongs_to_a_generated_person_who_was_known_by_then() -> None:
    created = {p.email: p.created_ts for p in market().people}
    for event in market().events:
        if event.email is not None:
            assert created[event.email] <= event.occurred_ts


def test_identifies_refer_to_anonymous_ids_seen_in_events_before_them() -> None:
    ds = market()
    last_anonymous: dict[str, float] = {}
    for event in ds.events:
        if event.anonymous_id is not None:
            last_anonymous[event.anonymous_id] = event.occurred_ts
    people = {p.email for p in ds.people}
    assert ds.identifies
    for identify in ds.identifies:
        assert identify.email in people
        assert last_anonymous[identify.anonymous_id] <= identify.occurred_ts


def test_timestamps_fall_inside_the_window() -> None:
    ds = market()
    moments = [e.occurred_ts for e in ds.events] + [i.occurred_ts for i in ds.identifies]
    moments += [p.created_ts for p in ds.people] + [t.occurred_ts for t in ds.transitions]
    moments += [o.created_ts for o in ds.opportunities] + [
        o.closed_ts for o in ds.opportunities if o.closed_ts
    ]
    assert all(ds.start_ts <= ts <= ds.end_ts for ts in moments)


def test_event_ids_are_unique_and_events_are_sorted_by_time() -> None:
    events = market().events
    assert len({e.event_id for e in events}) == len(events)
    assert all(a.occurred_ts <= b.occurred_ts for a, b in pairwise(events))
    assert events[0].event_id == "demo-5-0"


def test_volume_per_account_month_matches_the_documented_rate() -> None:
    ds = market()
    rate = len(ds.events) / 400 / 12
    assert 0.75 * EVENTS_PER_ACCOUNT_MONTH <= rate <= 1.25 * EVENTS_PER_ACCOUNT_MONTH


def test_in_market_people_visit_service_pages_and_raise_hands_far_more_often() -> None:
    ds = market()
    in_market = {domain for domain, truth in ds.truth.accounts.items() if truth.in_market}
    service_visits: Counter[str] = Counter()
    hand_raises: Counter[str] = Counter()
    for event in ds.events:
        if (
            event.email
            and event.type == "page_view"
            and str(event.properties["path"]).startswith("/palvelut/")
        ):
            service_visits[event.email] += 1
        if event.email and event.type in HAND_RAISER_TYPES:
            hand_raises[event.email] += 1
    hot = [p.email for p in ds.people if p.account_domain in in_market]
    cold = [p.email for p in ds.people if p.account_domain and p.account_domain not in in_market]

    def per_person(counts: Counter[str], group: list[str]) -> float:
        return sum(counts[email] for email in group) / len(group)

    assert per_person(service_visits, hot) > 3 * per_person(service_visits, cold)
    assert per_person(hand_raises, hot) > 2 * per_person(hand_raises, cold)


def test_won_deals_concentrate_in_in_market_accounts() -> None:
    ds = market()
    won = [o for o in ds.opportunities if o.stage == "won"]
    assert len(won) >= 5
    in_market = sum(ds.truth.accounts[o.account_domain].in_market for o in won)
    assert in_market / len(won) >= 0.8


def test_finland_is_the_largest_country() -> None:
    countries = Counter(a.country for a in market().accounts)
    assert countries.most_common(1)[0][0] == "FI"
    assert 0.35 <= countries["FI"] / 400 <= 0.55


def test_free_mail_share_is_roughly_eight_percent_and_free_mail_people_still_name_their_employer() -> None:
    people = market().people
    free = [p for p in people if is_free_mail(email_domain(p.email))]
    assert 0.05 <= len(free) / len(people) <= 0.12
    assert any(p.account_domain is not None for p in free)
    for person in people:
        if person not in free:
            assert person.account_domain == email_domain(person.email)


def test_every_free_mail_domain_used_is_known_to_the_domain_layer() -> None:
    assert all(is_free_mail(domain) for country in COUNTRIES for domain in country.free_mail)


def test_account_domains_are_unique_and_use_the_country_tld() -> None:
    accounts = market().accounts
    assert len({a.domain for a in accounts}) == len(accounts)
    tlds = {c.code: c.tld for c in COUNTRIES}
    assert all(a.domain.endswith("." + tlds[a.country]) for a in accounts)
    assert all(a.owner is None or a.owner.endswith("@liidi-demo.example") for a in accounts)
    assert all((a.owner is None) == (a.tier == "none") for a in accounts)


def test_titles_map_to_the_buying_role_they_stand_for() -> None:
    for titles in (TITLES_EN, TITLES_FI):
        for role, names in titles.items():
            assert {role_from_title(name).value for name in names} == {role}


def test_person_fields_use_the_documented_values() -> None:
    people = market().people
    assert {p.consent for p in people} <= {"granted", "unknown", "withdrawn"}
    assert {p.direction for p in people} == {"inbound", "outbound"}
    assert {p.lead_tool for p in people} <= LEAD_TOOLS | {"outbound_list"}
    assert {p.channel for p in people} <= CHANNELS
    sales = sum(p.sourced_by == "sales" for p in people) / len(people)
    assert 0.2 <= sales <= 0.4


def test_event_properties_use_the_documented_vocabulary() -> None:
    for event in market().events:
        props = event.properties
        assert props.get("stage", BUYING_STAGES[0]) in BUYING_STAGES
        assert props.get("service", SERVICES[0]) in SERVICES
        assert props.get("topic", THEMES[0]) in THEMES
        assert props.get("channel", "email") in CHANNELS
        if event.type in {"download", "form_submit", "trial_signup", *HAND_RAISER_TYPES}:
            assert props["lead_tool"] in LEAD_TOOLS
        if event.type == "product_usage":
            assert props["metric"] in {"messages_sent", "active_users"} and isinstance(props["value"], int)
        if event.type == "sales_touch":
            assert props["kind"] in {"call", "email", "meeting"} and str(props["rep"]).endswith(
                "liidi-demo.example"
            )


def test_transitions_go_sql_then_opportunity_then_customer_as_the_deals_say() -> None:
    ds = market()
    moves: dict[str, dict[str, float]] = {}
    for move in ds.transitions:
        moves.setdefault(move.email, {}).setdefault(move.to_stage, move.occurred_ts)
        assert move.to_stage in {"sql", "opportunity", "customer", "disqualified", "recycled"}
        assert (move.reason is not None) == (move.to_stage in {"disqualified", "recycled"})
    for deal in ds.opportunities:
        own = moves[deal.person_email]
        assert own["sql"] <= own["opportunity"] == deal.created_ts
        assert ("customer" in own) == (deal.stage == "won")
        assert (deal.closed_ts is None) == (deal.stage == "open")
        assert (deal.lost_reason is not None) == (deal.stage == "lost")
        assert 5_000 <= deal.amount <= 150_000 and deal.currency == "EUR"
        assert ds.truth.accounts[deal.account_domain].outcome == deal.stage


def test_truth_covers_every_account_and_person() -> None:
    ds = small()
    assert set(ds.truth.accounts) == {a.domain for a in ds.accounts}
    assert set(ds.truth.people) == {p.email for p in ds.people}
    for truth in ds.truth.accounts.values():
        assert truth.in_market == (truth.max_stage != "none") == (truth.need_ts is not None)
        assert truth.outcome in {"won", "lost", "open", "none"}
        assert set(truth.themes) <= set(THEMES)


def test_real_buyers_use_the_trial_far_more_than_others() -> None:
    ds = market()
    buyers = {email for email, truth in ds.truth.people.items() if truth.in_buying_group}
    sent: dict[bool, list[int]] = {True: [], False: []}
    for event in ds.events:
        if event.type == "product_usage" and event.properties["metric"] == "messages_sent" and event.email:
            sent[event.email in buyers].append(int(str(event.properties["value"])))
    assert sum(sent[True]) / len(sent[True]) > 4 * sum(sent[False]) / len(sent[False])
