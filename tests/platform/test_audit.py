"""Audit entries keep before/after as plain JSON and live and die with their transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.platform import audit
from tests.factories import create_user


def test_values_are_stored_as_plain_json_nested_included(app):
    official = create_user("official", provinces=("Cao Bằng",))
    with write_transaction():
        audit.record(
            official,
            "product.approve",
            "product",
            7,
            before={"expires": date(2028, 5, 1), "pending": {"on": date(2027, 1, 2)}},
            after={
                "at": datetime(2026, 1, 2, 3, 4, tzinfo=UTC),
                "images": ({"digest": "ab"},),
                "price": Decimal("12.5"),
            },
            reason="Đủ hồ sơ",
        )
    db.session.expire_all()
    (entry,) = audit.history("product", 7)
    assert entry.before == {"expires": "2028-05-01", "pending": {"on": "2027-01-02"}}
    assert entry.after == {
        "at": "2026-01-02T03:04:00+00:00",
        "images": [{"digest": "ab"}],
        "price": "12.5",
    }
    assert (entry.actor_id, entry.action, entry.reason) == (
        official.id,
        "product.approve",
        "Đủ hồ sơ",
    )


def test_an_entry_is_rolled_back_with_its_change(app):
    with pytest.raises(RuntimeError), write_transaction():
        audit.record(None, "producer.approve", "producer", 3, after={"status": "active"})
        raise RuntimeError("the change failed")
    assert audit.history("producer", 3) == []


def test_history_is_per_entity_and_oldest_first(app):
    with write_transaction():
        for action in ("listing.create", "listing.submit", "product.approve"):
            audit.record(None, action, "product", 1)
        audit.record(None, "producer.approve", "producer", 1)
    assert [e.action for e in audit.history("product", 1)] == [
        "listing.create",
        "listing.submit",
        "product.approve",
    ]
