"""The official and the live product the trust and certificate tests start from (one home;
the folders' conftest modules import them)."""

from __future__ import annotations

import pytest

from tests.trust.support import live_product, official


@pytest.fixture
def curator(app):  # type: ignore[no-untyped-def]
    """An official of Cao Bằng."""
    return official("Cao Bằng")


@pytest.fixture
def product(curator):  # type: ignore[no-untyped-def]
    """A published product of Cao Bằng, approved by the curator."""
    return live_product("Hạt dẻ Trùng Khánh", curator=curator)
