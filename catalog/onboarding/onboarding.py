"""Assisted onboarding: an official registers a producer of their province and its products
on its behalf, then hands the profile over with a one-time link (e-mailed or printed).

Many co-operatives will never sign up alone. The official vouches for what they enter, so
the producer is active and its products published at once (source "official"), through the
same profile rules as self-registration. The link carries a random token of which only a
SHA-256 hash is stored; it works once, for 30 days, and a new link cancels older ones.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update

from catalog.accounts import accounts
from catalog.accounts.email_addresses import account_email
from catalog.certificates import claims
from catalog.database import write_transaction
from catalog.errors import Forbidden, Invalid
from catalog.extensions import db
from catalog.listings import profiles
from catalog.listings.listing_uploads import Upload
from catalog.listings.listing_values import MAX_ALT, replace_images
from catalog.models import Producer, ProducerHandover, Product, User
from catalog.platform import audit, mail, outbox
from catalog.platform.clock import utcnow
from catalog.platform.department import department_name
from catalog.platform.links import site_url
from catalog.platform.photo_uploads import store_photo
from catalog.platform.slugs import unique_slug
from catalog.platform.tokens import token_hash
from catalog.platform.vietnamese import clean_text, normalize_key

SOURCE = "official"
HANDOVER_DAYS = 30
MAX_TOKEN = 200
PRODUCT_FIELDS = ("category_id", "description", "price_vnd", "unit")


class OnboardingError(Invalid):
    """A polite reason the step was refused; `field` names the form field."""


class HandoverInvalid(LookupError):
    """The link cannot be used: reason is "unknown", "used" or "expired"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# -- the producer -----------------------------------------------------------------------------


def register_producer(official: User, values: dict[str, Any]) -> Producer:
    """Create an active producer in the official's province, with its audit entry."""
    province_id = values.get("province_id")
    if not province_id or not official.covers(int(province_id)):
        raise Forbidden()
    try:
        clean = profiles.clean_values(values)  # same rules as the producer's own profile
    except profiles.ProfileError as exc:
        raise OnboardingError(str(exc), exc.field) from exc
    name = clean_text(clean.get("name") or "")
    if not name:
        raise OnboardingError("Vui lòng nhập tên cơ sở.", "name")
    ward = profiles.ward_name(province_id, clean.get("ward_code"))
    if clean.get("ward_code") is not None and ward is None:
        raise OnboardingError("Phường/xã này không thuộc tỉnh đã chọn.", "ward_code")
    with write_transaction():
        if clean.get("tax_code") and profiles.find_by_tax_code(clean["tax_code"]):
            raise OnboardingError(
                "Mã số thuế này đã có trong danh mục. Hãy tìm cơ sở đó thay vì đăng ký mới.",
                "tax_code",
            )
        producer = Producer(
            slug=unique_slug(Producer, name),
            name_key=normalize_key(name),
            status="active",
            source=SOURCE,
            ward_name=ward,
        )
        for field_name, value in clean.items():
            setattr(producer, field_name, value)
        producer.name = name
        db.session.add(producer)
        db.session.flush()
        audit.record(
            official,
            "onboard.producer",
            "producer",
            producer.id,
            after={k: getattr(producer, k) for k in (*profiles.FIELDS, "status", "source")},
        )
    return producer


def producer_for(official: User, producer_id: int) -> Producer | None:
    """The producer if it exists (None → 404); Forbidden when not the official's."""
    producer = db.session.get(Producer, producer_id)
    if producer is None:
        return None
    if not official.covers(producer.province_id):
        raise Forbidden()
    return producer


def has_accounts(producer: Producer) -> bool:
    """Whether someone already manages the profile (then it is theirs to edit)."""
    return db.session.scalar(select(User.id).where(User.producer_id == producer.id)) is not None


def products_of(producer: Producer) -> list[Product]:
    stmt = select(Product).where(Product.producer_id == producer.id).order_by(Product.id)
    return list(db.session.scalars(stmt).unique())


# -- its products -------------------------------------------------------------------------------


def add_product(
    official: User, producer: Producer, values: dict[str, Any], photo: Upload | None = None
) -> Product:
    """A published product of the producer (the official vouches), in search at once."""
    if not official.covers(producer.province_id):
        raise Forbidden()
    if has_accounts(producer):
        raise OnboardingError("Cơ sở này đã có người quản lý; sản phẩm do cơ sở tự đăng.")
    name = clean_text(values.get("name") or "")
    if not name:
        raise OnboardingError("Vui lòng nhập tên sản phẩm.", "name")
    image = None
    if photo is not None:
        image = store_photo(photo.stream, lambda message: OnboardingError(message, "photo"))
    with write_transaction():
        name_key = normalize_key(name)
        clash = db.session.scalar(
            select(Product.id).where(
                Product.producer_id == producer.id, Product.name_key == name_key
            )
        )
        if clash is not None:
            raise OnboardingError("Cơ sở đã có một sản phẩm cùng tên.", "name")
        now = utcnow()
        product = Product(
            name=name,
            name_key=name_key,
            slug=unique_slug(Product, name, hint=producer.province.name),
            producer_id=producer.id,
            province_id=producer.province_id,
            status="published",
            source=SOURCE,
            published_at=now,
        )
        for field_name in PRODUCT_FIELDS:
            setattr(product, field_name, values.get(field_name))
        product.description = product.description or ""
        db.session.add(product)
        db.session.flush()
        if values.get("ocop_stars"):
            # The official saw the certificate: a record (stars count only from records).
            claims.record_imported(
                official,
                product,
                stars=values["ocop_stars"],
                certificate_no=None,
                year=values.get("certificate_year"),
                source="official",
            )
        if image is not None:
            replace_images(
                product,
                [
                    {
                        "digest": image.digest,
                        "alt": name[:MAX_ALT],
                        "width": image.width,
                        "height": image.height,
                    }
                ],
            )
        audit.record(
            official,
            "onboard.product",
            "product",
            product.id,
            after={
                "name": name,
                **{k: getattr(product, k) for k in PRODUCT_FIELDS},
                "ocop_stars": product.ocop_stars,
                "certificate_year": product.certificate_year,
            },
        )
        outbox.record([product.id], "onboard_product")
    return product


# -- the handover link --------------------------------------------------------------------------


@dataclass(frozen=True)
class IssuedLink:
    handover: ProducerHandover
    url: str


def handover_url(token: str) -> str:
    """The full link (also outside a request: a command or a test may issue links)."""
    return site_url("account.handover", token=token)


def issue_handover(official: User, producer: Producer, email: str | None = None) -> IssuedLink:
    """A new one-time link (older unused ones stop working); e-mailed when an address is
    given. The token is returned once, here, and never stored."""
    if not official.covers(producer.province_id):
        raise Forbidden()
    if has_accounts(producer):
        raise OnboardingError("Cơ sở này đã có người quản lý tài khoản.")
    email = accounts.normalize_email(email) if email else None
    token = secrets.token_urlsafe(32)
    url = handover_url(token)
    now = utcnow()
    with write_transaction():
        db.session.execute(
            update(ProducerHandover)
            .where(
                ProducerHandover.producer_id == producer.id,
                ProducerHandover.used_at.is_(None),
                ProducerHandover.expires_at > now,
            )
            .values(expires_at=now)
        )
        handover = ProducerHandover(
            producer_id=producer.id,
            token_hash=token_hash(token),
            email=email,
            created_by_id=official.id,
            expires_at=now + timedelta(days=HANDOVER_DAYS),
        )
        db.session.add(handover)
        db.session.flush()
        if email:
            mail.queue(
                email,
                f"Chợ Việt: nhận quản lý hồ sơ {producer.name}",
                f"Chào bạn,\n\nCán bộ {department_name()} đã đăng ký {producer.name} lên Chợ Việt. "
                "Để tự quản lý hồ sơ và sản phẩm, hãy mở liên kết sau và đặt mật khẩu:\n"
                f"{url}\n\nLiên kết dùng được một lần, trong {HANDOVER_DAYS} ngày.\n"
                "Nếu bạn không liên quan đến cơ sở này, hãy bỏ qua thư.",
            )
        audit.record(
            official,
            "onboard.handover_issued",
            "producer",
            producer.id,
            after={"handover": handover.id, "email": email, "expires_at": handover.expires_at},
        )
    return IssuedLink(handover, url)


def read_handover(token: str) -> ProducerHandover:
    """The usable link for this token; HandoverInvalid otherwise."""
    if not token or len(token) > MAX_TOKEN:
        raise HandoverInvalid("unknown")
    handover = db.session.scalar(
        select(ProducerHandover).where(ProducerHandover.token_hash == token_hash(token))
    )
    if handover is None:
        raise HandoverInvalid("unknown")
    if handover.used_at is not None:
        raise HandoverInvalid("used")
    if handover.expires_at <= utcnow():
        raise HandoverInvalid("expired")
    return handover


def accept_handover(token: str, email: str, display_name: str, password: str) -> User:
    """Create the producer's account, linked to the profile; the link is used up."""
    email = account_email(email)
    password_hash = accounts.hash_password(password)
    with write_transaction():
        handover = read_handover(token)
        if accounts.find_user(email) is not None:
            raise accounts.AccountError("Địa chỉ e-mail này đã có tài khoản Chợ Việt.")
        now = utcnow()
        verified = handover.email is not None and handover.email == email
        user = User(
            email=email,
            password_hash=password_hash,
            role="producer",
            producer_id=handover.producer_id,
            display_name=clean_text(display_name)[:200],
            email_verified_at=now if verified else None,
        )
        db.session.add(user)
        db.session.flush()
        handover.used_at = now
        handover.used_by_id = user.id
        audit.record(
            user,
            "account.accept_handover",
            "producer",
            handover.producer_id,
            after={"handover": handover.id, "email": email, "verified": verified},
        )
        if not verified:
            accounts.send_verification(user)
    return user
