"""E-mail normalisation, syntax and free-mail domains."""

from __future__ import annotations

import pytest

from liidi.domain.emails import email_domain, email_problem, is_free_mail, normalise_email


def test_addresses_are_trimmed_and_lower_cased() -> None:
    assert normalise_email("  Anna.Virtanen@KIVIKOSKI.fi ") == "anna.virtanen@kivikoski.fi"


def test_international_domains_become_their_ascii_form() -> None:
    assert email_domain(normalise_email("pekka@äänekoski.fi")) == "xn--nekoski-4waa.fi"


@pytest.mark.parametrize(
    "raw", ["", "anna", "anna@", "@firma.fi", "anna@firma", "an na@firma.fi", "a@@firma.fi"]
)
def test_malformed_addresses_are_refused_with_a_reason(raw: str) -> None:
    assert email_problem(raw) is not None


def test_plus_addresses_and_subdomains_are_valid() -> None:
    assert email_problem("anna+news@mail.kivikoski.fi") is None


def test_free_mail_domains_never_make_an_account() -> None:
    assert is_free_mail("gmail.com") and is_free_mail("Hotmail.fi") and not is_free_mail("kivikoski.fi")
