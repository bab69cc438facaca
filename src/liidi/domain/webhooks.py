"""Webhook targets: which URLs are acceptable, which addresses are refused, what a listing may show."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from liidi.errors import FieldError, ValidationFailed

WEBHOOK, SLACK = "webhook", "slack"
KINDS = (WEBHOOK, SLACK)
MAX_URL_LENGTH = 2000
MIN_SECRET, MAX_SECRET = 16, 200

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class Target:
    """The parts of a webhook URL a delivery needs: scheme, host (ASCII) and port."""

    scheme: str
    host: str
    port: int


def _refuse(field: str, value: object, reason: str) -> ValidationFailed:
    return ValidationFailed([FieldError(field, value, reason)], f"{field}={value!r}: {reason}")


def parse_target(url: str) -> Target:
    """The scheme, host and port of an http(s) URL; ValidationFailed naming `url` and the reason."""
    shown = url if len(url) <= 200 else url[:200] + "…"
    if len(url) > MAX_URL_LENGTH:
        raise _refuse("url", shown, f"longer than {MAX_URL_LENGTH} characters")
    if any(ord(c) < 32 or ord(c) == 127 or c.isspace() for c in url):
        raise _refuse("url", shown, "must not contain spaces or control characters")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise _refuse("url", shown, f"not a valid URL ({error})") from None
    if parts.scheme not in ("http", "https"):
        raise _refuse("url", shown, "must be an http:// or https:// URL")
    host = parts.hostname or ""
    if not host:
        raise _refuse("url", shown, "has no host")
    try:
        ascii_host = host if host.isascii() else host.encode("idna").decode("ascii")
    except UnicodeError:
        raise _refuse("url", shown, "the host name is not a valid domain name") from None
    return Target(parts.scheme, ascii_host, port or (443 if parts.scheme == "https" else 80))


def refusal(address: IpAddress) -> str | None:
    """Why deliveries to this address are refused unless private addresses are allowed; None if public."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    for reason, flagged in (
        ("a loopback address", address.is_loopback),
        ("a link-local address", address.is_link_local),
        ("an unspecified address", address.is_unspecified),
        ("a multicast address", address.is_multicast),
        ("a private address", address.is_private),
        ("a reserved address", address.is_reserved),
    ):
        if flagged:
            return reason
    return None if address.is_global else "not a public address"


def literal_address(host: str) -> IpAddress | None:
    """The IP address a host is written as, or None for a name."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_events(events: Iterable[str], known: Iterable[str]) -> list[str]:
    """The topics a subscription asks for, in order and without repeats; unknown ones are refused."""
    topics = sorted(set(known))
    wanted: list[str] = []
    errors = []
    for event in events:
        name = event.strip()
        if name and name not in topics:
            errors.append(FieldError("events", event[:200], f"unknown topic; known: {', '.join(topics)}"))
        elif name and name not in wanted:
            wanted.append(name)
    if errors:
        raise ValidationFailed(errors, f"events: {errors[0].value!r}: {errors[0].reason}")
    return wanted


def check_secret(secret: str) -> str:
    """A signing secret given by the user: 16–200 printable characters without spaces."""
    shown = "…"  # a refused secret is never echoed
    if not MIN_SECRET <= len(secret) <= MAX_SECRET:
        raise _refuse("secret", shown, f"must be {MIN_SECRET}–{MAX_SECRET} characters long")
    if not secret.isprintable() or any(c.isspace() for c in secret):
        raise _refuse("secret", shown, "must be printable characters without spaces")
    return secret


def secret_hint(secret: str | None) -> str | None:
    """What a listing shows of a secret: its last four characters."""
    return f"…{secret[-4:]}" if secret else None


def masked_url(url: str, kind: str) -> str:
    """A URL as listings show it: no user or password, no query, and for Slack-style hooks (whose path
    is the credential) only the end of the path."""
    parts = urlsplit(url)
    netloc = parts.netloc.rpartition("@")[2]
    path = parts.path
    if kind == SLACK and len(path) > 1:
        path = f"/…{path[-4:]}"
    query = "?…" if parts.query else ""
    return f"{parts.scheme}://{netloc}{path}{query}"
