"""Webhook and Slack subscriptions: added with a checked public target, listed without secrets, removed."""

from __future__ import annotations

import secrets
import socket
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from liidi.domain.messages import KINDS as TOPICS
from liidi.domain.webhooks import (
    KINDS,
    SLACK,
    WEBHOOK,
    IpAddress,
    Target,
    check_events,
    check_secret,
    literal_address,
    masked_url,
    parse_target,
    refusal,
    secret_hint,
)
from liidi.errors import FieldError, NotFound, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.unit_of_work import UnitOfWork

Resolver = Callable[[str, int], list[IpAddress]]


def resolve(host: str, port: int) -> list[IpAddress]:
    """Every address a host name resolves to (a literal address is itself)."""
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    found = [literal_address(str(info[4][0]).split("%")[0]) for info in infos]
    return list(dict.fromkeys(a for a in found if a is not None))


def public_addresses(
    url: str, *, allow_private: bool, resolver: Resolver = resolve
) -> tuple[Target, list[IpAddress]]:
    """The URL's target and the addresses to connect to; ValidationFailed naming `url` when it is not
    http(s), does not resolve, or (unless `allow_private`) any of its addresses is not public."""
    target = parse_target(url)
    try:
        addresses = resolver(target.host, target.port)
    except (OSError, UnicodeError) as error:
        reason = f"the host {target.host} does not resolve ({getattr(error, 'strerror', None) or error})"
        raise ValidationFailed([FieldError("url", url[:200], reason)], f"url: {reason}") from None
    if not addresses:
        reason = f"the host {target.host} does not resolve"
        raise ValidationFailed([FieldError("url", url[:200], reason)], f"url: {reason}")
    for address in addresses:
        why = None if allow_private else refusal(address)
        if why:
            where = target.host if target.host.strip("[]") == str(address) else f"{target.host} ({address})"
            reason = (
                f"{where} is {why}; webhooks go to public addresses unless LIIDI_WEBHOOK_ALLOW_PRIVATE is on"
            )
            raise ValidationFailed([FieldError("url", url[:200], reason)], f"url: {reason}")
    return target, addresses


@dataclass(frozen=True, slots=True)
class Added:
    """A new subscription; `secret` is set only when liidi generated it, and is shown this once."""

    id: int
    kind: str
    url: str
    events: list[str]
    secret: str | None
    secret_hint: str | None


def add_subscription(
    uow: UnitOfWork,
    *,
    url: str,
    kind: str = WEBHOOK,
    secret: str | None = None,
    events: list[str] | None = None,
    allow_private: bool = False,
    resolver: Resolver = resolve,
    now: float | None = None,
) -> Added:
    """Check and store a target: a webhook is signed with `secret` (generated when not given)."""
    if kind not in KINDS:
        raise ValidationFailed([FieldError("kind", kind, f"must be one of {', '.join(KINDS)}")])
    if "\x00" in url:
        raise ValidationFailed([FieldError("url", url[:200], "must not contain the NUL character")])
    topics = check_events(events or [], TOPICS)
    generated = None
    if kind == SLACK and secret is not None:
        reason = "Slack-style hooks are not signed; leave the secret out"
        raise ValidationFailed([FieldError("secret", "…", reason)], f"secret: {reason}")
    if kind == WEBHOOK:
        generated = None if secret is not None else f"whsec_{secrets.token_urlsafe(32)}"
        secret = check_secret(secret) if secret is not None else generated
    public_addresses(url, allow_private=allow_private, resolver=resolver)
    with uow:
        new_id = uow.subscriptions.add(kind=kind, url=url, secret=secret, events=topics, now=resolve_now(now))
        uow.commit()
    return Added(new_id, kind, masked_url(url, kind), topics, generated, secret_hint(secret))


def shown(row: dict[str, Any]) -> dict[str, Any]:
    """A subscription as lists show it: the URL masked, a hint of the secret, never the secret."""
    return {
        "id": row["id"],
        "kind": row["kind"],
        "url": masked_url(row["url"], row["kind"]),
        "events": list(row["events"]),
        "secret_hint": secret_hint(row["secret"]),
        "created_ts": row["created_ts"],
    }


def list_subscriptions(uow: UnitOfWork) -> list[dict[str, Any]]:
    """Every active subscription, oldest first, without secrets."""
    with uow:
        return [shown(row) for row in uow.subscriptions.active()]


def remove_subscription(uow: UnitOfWork, *, subscription_id: int, now: float | None = None) -> None:
    """Stop delivering to a target (its pending deliveries are cancelled); NotFound if not active."""
    with uow:
        if not uow.subscriptions.remove(subscription_id, resolve_now(now)):
            raise NotFound(f"no active webhook with id {subscription_id}")
        uow.commit()
