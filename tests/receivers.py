"""Real receivers for delivery tests: a threaded HTTP server that can fail or stall, and an SMTP server."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    """One request as the receiver got it."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """An idempotent webhook receiver: answers 500 to the first `fail_first` requests, waits `delay`
    seconds before answering, checks signatures when it knows the secret, and keeps each
    Idempotency-Key's first accepted body once."""

    fail_first: int = 0
    delay: float = 0.0
    secret: str | None = None
    requests: list[Seen] = field(default_factory=list)
    accepted: dict[str, Seen] = field(default_factory=dict)
    bad_signatures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def handle(self, seen: Seen) -> int:
        """The status to answer with."""
        with self.lock:
            self.requests.append(seen)
            count = len(self.requests)
        if self.delay:
            time.sleep(self.delay)
        if count <= self.fail_first:
            return 500
        if self.secret is not None and not self.signed(seen):
            with self.lock:
                self.bad_signatures += 1
            return 401
        with self.lock:
            self.accepted.setdefault(seen.headers.get("Idempotency-Key", ""), seen)
        return 204

    def signed(self, seen: Seen) -> bool:
        """The receiver's side of the signature check (as docs/notifications.md shows it)."""
        stamp = seen.headers.get("X-Liidi-Timestamp", "")
        expected = hmac.new(
            (self.secret or "").encode(), stamp.encode() + b"." + seen.body, hashlib.sha256
        ).hexdigest()
        given = seen.headers.get("X-Liidi-Signature", "")
        return hmac.compare_digest(f"sha256={expected}", given)

    def keys(self) -> list[str]:
        """Idempotency-Key of every request, in arrival order."""
        with self.lock:
            return [s.headers.get("Idempotency-Key", "") for s in self.requests]


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            seen = Seen(self.path, dict(self.headers.items()), body, time.time())
            status = receiver.handle(seen)
            try:
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()
            except OSError:
                pass  # the client went away meanwhile (a killed worker)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    """A threaded server whose listen backlog takes several workers' connections opened together."""

    daemon_threads = True
    request_queue_size = 128


@contextmanager
def receiving(receiver: Receiver | None = None) -> Iterator[Receiver]:
    """A receiver listening on 127.0.0.1 until the block ends; its `url` is set."""
    receiver = receiver or Receiver()
    server = _Server(("127.0.0.1", 0), _handler(receiver))
    receiver.url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receiver
    finally:
        server.shutdown()
        server.server_close()


@dataclass
class Mailbox:
    """Messages a real SMTP server (aiosmtpd) accepted."""

    host: str = "127.0.0.1"
    port: int = 0
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))  # type: ignore[arg-type]
        return "250 OK"


@contextmanager
def smtp_server(port: int | None = None) -> Iterator[Mailbox]:
    """An SMTP server on 127.0.0.1 (at a free port unless given) until the block ends."""
    from aiosmtpd.controller import Controller

    from tests.e2e.test_serve import free_port

    box = Mailbox(port=port or free_port())
    controller = Controller(box, hostname=box.host, port=box.port)
    controller.start()
    try:
        yield box
    finally:
        controller.stop()


def wait_until(check: Any, timeout: float = 20.0, every: float = 0.05) -> bool:
    """Poll `check()` until it is true or the time is up; its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(every)
    return bool(check())
