"""The officials' e-mail digest: what waits in their queue, certificates about to expire and
new complaints in their provinces, at most once every 20 hours (`flask officials digest`,
run daily by cron; --force sends again at once).

Each official's message and their `last_digest_at` are written in one transaction, so a run
that dies half way sends nobody twice when it is started again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select

from catalog.certificates import certificates
from catalog.complaints import complaint_list
from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import User
from catalog.platform import mail
from catalog.platform.clock import utcnow
from catalog.platform.links import site_url
from catalog.review.review_queue import KINDS, review_queue

MIN_INTERVAL = timedelta(hours=20)
KIND_WORDS = {
    "producer": "cơ sở mới chờ duyệt",
    "listing": "sản phẩm mới chờ duyệt",
    "change": "thay đổi sản phẩm chờ duyệt",
    "claim": "yêu cầu nhận quản lý",
    "incomplete": "mục nhập từ danh sách còn thiếu thông tin",
}


@dataclass
class Summary:
    counts: dict[str, int]
    oldest: datetime | None
    expiring: list[str] = field(default_factory=list)  # "product — expires dd/mm/yyyy"
    new_complaints: int = 0

    @property
    def empty(self) -> bool:
        return not any(self.counts.values()) and not self.expiring and not self.new_complaints


@dataclass
class DigestRun:
    sent: list[str] = field(default_factory=list)
    recent: list[str] = field(default_factory=list)  # digested less than 20 hours ago
    nothing: list[str] = field(default_factory=list)  # nothing waits for them


def summary_for(official: User, today: date | None = None) -> Summary:
    """What the digest tells this official, scoped to their provinces (admins: all)."""
    items = review_queue(official)
    counts = {kind: sum(1 for i in items if i.kind == kind) for kind in KINDS}
    dates = [i.waiting_since for i in items if i.waiting_since is not None]
    summary = Summary(counts, min(dates) if dates else None)
    for cert in certificates.expiring(official, today)[:20]:
        summary.expiring.append(f"{cert.product.name} — hết hạn {cert.expires_on:%d/%m/%Y}")
    summary.new_complaints = complaint_list.list_for(official, status="new", per_page=1).total
    return summary


def _body(official: User, summary: Summary) -> str:
    lines = ["Chào bạn,", "", "Tóm tắt công việc đang chờ trên Chợ Việt:"]
    total = sum(summary.counts.values())
    if total:
        lines.append(f"- {total} mục trong hàng chờ duyệt:")
        lines += [f"    {n} {KIND_WORDS[k]}" for k, n in summary.counts.items() if n]
        if summary.oldest is not None:
            lines.append(f"  Mục chờ lâu nhất từ ngày {summary.oldest:%d/%m/%Y}.")
        lines.append(f"  Xem hàng chờ: {site_url('official.dashboard', 'official')}")
    if summary.new_complaints:
        lines.append(f"- {summary.new_complaints} phản ánh mới chưa xử lý.")
        lines.append(f"  Xem phản ánh: {site_url('official.complaints', 'official')}")
    if summary.expiring:
        lines.append(f"- {len(summary.expiring)} giấy chứng nhận OCOP sắp hết hạn (trong 90 ngày):")
        lines += [f"    {text}" for text in summary.expiring]
    lines += ["", "Thư này được gửi tự động, tối đa một lần mỗi ngày."]
    return "\n".join(lines)


def send_digests(*, force: bool = False, now: datetime | None = None) -> DigestRun:
    """E-mail every active official and admin who has something waiting; skip those
    digested in the last 20 hours unless `force`."""
    now = now or utcnow()
    run = DigestRun()
    staff = select(User).where(User.role.in_(("official", "admin")), User.active.is_(True))
    for official in db.session.scalars(staff.order_by(User.id)).all():
        last = official.last_digest_at
        if not force and last is not None and now - last < MIN_INTERVAL:
            run.recent.append(official.email)
            continue
        summary = summary_for(official, now.date())
        if summary.empty:
            run.nothing.append(official.email)
            continue
        with write_transaction():
            mail.queue(
                official.email, "Chợ Việt: việc đang chờ bạn xử lý", _body(official, summary)
            )
            official.last_digest_at = now
        run.sent.append(official.email)
    return run
