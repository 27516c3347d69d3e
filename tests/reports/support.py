"""A small catalogue with known figures for the report tests, built through the services
where they exist (listings, moderation: so the approvals are real audit entries) and as rows
where a test needs a date in the past (last year) or a complaint.

Cao Bằng (this year unless said):
  P1 "HTX Hạt dẻ Trùng Khánh"  pending → approved, hợp tác xã, trusted
     a Hạt dẻ Trùng Khánh   4★ valid        group 1   (campaign CB, nationwide? no)
     b Miến dong Nguyên Bình 3★ expired      group 1
     c Lạp sườn Cao Bằng     5★ revoked      group 1
     d Trà giảo cổ lam       3★ expiring     group 2
  P2 "Công ty Rượu ngô Bảo Lạc" pending → approved, doanh nghiệp, product e published, then
     the producer suspended (e leaves the public site)
  P3 "=1+2 HTX Thử" pending, no type, product f submitted (waiting)
  P4 "Hộ Mật ong Bảo Lâm" active, hộ kinh doanh, created last year; product g published last
     year (created, submitted and approved last year), no stars
Lạng Sơn:
  P5 "HTX Na Chi Lăng" active, product h 4★ valid, approved this year

Complaints: Cao Bằng c1 new/counterfeit (subject starts with "="), c2 resolved/poor quality,
c3 dismissed/wrong info (all three this year, c2 c3 closed this year), c4 investigating
last year, c5 created last year and resolved this year; Lạng Sơn c6 new this year.
Campaigns (published): "Tháng hàng Việt" Cao Bằng this year with a, b; nationwide this year
(title with a script tag) with d, h; Cao Bằng last year with a; a draft one this year.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import update

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import (
    AuditEntry,
    Campaign,
    Category,
    Complaint,
    Producer,
    Product,
    User,
)
from catalog.platform.clock import utcnow
from catalog.reports.report_periods import custom_period, local_today
from catalog.review import moderation
from tests.factories import create_user, province
from tests.listings.support import draft, owner, published

SCRIPT_TITLE = "<script>alert('x')</script> Tuần hàng OCOP"


@dataclass
class Catalogue:
    curator: User  # Cao Bằng official
    lang_son: User  # Lạng Sơn official
    products: dict[str, Product]
    producers: dict[str, Producer]
    today: date

    @property
    def this_year(self):  # type: ignore[no-untyped-def]
        return custom_period(date(self.today.year, 1, 1), self.today, today=self.today)

    @property
    def last_year(self):  # type: ignore[no-untyped-def]
        year = self.today.year - 1
        return custom_period(date(year, 1, 1), date(year, 12, 31), today=self.today)


def last_year_at(today: date) -> datetime:
    return datetime(today.year - 1, 6, 15, 3, 0, tzinfo=UTC)


def _set(model: Any, row_id: int, **values: Any) -> None:
    with write_transaction():
        db.session.execute(update(model).where(model.id == row_id).values(**values))
    db.session.expire_all()


def _certificate(product: Product, stars: int, expires: date, revoked: bool = False) -> None:
    _set(
        Product,
        product.id,
        ocop_stars=stars,
        certificate_expires_on=expires,
        certificate_year=expires.year - 3,
        certificate_revoked=revoked,
    )


def _second_category() -> int:
    return db.session.scalars(db.select(Category.id).order_by(Category.position)).all()[1]


def _complaint(n: int, province_name: str, kind: str, status: str, subject: str, **values: Any):  # type: ignore[no-untyped-def]
    with write_transaction():
        row = Complaint(
            token_hash=hashlib.sha256(f"phan-anh-{n}".encode()).hexdigest(),
            kind=kind,
            province_id=province(province_name).id,
            subject=subject,
            message="Nội dung phản ánh thử.",
            status=status,
            **values,
        )
        db.session.add(row)
    return row


def _campaign(slug: str, title: str, start: date, end: date, products: list[Product], **kw: Any):  # type: ignore[no-untyped-def]
    with write_transaction():
        campaign = Campaign(slug=slug, title=title, starts_on=start, ends_on=end, **kw)
        campaign.products = products
        db.session.add(campaign)
    return campaign


def build_catalogue() -> Catalogue:
    today = local_today()
    old = last_year_at(today)
    curator = create_user("official", provinces=("Cao Bằng",))
    lang_son = create_user("official", provinces=("Lạng Sơn",))
    p1 = owner(status="pending", name="HTX Hạt dẻ Trùng Khánh", type="hop_tac_xa", trusted=True)
    moderation.approve_producer(p1.producer_id, official=curator)
    products = {
        "a": published(p1, "Hạt dẻ Trùng Khánh", curator),
        "b": published(p1, "Miến dong Nguyên Bình", curator),
        "c": published(p1, "Lạp sườn Cao Bằng", curator),
        "d": published(p1, "Trà giảo cổ lam", curator),
    }
    _certificate(products["a"], 4, today + timedelta(days=700))
    _certificate(products["b"], 3, today - timedelta(days=1))
    _certificate(products["c"], 5, today + timedelta(days=700), revoked=True)
    _certificate(products["d"], 3, today + timedelta(days=30))
    _set(Product, products["d"].id, category_id=_second_category())

    p2 = owner(status="pending", name="Công ty Rượu ngô Bảo Lạc", type="doanh_nghiep")
    moderation.approve_producer(p2.producer_id, official=curator)
    products["e"] = published(p2, "Rượu ngô Bảo Lạc", curator)
    moderation.suspend_producer(p2.producer_id, official=curator, note="Hàng giả")

    p3 = owner(status="pending", name="=1+2 HTX Thử")
    products["f"] = listings.submit(p3, draft(p3, "Bánh cuốn Cao Bằng"))

    p4 = owner(name="Hộ Mật ong Bảo Lâm", type="ho_kinh_doanh")
    products["g"] = published(p4, "Mật ong bạc hà", curator)
    _set(Producer, p4.producer_id, created_at=old)
    _set(Product, products["g"].id, created_at=old, submitted_at=old, published_at=old)
    with write_transaction():
        db.session.execute(
            update(AuditEntry)
            .where(AuditEntry.entity_type == "product", AuditEntry.entity_id == products["g"].id)
            .values(created_at=old)
        )

    p5 = owner(name="HTX Na Chi Lăng", province_name="Lạng Sơn", type="hop_tac_xa")
    products["h"] = published(p5, "Na Chi Lăng", lang_son)
    _certificate(products["h"], 4, today + timedelta(days=700))

    now = utcnow()
    _complaint(1, "Cao Bằng", "counterfeit", "new", '=HYPERLINK("http://x.vn","bấm")')
    _complaint(2, "Cao Bằng", "poor_quality", "resolved", "Hạt dẻ", closed_at=now)
    _complaint(3, "Cao Bằng", "wrong_info", "dismissed", "Miến dong", closed_at=now)
    _complaint(4, "Cao Bằng", "other", "investigating", "Cũ", created_at=old)
    _complaint(5, "Cao Bằng", "counterfeit", "resolved", "Cũ", created_at=old, closed_at=now)
    _complaint(6, "Lạng Sơn", "counterfeit", "new", "Na")

    cb = province("Cao Bằng").id
    start, end = date(today.year, 1, 1), today + timedelta(days=30)
    prev = (date(today.year - 1, 3, 1), date(today.year - 1, 3, 31))
    ps = products
    _campaign("thang-hang-viet", "Tháng hàng Việt", start, end, [ps["a"], ps["b"]],
              province_id=cb, status="published")  # fmt: skip
    _campaign("toan-quoc", SCRIPT_TITLE, start, end, [ps["d"], ps["h"]], status="published")
    _campaign("nam-truoc", "Hội chợ năm trước", *prev, [ps["a"]], province_id=cb,
              status="published")  # fmt: skip
    _campaign("nhap", "Bản nháp", start, end, [ps["a"]], province_id=cb, status="draft")
    db.session.expire_all()
    producers = {k: db.session.get(Producer, u.producer_id) for k, u in
                 (("p1", p1), ("p2", p2), ("p3", p3), ("p4", p4), ("p5", p5))}  # fmt: skip
    return Catalogue(curator, lang_son, products, producers, today)
