"""`flask officials digest`: one e-mail per official with something waiting, in scope, at
most once per 20 hours unless --force."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.listings import listings
from catalog.models import MailMessage, User
from catalog.platform.clock import utcnow
from catalog.review import digest
from tests.factories import create_user
from tests.listings.support import draft, owner
from tests.review.support import imported_producer, official


def mails_to(email: str) -> list[MailMessage]:
    return list(db.session.scalars(select(MailMessage).where(MailMessage.to == email)))


def test_digest_summarises_each_officials_queue(runner, app):
    here = owner(status="pending", name="HTX Hạt dẻ Trùng Khánh")
    listings.submit(here, draft(here, "Hạt dẻ rang"))
    imported_producer()
    cao_bang, idle = official(), official("Hà Nội")
    admin = create_user("admin")
    locked = official()
    with write_transaction():
        locked.active = False
    result = runner.invoke(args=["officials", "digest"])
    assert result.exit_code == 0, result.output
    assert "Đã gửi 2 thư tóm tắt" in result.output
    body = mails_to(cao_bang.email)[0].body
    assert "3 mục trong hàng chờ duyệt" in body
    assert "1 cơ sở mới chờ duyệt" in body and "1 sản phẩm mới chờ duyệt" in body
    assert "1 mục nhập từ danh sách còn thiếu thông tin" in body
    assert f"Mục chờ lâu nhất từ ngày {utcnow():%d/%m/%Y}" in body
    assert "/quan-ly/" in body
    assert mails_to(admin.email) and not mails_to(idle.email) and not mails_to(locked.email)
    db.session.expire_all()
    assert db.session.get(User, cao_bang.id).last_digest_at is not None
    assert db.session.get(User, idle.id).last_digest_at is None


def test_digest_waits_20_hours_unless_forced(runner, app):
    owner(status="pending")
    curator = official()
    runner.invoke(args=["officials", "digest"])
    runner.invoke(args=["officials", "digest"])
    assert len(mails_to(curator.email)) == 1
    with write_transaction():
        db.session.get(User, curator.id).last_digest_at = utcnow() - timedelta(hours=21)
    runner.invoke(args=["officials", "digest"])
    assert len(mails_to(curator.email)) == 2
    result = runner.invoke(args=["officials", "digest", "--force"])
    assert result.exit_code == 0 and len(mails_to(curator.email)) == 3


def test_summary_includes_new_complaints_and_expiring_certificates(app, monkeypatch):
    curator = official()
    monkeypatch.setattr(
        "catalog.complaints.complaint_list.list_for",
        lambda official, **kw: type("L", (), {"total": 2})(),
    )
    summary = digest.summary_for(curator)
    assert summary.new_complaints == 2 and not summary.empty
    body = digest._body(curator, summary)
    assert "2 phản ánh mới chưa xử lý" in body
