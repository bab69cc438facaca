"""The hand-over as a new user meets it: `liidi demo start`, then `liidi serve` with a webhook target and an
SMTP server; a hand-raiser sent over HTTP is routed, announced and put on an SLA clock within a second."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import httpx
from sqlalchemy import text

from liidi.storage import session
from tests.e2e.test_serve import LIIDI, env_for, free_port, running_server
from tests.receivers import Receiver, receiving, smtp_server, wait_until

ROOT = Path(__file__).resolve().parents[2]
SECRET = "whsec_demo_receiver_0123456789"


def _demo(url: str) -> str:
    """`liidi demo start --no-serve` from the project's directory; the admin key it prints."""
    args = [LIIDI, "demo", "start", "--accounts", "60", "--months", "3", "--no-serve"]
    done = subprocess.run(args, env=env_for(url), cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "sla@v1 in force" in done.stdout and "routing@v1 in force" in done.stdout
    found = re.search(r"admin API key: (\S+)", done.stdout)
    assert found, done.stdout
    drained = subprocess.run([LIIDI, "worker", "--once"], env=env_for(url), capture_output=True, text=True)
    assert drained.returncode == 0, drained.stderr  # the generated history's messages, before any target
    return found.group(1)


def _mid_size_domain(url: str) -> str:
    """A demo account a hand-raiser from which is called (low or high touch), by its domain."""
    with session.make_engine(url).connect() as conn:
        query = "SELECT domain FROM accounts WHERE employees >= 50 AND domain IS NOT NULL ORDER BY id LIMIT 1"
        return str(conn.execute(text(query)).scalar_one())


def test_in_the_demo_a_hand_raiser_is_routed_announced_and_on_the_clock_within_a_second(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'liidi.db'}"
    key = _demo(url)
    email = f"uusi.paattaja@{_mid_size_domain(url)}"
    port = free_port()
    auth = {"Authorization": f"Bearer {key}"}
    with receiving(Receiver(secret=SECRET)) as hook, smtp_server() as box:
        env = {
            "LIIDI_WEBHOOK_ALLOW_PRIVATE": "true",
            "LIIDI_SMTP_HOST": box.host,
            "LIIDI_SMTP_PORT": str(box.port),
            "LIIDI_SMTP_STARTTLS": "false",
            "LIIDI_DISPATCH_INTERVAL_SECONDS": "0.1",
        }
        with running_server(url, port, env=env):
            api = f"http://127.0.0.1:{port}"
            added = httpx.post(
                f"{api}/v1/webhooks",
                json={"url": hook.url, "secret": SECRET, "events": ["lead.assigned"]},
                headers=auth,
            )
            assert added.status_code == 201, added.text
            start = time.monotonic()
            sent = httpx.post(
                f"{api}/v1/events",
                json={"events": [{"type": "demo_request", "email": email}]},
                headers=auth,
            )
            assert sent.status_code == 200, sent.text
            assert wait_until(lambda: bool(hook.accepted and box.messages), timeout=10)
            elapsed = time.monotonic() - start
            waiting = httpx.get(f"{api}/v1/leads", params={"limit": 500}, headers=auth).json()

    assert elapsed < 1.0, f"from the request to the webhook and the e-mail took {elapsed:.2f} s"
    [delivered] = hook.accepted.values()
    data = delivered.json()["data"]
    assert hook.bad_signatures == 0 and data["owner"] and data["context"]["hand_raiser"]
    [(recipients, mail)] = box.messages
    assert recipients == [data["owner"]] and email in mail.get_body(("plain",)).get_content()
    [lead] = [item for item in waiting["items"] if item["person"]["email"] == email]
    assert lead["person"]["owner"] == data["owner"] and lead["assignment"]["owner"] == data["owner"]
    assert lead["sla"]["status"] == "open", "the clock runs and has not breached yet"
    assert lead["sla"]["policy"] == "hand-raiser" and lead["sla"]["due_at"] == data["context"]["sla_due"]
