"""Small builders for test input."""

from __future__ import annotations

from typing import Any

NOW = 1_793_000_000.0  # 2026-10-26T07:33:20Z, a fixed "now" for services


def event(type_: str = "page_view", *, ts: float = NOW - 3600, **fields: Any) -> dict[str, Any]:
    """A raw event as the API receives it."""
    raw: dict[str, Any] = {"type": type_, "occurred_at": ts}
    raw.update(fields)
    return raw


def publish(new_uow: Any, text: str, name: str | None = None) -> str:
    """Store a model text as the published version 1 of its name (as `liidi model publish` would)."""
    from liidi.domain.scoring import load_model_text

    model = load_model_text(text, "test.yaml")
    with new_uow() as uow:
        uow.models.add(
            {
                "name": name or model.name,
                "version": uow.models.next_version(model.name),
                "status": "published",
                "source": text,
                "fingerprint": model.fingerprint(),
                "created_ts": NOW,
                "published_ts": NOW,
                "author": "test",
            }
        )
        uow.commit()
    return model.name


def person_with_ids(
    new_uow: Any, *, email: str | None = None, external_ids: tuple[str, ...] = (), **values: Any
) -> int:
    """A person known by an e-mail and/or external ids (identities of kind external_id, in this order)."""
    with new_uow() as uow:
        person_id = int(uow.people.add({"email": email, **values}, NOW))
        if email is not None:
            uow.identities.add("email", email, person_id, NOW)
        for value in external_ids:
            uow.identities.add("external_id", value, person_id, NOW)
        uow.commit()
    return person_id
