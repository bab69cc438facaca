"""Buying-group roles and seniority derived from titles (R3)."""

from __future__ import annotations

import pytest

from liidi.domain.accounts import name_from_domain
from liidi.domain.people import BuyingRole, Seniority, role_from_title, seniority_from_title


@pytest.mark.parametrize(
    ("title", "role"),
    [
        ("CEO", BuyingRole.DECISION_MAKER),
        ("Toimitusjohtaja", BuyingRole.DECISION_MAKER),
        ("Head of IT", BuyingRole.DECISION_MAKER),
        ("IT Director", BuyingRole.DECISION_MAKER),
        ("VP Engineering", BuyingRole.DECISION_MAKER),
        ("IT-päällikkö", BuyingRole.INFLUENCER),
        ("Project Manager", BuyingRole.INFLUENCER),
        ("Solution Architect", BuyingRole.INFLUENCER),
        ("Software Developer", BuyingRole.USER),
        ("Asiantuntija", BuyingRole.USER),
        ("Student", BuyingRole.OTHER),
        (None, BuyingRole.OTHER),
    ],
)
def test_title_gives_the_role_in_the_buying_group(title: str | None, role: BuyingRole) -> None:
    assert role_from_title(title) is role


def test_chief_titles_are_c_level_and_managers_are_managers() -> None:
    assert seniority_from_title("Chief Financial Officer") is Seniority.C_LEVEL
    assert seniority_from_title("Sales Manager") is Seniority.MANAGER
    assert seniority_from_title("") is Seniority.UNKNOWN


def test_a_domain_gives_a_readable_provisional_account_name() -> None:
    assert name_from_domain("acme-logistics.fi") == "Acme Logistics"
