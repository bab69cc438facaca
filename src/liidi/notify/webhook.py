"""Signed JSON webhooks: the body, the signature headers, and a POST to a checked, pinned address.

Body: `{"id", "topic", "created_at", "data"}`. Headers: `X-Liidi-Timestamp` (epoch seconds of the try),
`X-Liidi-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<body>" with the subscription's secret>`,
`Idempotency-Key` (the same on every try and replay of one message to one subscription).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from typing import Any

import httpx

from liidi.errors import LiidiError
from liidi.notify.render import iso
from liidi.services.deliveries import Work
from liidi.services.webhooks import public_addresses

USER_AGENT = "liidi-webhooks/1"
KEEP_OF_REPLY = 300


class Clients:
    """One HTTP client per host name: connections go to a pinned address, so a pooled connection (and
    its TLS server name) is never shared by two host names that resolve to the same address."""

    def __init__(self, timeout: float) -> None:
        self.timeout = httpx.Timeout(timeout)
        self._clients: dict[str, httpx.Client] = {}
        self._lock = threading.Lock()

    def for_host(self, host: str) -> httpx.Client:
        """The client for a host name (made on first use; proxies from the environment are ignored)."""
        with self._lock:
            client = self._clients.get(host)
            if client is None:
                client = httpx.Client(timeout=self.timeout, trust_env=False, follow_redirects=False)
                self._clients[host] = client
            return client

    def close(self) -> None:
        """Close every client."""
        with self._lock:
            for client in self._clients.values():
                client.close()
            self._clients.clear()


def body_of(work: Work) -> bytes:
    """The JSON a webhook receives."""
    body = {
        "id": work.outbox_id,
        "topic": work.topic,
        "created_at": iso(work.created_ts),
        "data": work.payload,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"), default=str).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """`sha256=` and the hex HMAC-SHA256 of `timestamp.body` under the secret."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def headers_of(work: Work, body: bytes, now: float | None = None) -> dict[str, str]:
    """The headers of one try: content type, idempotency key and, with a secret, the signature."""
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Idempotency-Key": work.idempotency_key,
    }
    if work.secret:
        stamp = str(int(time.time() if now is None else now))
        headers |= {"X-Liidi-Timestamp": stamp, "X-Liidi-Signature": signature(work.secret, stamp, body)}
    return headers


def post(
    clients: Clients, url: str, body: bytes, headers: dict[str, str], *, allow_private: bool
) -> str | None:
    """POST to the URL's checked address (resolved again now, and connected to directly so the name
    cannot point elsewhere in between); None on a 2xx reply, else why the try failed."""
    try:
        target, addresses = public_addresses(url, allow_private=allow_private)
    except LiidiError as refused:
        return f"refused: {refused.message}"
    pinned = httpx.URL(url).copy_with(host=str(addresses[0]))
    extensions: dict[str, Any] = {"sni_hostname": target.host} if target.scheme == "https" else {}
    host = httpx.URL(url).netloc.decode("ascii")
    client = clients.for_host(target.host)
    try:
        with client.stream(
            "POST", pinned, content=body, headers=headers | {"Host": host}, extensions=extensions
        ) as reply:
            if 200 <= reply.status_code < 300:
                return None
            return f"HTTP {reply.status_code}: {_start_of(reply)}".rstrip(": ")
    except httpx.TimeoutException:
        return f"timed out after {client.timeout.read} s"
    except httpx.HTTPError as error:
        return f"{type(error).__name__}: {error}"[:KEEP_OF_REPLY]


def _start_of(reply: httpx.Response) -> str:
    """The first few hundred bytes of a reply's body, as one line (a hostile receiver may send a lot)."""
    got = b""
    for chunk in reply.iter_raw():
        got += chunk
        if len(got) >= KEEP_OF_REPLY:
            break
    return " ".join(got[:KEEP_OF_REPLY].decode("utf-8", "replace").split())


def deliver(clients: Clients, work: Work, *, allow_private: bool) -> str | None:
    """Send one message to one webhook subscription; None when it was accepted."""
    if not work.url:
        return "the subscription has no URL"
    body = body_of(work)
    return post(clients, work.url, body, headers_of(work, body), allow_private=allow_private)
