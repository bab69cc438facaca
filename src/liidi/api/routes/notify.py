"""Webhook and outbox routes (admin key): subscriptions without their secrets, messages, replays."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response
from pydantic import Field

from liidi.api.deps import AdminKey, AppSettings, KeyedRoute, Uow
from liidi.api.params import Limit
from liidi.api.replies import Reply
from liidi.api.responses import READ, WRITE
from liidi.api.schemas import Strict
from liidi.domain.bounds import MAX_INT64
from liidi.domain.webhooks import KINDS, MAX_SECRET, MAX_URL_LENGTH
from liidi.services import outbox, webhooks

webhooks_router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], route_class=KeyedRoute)
outbox_router = APIRouter(prefix="/v1/outbox", tags=["outbox"], route_class=KeyedRoute)
SubscriptionId = Annotated[int, Path(ge=1, le=MAX_INT64, description="A webhook's id.")]
MessageId = Annotated[int, Path(ge=1, le=MAX_INT64, description="An outbox message's id.")]


class WebhookIn(Strict):
    """A target for outbox messages."""

    url: str = Field(
        ..., min_length=1, max_length=MAX_URL_LENGTH, description="An http(s) URL on a public address."
    )
    kind: str = Field(
        "webhook", description=f"One of {', '.join(KINDS)}: signed JSON, or Slack text and blocks."
    )
    secret: str | None = Field(
        None,
        max_length=MAX_SECRET,
        description="Signing secret (16–200 characters); generated when left out.",
    )
    events: list[Annotated[str, Field(max_length=100)]] = Field(
        default_factory=list, max_length=50, description="Topics to receive; empty: every topic."
    )


class WebhookOut(Reply):
    """A webhook as lists show it: the URL masked, the secret never (only its last four characters)."""

    id: int
    kind: str
    url: str
    events: list[str]
    secret_hint: str | None
    created_ts: float | None = None


class WebhookAdded(WebhookOut):
    """A new webhook; `secret` is present only when it was generated, and is not shown again."""

    secret: str | None = None


class WebhooksOut(Reply):
    """Every active webhook."""

    items: list[WebhookOut]


class DeliveryOut(Reply):
    """One message's delivery to one target."""

    id: int
    target: str
    channel: str
    subscription_id: int | None
    url: str | None
    status: str = Field(..., description="pending, delivered, dead or cancelled.")
    attempts: int
    next_ts: float
    last_error: str | None
    delivered_ts: float | None


class MessageOut(Reply):
    """An outbox message with how many of its deliveries are in each status."""

    id: int
    topic: str
    status: str = Field(..., description="pending, delivered or dead.")
    attempts: int
    created_ts: float
    available_ts: float
    delivered_ts: float | None
    last_error: str | None
    deliveries: dict[str, int]


class MessageDetail(Reply):
    """An outbox message with its payload and each delivery."""

    id: int
    topic: str
    status: str
    attempts: int
    created_ts: float
    available_ts: float
    delivered_ts: float | None
    last_error: str | None
    payload: dict[str, Any]
    deliveries: list[DeliveryOut]


class MessagesOut(Reply):
    """A page of messages, newest first; `next_before` is the cursor of the next page (null on the last)."""

    items: list[MessageOut]
    next_before: int | None


class ReplayOut(Reply):
    """A replayed message: pending again, with how many deliveries will be sent."""

    id: int
    status: str
    deliveries: int


@webhooks_router.get("", response_model=WebhooksOut, responses=READ)
def list_webhooks(uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Every active webhook, oldest first; secrets are never returned."""
    return {"items": webhooks.list_subscriptions(uow)}


@webhooks_router.post("", status_code=201, response_model=WebhookAdded, responses=WRITE)
def add_webhook(body: WebhookIn, uow: Uow, settings: AppSettings, _key: AdminKey) -> dict[str, Any]:
    """Add a target; 422 names the field when the URL is not http(s), does not resolve or is private."""
    added = webhooks.add_subscription(
        uow,
        url=body.url,
        kind=body.kind,
        secret=body.secret,
        events=body.events,
        allow_private=settings.webhook_allow_private,
    )
    reply = {"id": added.id, "kind": added.kind, "url": added.url, "events": added.events}
    return reply | {"secret_hint": added.secret_hint, "secret": added.secret}


@webhooks_router.delete("/{subscription_id}", status_code=204, response_class=Response, responses=WRITE)
def remove_webhook(subscription_id: SubscriptionId, uow: Uow, _key: AdminKey) -> Response:
    """Stop sending to a webhook; its deliveries still waiting are cancelled."""
    webhooks.remove_subscription(uow, subscription_id=subscription_id)
    return Response(status_code=204)


@outbox_router.get("", response_model=MessagesOut, responses=READ)
def list_outbox(
    uow: Uow,
    _key: AdminKey,
    status: str | None = Query(None, max_length=20, description="pending, delivered or dead."),
    failed: bool = Query(False, description="Only dead messages and those waiting for a retry."),
    before: int = Query(0, ge=0, le=MAX_INT64, description="Cursor: only messages with a lower id."),
    limit: Limit = 50,
) -> dict[str, Any]:
    """Messages newest first, each with its deliveries counted by status."""
    items = outbox.list_messages(uow, status=status, failed=failed, before=before, limit=limit)
    return {"items": items, "next_before": items[-1]["id"] if len(items) == limit else None}


@outbox_router.get("/{message_id}", response_model=MessageDetail, responses=READ)
def get_outbox_message(message_id: MessageId, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """One message with its payload and each delivery's status, tries, next try and last error."""
    return outbox.get_message(uow, outbox_id=message_id)


@outbox_router.post("/{message_id}/replay", status_code=202, response_model=ReplayOut, responses=WRITE)
def replay_outbox_message(message_id: MessageId, uow: Uow, _key: AdminKey) -> dict[str, Any]:
    """Deliver a dead or delivered message again (its dead deliveries, else the delivered ones); 409
    while it is still pending."""
    return outbox.replay(uow, outbox_id=message_id)
