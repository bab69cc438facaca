"""API keys: created with a scope, stored hashed, shown once."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from enum import StrEnum

from liidi.errors import FieldError, Forbidden, Unauthorized, ValidationFailed
from liidi.services.clock import resolve_now
from liidi.services.unit_of_work import UnitOfWork

KEY_PREFIX = "liidi"


class Scope(StrEnum):
    """What a key may do: `ingest` sends events and identify calls; `admin` may do everything."""

    INGEST = "ingest"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class CreatedKey:
    """A new key; `secret` is the only time the full key is available."""

    prefix: str
    scope: Scope
    secret: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_key(uow: UnitOfWork, *, scope: str, name: str = "", now: float | None = None) -> CreatedKey:
    """Create a key of a scope; only its hash is stored."""
    try:
        chosen = Scope(scope)
    except ValueError:
        raise ValidationFailed([FieldError("scope", scope, "must be one of ingest, admin")]) from None
    prefix = secrets.token_hex(6)
    secret = f"{KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(24)}"
    with uow:
        uow.keys.add(
            prefix=prefix,
            key_hash=_hash(secret),
            scope=chosen.value,
            name=name or chosen.value,
            now=resolve_now(now),
        )
        uow.commit()
    return CreatedKey(prefix, chosen, secret)


def authenticate(uow: UnitOfWork, *, presented: str | None, needs: Scope) -> Scope:
    """Check a key (read afresh: a revoke anywhere counts at once) and that its scope covers `needs`."""
    if not presented:
        raise Unauthorized("an API key is required: send 'Authorization: Bearer <key>'")
    parts = presented.strip().split("_")
    if len(parts) < 3 or parts[0] != KEY_PREFIX:
        raise Unauthorized("the API key is malformed")
    with uow:
        row = uow.keys.by_prefix(parts[1])
    if (
        row is None
        or row["revoked_ts"] is not None
        or not hmac.compare_digest(row["key_hash"], _hash(presented.strip()))
    ):
        raise Unauthorized("the API key is invalid or revoked")
    return require(Scope(row["scope"]), needs)


def require(scope: Scope, needs: Scope) -> Scope:
    """The scope if it covers what is asked; Forbidden otherwise."""
    if needs is Scope.ADMIN and scope is not Scope.ADMIN:
        raise Forbidden(f"this request needs an admin key; the key's scope is {scope.value}")
    return scope


def list_keys(uow: UnitOfWork) -> list[dict[str, object]]:
    """Every key without its hash."""
    with uow:
        rows = uow.keys.list()
    return [{k: v for k, v in row.items() if k != "key_hash"} for row in rows]


def revoke_key(uow: UnitOfWork, *, prefix: str, now: float | None = None) -> bool:
    """Revoke a key by its prefix."""
    with uow:
        done = uow.keys.revoke(prefix, resolve_now(now))
        uow.commit()
    return done
