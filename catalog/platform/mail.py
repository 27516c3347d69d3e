"""Sending e-mail: every message is first stored (the mail outbox, table mail_messages), then
delivered over SMTP after the transaction commits when CHOVIET_SMTP_HOST is set.

Without SMTP (development) nothing is sent: each message is written to the log when queued
and stays in the outbox, readable with `flask --app app mail outbox`. Outside development
the log gets a warning only, never the body (it holds sign-in links).
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from typing import Any, cast

from flask import current_app
from sqlalchemy import CursorResult, select, update

from catalog.database import MAIL_FLAG, flag_for_commit, write_transaction
from catalog.extensions import db
from catalog.models import MailMessage
from catalog.platform.clock import utcnow

log = logging.getLogger(__name__)


def queue(to: str, subject: str, body: str) -> MailMessage:
    """Store a message in the current transaction; it is delivered after commit."""
    message = MailMessage(to=to, subject=subject, body=body)
    db.session.add(message)
    config = current_app.config
    if config["SMTP_HOST"]:
        flag_for_commit(MAIL_FLAG)
    elif config["ENV_NAME"] == "production":
        log.warning("mail to %s queued but not sent: CHOVIET_SMTP_HOST is not set", to)
    else:
        log.info(
            "mail queued (no SMTP configured, not sent) to=%s\nSubject: %s\n\n%s",
            to,
            subject,
            body,
        )
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
    """Send stored messages not sent yet over SMTP. Returns how many went out.

    Each message is claimed (sent_at set) in its own transaction before it is sent, so two
    processes never send the same message twice; a failed send records the error instead.
    """
    if not current_app.config["SMTP_HOST"]:
        return 0
    ids = list(
        db.session.scalars(
            select(MailMessage.id).where(MailMessage.sent_at.is_(None), MailMessage.error.is_(None))
        )
    )
    db.session.commit()
    delivered = 0
    for message_id in ids:
        with write_transaction():
            claim = db.session.execute(
                update(MailMessage)
                .where(
                    MailMessage.id == message_id,
                    MailMessage.sent_at.is_(None),
                    MailMessage.error.is_(None),
                )
                .values(sent_at=utcnow())
            )
            # An UPDATE's result is a CursorResult (the one with rowcount); execute() is
            # typed with the Result every statement gives.
            claimed = cast(CursorResult[Any], claim).rowcount
            message = db.session.get(MailMessage, message_id) if claimed else None
        if message is None:
            continue
        error = _send(message)
        if error:
            with write_transaction():
                message.sent_at = None
                message.error = error[:500]
        else:
            delivered += 1
    return delivered


def _send(message: MailMessage) -> str | None:
    config = current_app.config
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
        return str(exc) or exc.__class__.__name__
    return None


def outbox(limit: int = 20, *, unsent: bool = False) -> list[MailMessage]:
    """The latest stored messages, oldest first (newest last)."""
    stmt = select(MailMessage)
    if unsent:
        stmt = stmt.where(MailMessage.sent_at.is_(None))
    stmt = stmt.order_by(MailMessage.id.desc()).limit(limit)
    return list(reversed(db.session.scalars(stmt).all()))
