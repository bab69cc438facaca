"""SMTP e-mail: a plain and an HTML part rendered from the message, to its owner or the notify addresses."""

from __future__ import annotations

import html
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate

from liidi.config import Settings
from liidi.domain.delivery import email_recipients
from liidi.notify.render import Note, note_for, plain
from liidi.services.deliveries import Work


def html_of(note: Note) -> str:
    """The note as a small HTML document; every value is escaped."""
    rows = "".join(
        f'<tr><th align="left" valign="top">{html.escape(label)}</th>'
        f"<td>{'<br>'.join(html.escape(line) for line in lines)}</td></tr>"
        for label, lines in note.fields
    )
    title = html.escape(note.title)
    return (
        f'<!doctype html><html><body><h2 style="font-family:sans-serif">{title}</h2>'
        f'<table cellpadding="4" style="font-family:sans-serif">{rows}</table></body></html>'
    )


def message_of(work: Work, *, sender: str, recipients: list[str]) -> EmailMessage:
    """The e-mail of one message: subject, plain text and HTML alternative, a stable Message-ID."""
    note = note_for(work.topic, work.payload)
    mail = EmailMessage()
    mail["Subject"] = " ".join(note.title.split())[:200]
    mail["From"] = sender
    mail["To"] = ", ".join(recipients)
    mail["Date"] = formatdate(work.created_ts, usegmt=True)
    domain = sender.rpartition("@")[2] or "localhost"
    # The same on every try and replay, so a mail system that saw it already can drop the copy.
    mail["Message-ID"] = f"<{work.idempotency_key}.{work.created_ts:.0f}@{domain}>"
    mail["X-Liidi-Topic"] = work.topic
    mail["X-Liidi-Idempotency-Key"] = work.idempotency_key
    mail.set_content(plain(note))
    mail.add_alternative(html_of(note), subtype="html")
    return mail


def deliver(work: Work, settings: Settings) -> str | None:
    """Send one message by SMTP; None when the server accepted it for every recipient."""
    if not settings.smtp_host:
        return "no SMTP server is set (LIIDI_SMTP_HOST)"
    recipients = email_recipients(work.payload, settings.notify_addresses)
    if not recipients:
        return "no recipient: the message has no owner and LIIDI_NOTIFY_EMAILS is empty"
    mail = message_of(work, sender=settings.smtp_from, recipients=recipients)
    try:
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.delivery_timeout_seconds
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password.get_secret_value())
            refused = smtp.send_message(mail)
    except (OSError, smtplib.SMTPException) as error:
        return f"SMTP: {type(error).__name__}: {error}"[:500]
    if refused:
        return f"SMTP refused {', '.join(sorted(refused))}"
    return None
