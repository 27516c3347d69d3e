"""The demo's curation: trusted addresses, certificate records, a running campaign, an
upcoming provincial fair and two stories, made through the officials' own services so the
demo shows exactly what an official's work looks like on the public pages.

Everything is signed by a demo editor account that has no password (it cannot sign in).
Dates are relative to the day of seeding, so the campaign is running whenever the demo is
loaded.
"""

from __future__ import annotations

import io
from datetime import date, timedelta

from sqlalchemy import select

from catalog.certificates import certificates
from catalog.database import write_transaction
from catalog.demo.demo_cards import render_card
from catalog.extensions import db
from catalog.listings.listing_uploads import Upload
from catalog.models import Campaign, Producer, Product, Province, User
from catalog.models.statuses import ProductStatus
from catalog.models.visibility import producer_is_public
from catalog.promotion import campaigns, stories
from catalog.trust import trust

EDITOR_EMAIL = "bien-tap@demo.choviet.invalid"
TRUSTED_COUNT = 6
CERTIFIED_COUNT = 12
DEMO_NOTE = "(dữ liệu mẫu)"
# A fixed note, so English pages can show it translated (babel.cfg labels; |t in
# macros/components.html trusted_evidence) instead of Vietnamese sample data.
TRUSTED_SAMPLE_NOTE = "Đã kiểm tra giấy đăng ký kinh doanh và cơ sở sản xuất tại chỗ (dữ liệu mẫu)."


def curate_promotion(today: date | None = None) -> None:
    today = today or campaigns.local_today()
    editor = _editor()
    _trust_producers(editor)
    _record_certificates(editor, today)
    _campaigns_and_stories(editor, today)


def _editor() -> User:
    user = db.session.scalar(select(User).where(User.email == EDITOR_EMAIL))
    if user is None:
        with write_transaction():
            user = User(
                email=EDITOR_EMAIL,
                display_name="Ban biên tập Chợ Việt (dữ liệu mẫu)",
                role="admin",
                password_hash=None,
            )
            db.session.add(user)
    return user


def _trust_producers(editor: User) -> None:
    """The verified producers with the most products, one per province."""
    producers = db.session.scalars(
        select(Producer).where(Producer.verified.is_(True), producer_is_public())
    ).all()
    producers = sorted(producers, key=lambda p: (-len(p.products), p.id))
    seen: set[int] = set()
    for producer in producers:
        if len(seen) == TRUSTED_COUNT:
            break
        if producer.province_id in seen:
            continue
        seen.add(producer.province_id)
        trust.mark_trusted(
            editor,
            producer.id,
            TRUSTED_SAMPLE_NOTE,
        )


def _record_certificates(editor: User, today: date) -> None:
    """Certificate records for the starred products whose certificate year is known, the
    decision dated mid-year; the first few are verified."""
    products = db.session.scalars(
        select(Product)
        .where(Product.ocop_stars.is_not(None), Product.certificate_year.is_not(None))
        .order_by(Product.id)
        .limit(CERTIFIED_COUNT)
    ).all()
    for n, product in enumerate(products):
        year, stars = product.certificate_year, product.ocop_stars
        if year is None or stars is None:  # never: the query asked for both
            continue
        decided = min(date(year, 6, 15), today)
        council = (
            "Hội đồng đánh giá, phân hạng sản phẩm OCOP Trung ương"
            if stars == 5
            else f"Hội đồng đánh giá, phân hạng sản phẩm OCOP {product.province.name}"
        )
        record = certificates.record_certificate(
            editor,
            product.id,
            certificates.CertificateData(
                decision_no=f"{100 + n}/QĐ-UBND {DEMO_NOTE}",
                decision_date=decided,
                issuing_council=council,
                stars=stars,
                certificate_no=product.certificate_no,
            ),
            today=today,
        )
        if n % 2 == 0 and record.status_on(today) in ("valid", "expiring"):
            certificates.verify_certificate(editor, record.id)


def _picture(title: str, place: str) -> Upload:
    png = render_card(title, None, place)
    return Upload(stream=io.BytesIO(png), filename="demo.png")


def _campaigns_and_stories(editor: User, today: date) -> None:
    featured = db.session.scalars(
        select(Product).where(Product.featured.is_(True)).order_by(Product.id)
    ).all()
    month = campaigns.create_campaign(
        editor,
        {
            "title": f"Tháng hàng Việt {today.year}",
            "summary": "Đặc sản OCOP từ khắp 34 tỉnh, thành phố: mua tận gốc, dùng hàng Việt.",
            "description": (
                "## Người Việt Nam ưu tiên dùng hàng Việt Nam\n\n"
                "Trong tháng, các tỉnh, thành phố giới thiệu sản phẩm OCOP tiêu biểu. "
                "Mỗi sản phẩm đều có cơ sở sản xuất được xác minh và thông tin chứng nhận "
                "rõ ràng.\n\n"
                f"Đây là chương trình mẫu {DEMO_NOTE}."
            ),
            "banner_alt": "Ảnh bìa chương trình Tháng hàng Việt",
            "starts_on": today - timedelta(days=10),
            "ends_on": today + timedelta(days=20),
            "province_id": None,
        },
        banner=_picture(f"Tháng hàng Việt {today.year}", "Toàn quốc"),
    )
    for product in featured[:8]:
        campaigns.add_product(editor, month.id, product.id)
    campaigns.set_published(editor, month.id, True)

    cao_bang = db.session.scalar(select(Province).where(Province.name == "Cao Bằng"))
    local = [p for p in _public_products() if cao_bang and p.province_id == cao_bang.id]
    fair = None
    if cao_bang is not None and local:
        fair = campaigns.create_campaign(
            editor,
            {
                "title": f"Phiên chợ OCOP Cao Bằng {today.year}",
                "summary": "Hạt dẻ, miến dong, trà và các đặc sản vùng cao về phố.",
                "description": f"Phiên chợ giới thiệu sản phẩm OCOP của Cao Bằng {DEMO_NOTE}.",
                "banner_alt": "Ảnh bìa phiên chợ OCOP Cao Bằng",
                "starts_on": today + timedelta(days=12),
                "ends_on": today + timedelta(days=15),
                "province_id": cao_bang.id,
            },
            banner=_picture("Phiên chợ OCOP Cao Bằng", "Cao Bằng"),
        )
        for product in local[:6]:
            campaigns.add_product(editor, fair.id, product.id)
        campaigns.set_published(editor, fair.id, True)
    _stories(editor, month.id, fair)


def _stories(editor: User, month_id: int, fair: Campaign | None) -> None:
    trusted = db.session.scalars(
        select(Producer).where(Producer.trusted.is_(True)).order_by(Producer.id)
    ).first()
    if trusted is not None:
        story = stories.create_story(
            editor,
            {
                "title": f"Gương điển hình: {trusted.name}",
                "kind": "exemplary",
                "summary": "Giữ nghề truyền thống, làm ăn minh bạch, sản phẩm đạt chuẩn OCOP.",
                "body": (
                    f"**{trusted.name}** là một trong những cơ sở được ghi nhận là "
                    "*địa chỉ tin cậy* của tỉnh.\n\n"
                    "- Nguyên liệu tại địa phương\n- Quy trình rõ ràng\n- Bán đúng giá niêm yết\n\n"
                    f"Bài viết mẫu {DEMO_NOTE}."
                ),
                "cover_alt": f"Ảnh minh họa cơ sở {trusted.name}",
                "province_id": trusted.province_id,
                "campaign_id": month_id,
            },
            cover=_picture(trusted.name, trusted.province.name),
        )
        stories.set_link(editor, story.id, "producer", trusted.id, True)
        for product in [p for p in trusted.products if p.is_public][:3]:
            stories.set_link(editor, story.id, "product", product.id, True)
        stories.set_published(editor, story.id, True)
    if fair is not None:
        story = stories.create_story(
            editor,
            {
                "title": fair.title,
                "kind": "fair",
                "summary": fair.summary,
                "body": f"Mời bà con và du khách đến với {fair.title} {DEMO_NOTE}.",
                "cover_alt": "Ảnh minh họa phiên chợ",
                "province_id": fair.province_id,
                "campaign_id": fair.id,
            },
            cover=_picture(fair.title, "Cao Bằng"),
        )
        stories.set_published(editor, story.id, True)


def _public_products() -> list[Product]:
    return [
        p
        for p in db.session.scalars(
            select(Product).where(Product.status == ProductStatus.PUBLISHED).order_by(Product.id)
        )
        if p.is_public
    ]
