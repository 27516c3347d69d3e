"""Where each listing stands, in the producer's words: status labels and the dashboard rows
with the hints of what to add."""

from __future__ import annotations

from dataclasses import dataclass

from catalog.listings.listing_values import MIN_DESCRIPTION, completeness, working_copy
from catalog.models import Product
from catalog.models.statuses import ProducerStatus, ProductStatus, ReviewState

STATUS_LABELS = {
    "draft": ("Nháp", "muted"),
    "submitted": ("Chờ duyệt", "warning"),
    "published": ("Đã đăng", "ok"),
    "changes_requested": ("Cần chỉnh sửa", "warning"),
    "rejected": ("Bị từ chối", "danger"),
    "hidden": ("Đã ẩn", "muted"),
}
CHANGE_LABELS = {
    "submitted": ("Thay đổi đang chờ duyệt", "warning"),
    "changes_requested": ("Thay đổi cần chỉnh sửa", "warning"),
    "rejected": ("Thay đổi bị từ chối", "danger"),
}


def status_labels(product: Product) -> list[tuple[str, str]]:
    """(label, tone) pairs describing where a listing stands, for the producer."""
    labels = [STATUS_LABELS.get(product.status, (product.status, "muted"))]
    if product.status == ProductStatus.PUBLISHED:
        if product.pending_changes and product.review_state in CHANGE_LABELS:
            labels.append(CHANGE_LABELS[product.review_state])
        elif product.review_state == ReviewState.REJECTED:
            labels.append(CHANGE_LABELS["rejected"])
        if product.producer.status != ProducerStatus.ACTIVE:
            labels.append(("Hiển thị khi hồ sơ cơ sở được duyệt", "muted"))
    elif (
        product.status == ProductStatus.SUBMITTED
        and product.producer.status != ProducerStatus.ACTIVE
    ):
        labels.append(("Chờ duyệt cùng hồ sơ cơ sở", "muted"))
    return labels


@dataclass(frozen=True)
class ListingRow:
    """One line of the producer's dashboard."""

    product: Product
    name: str
    labels: list[tuple[str, str]]
    missing: list[str]
    note: str | None


def overview(products: list[Product]) -> list[ListingRow]:
    rows = []
    for product in products:
        values = working_copy(product)
        state = completeness(product)
        hints = []
        if not values["images"]:
            hints.append("chưa có ảnh")
        elif len(values["images"]) < 3:
            hints.append("nên thêm ảnh")
        if len((values["description"] or "").strip()) < MIN_DESCRIPTION:
            hints.append("mô tả còn ngắn")
        if values["category_id"] is None:
            hints.append("chưa chọn nhóm OCOP")
        if values["ocop_stars"] and not (values["certificate_no"] and values["certificate_scan"]):
            hints.append("thiếu thông tin chứng nhận")
        if not hints and state["missing_optional"]:
            hints.extend(state["missing_optional"])
        rows.append(
            ListingRow(product, values["name"], status_labels(product), hints, product.review_note)
        )
    return rows
