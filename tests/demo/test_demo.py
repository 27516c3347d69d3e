"""The demo catalogue shows what curation looks like: trusted addresses, certificate records,
a campaign running on the day of seeding, stories, and producers that take order requests."""

from __future__ import annotations

from sqlalchemy import func, select

from catalog.accounts import accounts
from catalog.demo.demo_accounts import DOMAIN
from catalog.extensions import db
from catalog.models import Campaign, OcopCertificate, Producer, Product, Story, User


def test_demo_is_curated_through_the_officials_services(demo_app):
    with demo_app.app_context():
        assert db.session.scalar(select(func.count()).where(Producer.trusted)) == 6
        # Every starred product of the imported list has its record (issue 14.1), and
        # twelve were entered by an official from the decision.
        official = select(func.count()).where(OcopCertificate.source == "official")
        assert db.session.scalar(official) == 12
        starred = select(func.count(Product.id)).where(Product.ocop_stars.is_not(None))
        with_record = select(func.count(Product.id)).where(Product.certificates.any())
        assert db.session.scalar(starred) == db.session.scalar(with_record) > 100
        assert db.session.scalar(
            select(func.count()).where(OcopCertificate.verified_at.is_not(None))
        )
        running = db.session.scalars(select(Campaign).where(Campaign.status == "published"))
        assert sorted(c.province_id is None for c in running) == [False, True]
        assert db.session.scalar(select(func.count()).where(Story.status == "published")) == 2


def test_home_page_shows_the_running_campaign_and_the_stories(demo_client):
    html = demo_client.get("/").get_data(as_text=True)
    assert "Tháng hàng Việt" in html
    assert "Gương điển hình" in html
    # The Cao Bằng fair starts later: announced by its story, not shown as running.
    campaigns = demo_client.get("/chuong-trinh").get_data(as_text=True)
    assert "Phiên chợ OCOP Cao Bằng" in campaigns


def test_demo_producer_accounts_cannot_sign_in_but_take_orders(demo_app, demo_client):
    with demo_app.app_context():
        demo = select(User).where(User.email.endswith(f"@{DOMAIN}"))
        users = db.session.scalars(demo.where(User.role == "producer")).all()
        assert len(users) == 3
        # The demo editor that signed the curation is an admin nobody can sign in as either.
        assert all(u.password_hash is None for u in db.session.scalars(demo))
        assert all(accounts.authenticate(u.email, "") is None for u in users)
        product = next(p for p in users[0].producer.products if p.is_public)
        slug = product.slug
        other = db.session.scalar(
            select(Producer).where(Producer.id.not_in([u.producer_id for u in users]))
        )
        other_slug = next(p.slug for p in other.products if p.is_public)
    assert 'class="order-box"' in demo_client.get(f"/san-pham/{slug}").get_data(as_text=True)
    # A producer nobody can answer for shows its contact details instead of the form.
    page = demo_client.get(f"/san-pham/{other_slug}").get_data(as_text=True)
    assert 'class="order-box"' not in page
