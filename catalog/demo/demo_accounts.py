"""Producer accounts for a few demo producers, so the demo shows the order-request form (it
appears only for producers someone can answer for) and a producer's inbox.

The accounts have no password and an address under the reserved `.invalid` domain: nobody can
sign in until a password is set through "Quên mật khẩu", whose link waits in the mail outbox
(`flask --app app mail outbox`) while no SMTP server is configured — the README says how.
"""

from __future__ import annotations

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Producer, User
from catalog.models.visibility import producer_is_public
from catalog.platform.clock import utcnow

ACCOUNT_COUNT = 3
DOMAIN = "demo.choviet.invalid"


def demo_address(producer: Producer) -> str:
    return f"{producer.slug}@{DOMAIN}"


def create_producer_accounts() -> list[User]:
    """Accounts for the trusted demo producers first, then the largest ones."""
    producers = db.session.scalars(
        select(Producer).where(producer_is_public()).order_by(Producer.id)
    ).all()
    producers = sorted(producers, key=lambda p: (not p.trusted, -len(p.products), p.id))
    made = []
    with write_transaction():
        for producer in producers[:ACCOUNT_COUNT]:
            email = demo_address(producer)
            if db.session.scalar(select(User.id).where(User.email == email)) is not None:
                continue
            user = User(
                email=email,
                display_name=f"{producer.name} (tài khoản mẫu)",
                role="producer",
                producer_id=producer.id,
                password_hash=None,
                email_verified_at=utcnow(),
            )
            db.session.add(user)
            made.append(user)
    return made
