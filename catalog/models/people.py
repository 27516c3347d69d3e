"""People who sign in: producers' staff, provincial trade officials and admins."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import Column, ForeignKey, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.extensions import Model, db
from catalog.models._common import UTCDateTime, utcnow, version_column
from catalog.models.geo import Province
from catalog.models.producers import Producer

ROLES = ("producer", "official", "admin")


# The provinces an official curates (an official may cover several).
official_provinces = Table(
    "official_provinces",
    db.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("province_id", ForeignKey("provinces.id"), primary_key=True),
)


class User(UserMixin, Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20), default="producer")
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producers.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    email_verified_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Bumped on every password change: reset links issued before it die.
    password_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Sessions and remember-me cookies carry it (get_id); bumping it (sign-out, password,
    # role or active status changed) ends every one issued before (catalog/accounts/sessions.py).
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the official was last sent the digest of their review queue.
    last_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The version of what admins edit (role, provinces, active): counted by hand
    # (bump_version) so a sign-in or a digest stamp does not make an admin's open form stale;
    # every UPDATE still checks it (version_id_col), so racing writes fail, never overwrite.
    version: Mapped[int] = version_column()
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}

    producer: Mapped[Producer | None] = relationship(foreign_keys=[producer_id])
    provinces: Mapped[list[Province]] = relationship(secondary=official_provinces)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    @property
    def is_official(self) -> bool:
        return self.role in ("official", "admin")

    def get_id(self) -> str:
        # Flask-Login's "alternative token": the session and the remember cookie name the
        # session version they were issued under, checked by the user loader.
        return f"{self.id}:{self.session_version}"

    def bump_version(self) -> None:
        """Count a change of what admins edit (role, provinces, active) as a new version:
        an admin's form opened before it is then stale (409), not saved over it."""
        self.version = (self.version or 0) + 1

    def covers(self, province_id: int) -> bool:
        """Whether this official may act on entries of that province."""
        if self.role == "admin":
            return True
        return self.role == "official" and any(p.id == province_id for p in self.provinces)


class Invitation(Model):
    """A producer invites a colleague to manage the same business."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    producer: Mapped[Producer] = relationship()


class ProducerHandover(Model):
    """A one-time link an official gives a producer registered on its behalf (by e-mail or
    printed): whoever follows it sets a password and takes over the profile. Only a hash of
    the token is stored."""

    __tablename__ = "producer_handovers"

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producers.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    producer: Mapped[Producer] = relationship()
