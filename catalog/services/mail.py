"""Sending e-mail: every message is first stored (the mail outbox), then delivered over SMTP
when CHOVIET_SMTP_HOST is set; otherwise it is logged for development and stays readable
with `flask --app app mail outbox`."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from ..database import MAIL_FLAG, flag_for_commit, write_transaction
from ..extensions import db
from ..models import MailMessage
from ._common import utcnow

log = logging.getLogger(__name__)


def queue(to: str, subject: str, body: str) -> MailMessage:
    """Store a message in the current transaction; it is delivered after commit."""
    message = MailMessage(to=to, subject=subject, body=body)
    db.session.add(message)
    flag_for_commit(MAIL_FLAG)
    return message


def deliver_pending_quietly() -> int:
    """deliver_pending for request paths: a failure is logged, the message stays queued."""
    try:
        return deliver_pending()
    except Exception:
        log.exception("mail delivery failed; messages stay queued")
        db.session.rollback()
        return 0


def deliver_pending() -> int:
    """Deliver stored messages not sent yet. Returns how many went out (or were logged)."""
    messages = list(
        db.session.scalars(
            select(MailMessage).where(MailMessage.sent_at.is_(None), MailMessage.error.is_(None))
        )
    )
    db.session.commit()
    delivered = 0
    for message in messages:
        error = _deliver(message)
        with write_transaction():
            row = db.session.get(MailMessage, message.id)
            if row is None:
                continue
            if error:
                row.error = error[:500]
            else:
                row.sent_at = utcnow()
                delivered += 1
    return delivered


def _deliver(message: MailMessage) -> str | None:
    config = current_app.config
    if not config["SMTP_HOST"]:
        log.info("mail (not sent, no SMTP configured) to=%s subject=%s\n%s",
                 message.to, message.subject, message.body)  # fmt: skip
        return None
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.body)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], config["SMTP_PORT"], timeout=15) as smtp:
            if config["SMTP_STARTTLS"]:
                smtp.starttls()
            if config["SMTP_USER"]:
                smtp.login(config["SMTP_USER"], config["SMTP_PASSWORD"])
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail to %s failed: %s", message.to, exc)
        return str(exc)
    return None


def outbox(limit: int = 20) -> list[MailMessage]:
    stmt = select(MailMessage).order_by(MailMessage.id.desc()).limit(limit)
    return list(reversed(db.session.scalars(stmt).all()))
