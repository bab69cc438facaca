"""E-mail notifications through a real SMTP server: plain and HTML parts, to the owner or the notify list."""

from __future__ import annotations

from collections.abc import Callable

from liidi.domain.messages import LeadAssigned, LeadStageChanged
from liidi.services import outbox
from liidi.services.unit_of_work import UnitOfWork
from tests.e2e.test_serve import free_port
from tests.integration.test_dispatch import dispatcher, queue, run_until, statuses
from tests.receivers import smtp_server

NewUow = Callable[[], UnitOfWork]


def lead(owner: str | None) -> LeadAssigned:
    return LeadAssigned(
        person_id=7,
        owner=owner,
        team="nordics",
        rule="round_robin",
        reason="round robin in nordics",
        motion="low_touch",
        actor="routing",
        context={
            "person": {
                "id": 7,
                "name": "Anna Kivikoski",
                "title": "CTO <Security>",
                "email": "anna@kivikoski.fi",
            },
            "account": {"id": 3, "name": "Kivikoski Oy", "domain": "kivikoski.fi", "fit_grade": "B"},
            "score": 64,
            "why": ["+20 pricing page"],
            "themes": ["security", "cloud"],
            "buying_stage": "consideration",
            "sla_due": "2026-12-01T10:00:00Z",
        },
    )


def smtp(box_port: int, **values: object) -> dict[str, object]:
    return {"smtp_host": "127.0.0.1", "smtp_port": box_port, "smtp_starttls": False} | values


def test_an_assigned_lead_is_mailed_to_its_owner_with_plain_text_and_html(new_uow: NewUow) -> None:
    with smtp_server() as box, dispatcher(new_uow, **smtp(box.port, smtp_from="liidi@firma.fi")) as d:
        [message] = queue(new_uow, [lead("Mikko@Firma.fi")])
        run_until(d, lambda: statuses(new_uow) == {"delivered": 1})

    [(recipients, mail)] = box.messages
    assert recipients == ["mikko@firma.fi"] and mail["From"] == "liidi@firma.fi"
    assert mail["Subject"] == "Lead assigned to Mikko@Firma.fi: Anna Kivikoski"
    text = mail.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = mail.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    assert "Who: Anna Kivikoski, CTO <Security>" in text and "Kivikoski Oy (kivikoski.fi, fit B)" in text
    assert "themes: security, cloud" in text and "SLA due: 2026-12-01T10:00:00Z" in text
    assert "CTO &lt;Security&gt;" in html and "<Security>" not in html
    assert mail["Message-ID"].startswith(f"<liidi-{message}-email.")
    [delivery] = outbox.get_message(new_uow(), outbox_id=message)["deliveries"]
    assert (delivery["channel"], delivery["status"], delivery["attempts"]) == ("email", "delivered", 1)


def test_a_message_without_an_owner_goes_to_the_notify_addresses(new_uow: NewUow) -> None:
    values = smtp(0, notify_emails="sales@firma.fi, ops@firma.fi")
    with smtp_server() as box, dispatcher(new_uow, **(values | {"smtp_port": box.port})) as d:
        queue(new_uow, [lead(None)])
        run_until(d, lambda: statuses(new_uow) == {"delivered": 1})
    [(recipients, mail)] = box.messages
    assert recipients == ["sales@firma.fi", "ops@firma.fi"]
    assert mail["Subject"] == "Lead assigned to the nordics queue: Anna Kivikoski"


def test_only_the_configured_topics_are_mailed_and_nothing_without_a_recipient(new_uow: NewUow) -> None:
    change = LeadStageChanged(
        person_id=7,
        from_stage="mql",
        to_stage="sal",
        actor="rep",
        reason=None,
        qualified_by=None,
        model_version=None,
        occurred_ts=1.0,
    )
    with smtp_server() as box, dispatcher(new_uow, **smtp(box.port)) as d:
        queue(new_uow, [change, lead(None)])  # no owner, no notify list
        run_until(d, lambda: statuses(new_uow) == {"delivered": 2})
    assert box.messages == []
    assert all(m["deliveries"] == {} for m in outbox.list_messages(new_uow()))


def test_an_smtp_server_that_is_down_is_retried_until_it_is_up(new_uow: NewUow) -> None:
    port = free_port()
    with dispatcher(new_uow, **smtp(port)) as d:
        [message] = queue(new_uow, [lead("mikko@firma.fi")])
        run_until(d, lambda: (outbox.get_message(new_uow(), outbox_id=message)["attempts"] or 0) >= 2)
        assert "ConnectionRefusedError" in outbox.get_message(new_uow(), outbox_id=message)["last_error"]
        with smtp_server(port) as box:
            run_until(d, lambda: statuses(new_uow) == {"delivered": 1})
    assert len(box.messages) == 1
