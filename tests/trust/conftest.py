"""Shared fixtures of this folder."""

from tests.trust.fixtures import curator, product  # noqa: F401
