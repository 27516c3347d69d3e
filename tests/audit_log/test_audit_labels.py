"""The audit log reads in plain Vietnamese: every action the code records has a label, and
before/after values are shown with field labels, có/không, dd/mm/yyyy and names, never as
raw keys such as `province_id: 4` or `listing.change_edit`."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from catalog.audit_log.audit_labels import ACTION_LABELS, action_label, change_rows
from catalog.models import Province
from catalog.models.orders import ORDER_STATES

CATALOG = Path(__file__).resolve().parents[2] / "catalog"
ACTION = re.compile(r"^[a-z_]+(\.[a-z_]+)?$")
# Values the f-string parts of recorded actions take (the code's own enumerations).
EXPANSIONS = {
    "order.{}": [f"order.{s}" for s in ORDER_STATES],
    "producer.{}": [f"producer.{d}" for d in ("approve", "reject", "request_changes")],
    "product.change_{}": [f"product.change_{d}" for d in ("approve", "reject", "request_changes")],
    "product.{}": [
        f"product.{d}" for d in ("approve", "reject", "request_changes", "hide", "restore")
    ],
    "claim.{}": ["claim.approved", "claim.rejected"],
    "complaint.{}": [f"complaint.{s}" for s in ("investigating", "resolved", "dismissed")],
    "listing.{}": ["listing.unpublish", "listing.republish"],
    "story.{}_{}": [f"story.{v}_{k}" for v in ("link", "unlink") for k in ("producer", "product")],
    "{}.{}": [f"{k}.{v}" for k in ("campaign", "story") for v in ("publish", "unpublish")],
    "{}.create": ["campaign.create", "story.create"],
    "{}.update": ["campaign.update", "story.update"],
}
# Helpers that pass an action string they are given on to audit.record.
FORWARDERS = {"record", "_finish", "_decide", "_save"}


def _pattern(node: ast.JoinedStr) -> str:
    return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)


def _actions_in(node: ast.expr) -> tuple[set[str], set[str]]:
    """(literal actions, f-string patterns) an argument expression can produce."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}, set()
    if isinstance(node, ast.IfExp):
        a, b = _actions_in(node.body), _actions_in(node.orelse)
        return a[0] | b[0], a[1] | b[1]
    if isinstance(node, ast.JoinedStr):
        return set(), {_pattern(node)}
    return set(), set()


def recorded_actions() -> tuple[set[str], set[str]]:
    literals: set[str] = set()
    patterns: set[str] = set()
    for path in CATALOG.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "record" and not (
                isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "audit"
            ):
                continue  # outbox.record and others
            if name not in FORWARDERS:
                continue
            # audit.record takes the action second; the helpers that forward it, anywhere.
            args = node.args[1:2] if name == "record" else node.args
            found: set[str] = set()
            shapes: set[str] = set()
            for arg in args:
                one, many = _actions_in(arg)
                found |= one
                shapes |= many
            literals |= {a for a in found if ACTION.match(a) and "." in a}
            patterns |= shapes
    # Actions built by a string replace (listings: a change to a published listing).
    literals |= {"listing.change_edit", "listing.change_photos"}
    # Actions chosen by a helper function (complaint handling).
    literals |= {"complaint.reply", "complaint.reopen"}
    return literals, patterns


def test_every_recorded_action_has_a_label() -> None:
    literals, patterns = recorded_actions()
    assert {"product.feature", "listing.edit", "certificate.revoke"} <= literals  # it reads
    unknown_patterns = patterns - set(EXPANSIONS)
    assert not unknown_patterns, f"add the values of {unknown_patterns} to EXPANSIONS"
    actions = literals | {a for p in patterns for a in EXPANSIONS[p]}
    missing = sorted(a for a in actions if a not in ACTION_LABELS)
    assert not missing, f"actions without a Vietnamese label: {missing}"


def test_labels_are_vietnamese_words_not_codes() -> None:
    for code, label in ACTION_LABELS.items():
        assert "." not in label and "_" not in label, code
    assert action_label("listing.change_edit") == "Cơ sở sửa sản phẩm đang đăng (chờ duyệt)"
    # An unknown or hostile code is never echoed raw.
    assert action_label("<script>x.y</script>") == "Thao tác khác"


def test_changes_read_in_plain_vietnamese(app) -> None:
    with app.app_context():
        from sqlalchemy import select

        from catalog.extensions import db

        bac_ninh = db.session.scalar(select(Province).where(Province.name == "Bắc Ninh"))
        ha_noi = db.session.scalar(select(Province).where(Province.name == "Hà Nội"))
        assert bac_ninh is not None and ha_noi is not None
        rows = change_rows(
            {"featured": False, "province_id": bac_ninh.id, "certificate_expires_on": None},
            {
                "featured": True,
                "province_id": ha_noi.id,
                "certificate_expires_on": "2026-02-28",
            },
        )
        assert ("Nổi bật", "không", "có") in rows
        assert ("Tỉnh", "Bắc Ninh", "Hà Nội") in rows
        assert ("Hết hạn chứng nhận", "—", "28/02/2026") in rows
        text = repr(rows)
        assert "province_id" not in text and "featured" not in text


def test_nested_values_and_hostile_input(app) -> None:
    with app.app_context():
        rows = change_rows(
            {"status": "submitted", "values": {"price_vnd": 120000, "province_id": 10**12}},
            {
                "status": "published",
                "values": {"price_vnd": 150000, "province_id": "abc"},
                "zzz_unknown": "<b>x</b>" * 50,
            },
        )
        assert ("Trạng thái", "chờ duyệt", "đang đăng") in rows
        assert ("Giá (đồng)", "120.000", "150.000") in rows
        # An id naming no row, a non-id value and an unknown key: no crash, no raw key.
        labels = [label for label, _, _ in rows]
        assert "province_id" not in labels and "zzz_unknown" not in labels
        assert ("Tỉnh", f"(đã xóa, mã {10**12})", "abc") in rows
        assert all(len(old) <= 80 and len(new) <= 80 for _, old, new in rows)
