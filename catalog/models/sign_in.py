"""Wrong passwords typed for one account: the per-account sign-in throttle's state.

Kept in the database, not in a process's memory, so every worker and host counts together
(catalog/accounts/sign_in_throttle.py has the rules). A row is keyed by a hash of the
normalised e-mail address, whether or not an account has it, so the answer never tells which
addresses are registered and a hostile address (very long, odd characters) costs one short
row like any other.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from catalog.extensions import Model
from catalog.models._common import UTCDateTime


class SignInThrottle(Model):
    __tablename__ = "sign_in_throttles"

    # SHA-256 (hex) of the normalised address, with a prefix for devices that signed in before.
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    # Wrong passwords since the streak began; the delay grows with each one past the limit.
    failures: Mapped[int] = mapped_column(default=0)
    last_failure_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # No attempt for this address is checked before then (None: not delayed).
    delayed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The streak is forgotten after this (a quiet window after any delay); pruned then.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
