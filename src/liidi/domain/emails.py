"""E-mail addresses: normalisation, syntax, and the free-mail domains that never make an account."""

from __future__ import annotations

import contextlib
import re
from functools import cache, lru_cache
from importlib import resources

_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"^{_LOCAL}@(?:{_LABEL}\.)+[A-Za-z]{{2,63}}$")


@lru_cache(maxsize=65536)
def normalise_email(raw: str) -> str:
    """Trim and lower-case an address; IDN domains become their ASCII form."""
    text = raw.strip()
    local, sep, domain = text.rpartition("@")
    if not sep:
        return text.lower()
    if not domain.isascii():
        with contextlib.suppress(UnicodeError):
            domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}".lower()


@lru_cache(maxsize=65536)
def email_problem(raw: str) -> str | None:
    """Say why a string is not an acceptable e-mail address, or None when it is."""
    if not raw or not raw.strip():
        return "e-mail address is empty"
    text = normalise_email(raw)
    if len(text) > 254:
        return "e-mail address is longer than 254 characters"
    if "@" not in text:
        return "e-mail address has no '@'"
    if not _EMAIL.match(text):
        return "not a valid e-mail address"
    return None


def email_domain(email: str) -> str:
    """The domain part of a normalised address."""
    return email.rpartition("@")[2]


@cache
def free_mail_domains() -> frozenset[str]:
    """Domains of public mailbox providers; people there are not matched to an account by domain."""
    text = resources.files("liidi.domain").joinpath("freemail.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


def is_free_mail(domain: str) -> bool:
    """True when the domain belongs to a public mailbox provider."""
    return domain.lower() in free_mail_domains()
