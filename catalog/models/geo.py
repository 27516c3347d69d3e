"""The 34 provinces since 1 July 2025 and every other name people still use for them."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalog.extensions import Model


class Province(Model):
    __tablename__ = "provinces"

    # The official code (ProvinceCode in the vietnam-provinces package), e.g. 24 = Bắc Ninh.
    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))  # "Hồ Chí Minh"
    full_name: Mapped[str] = mapped_column(String(120))  # "Thành phố Hồ Chí Minh"
    kind: Mapped[str] = mapped_column(String(40))  # tỉnh / thành phố trung ương
    region: Mapped[str] = mapped_column(String(80))

    aliases: Mapped[list[ProvinceAlias]] = relationship(
        back_populates="province", cascade="all, delete-orphan", order_by="ProvinceAlias.name"
    )

    @property
    def legacy_names(self) -> list[str]:
        """Pre-2025 provinces merged into this one, other than its own name."""
        return [a.name for a in self.aliases if a.legacy and a.name != self.name]

    @property
    def name_in_sentence(self) -> str:
        """ "Tỉnh Bắc Ninh" mid-sentence is "tỉnh Bắc Ninh" (and "thành phố Huế")."""
        return self.full_name[:1].lower() + self.full_name[1:]

    def __repr__(self) -> str:
        return f"<Province {self.id} {self.name}>"


class ProvinceAlias(Model):
    """A name that resolves to a province: a pre-2025 province or a common spelling."""

    __tablename__ = "province_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    # Accent-free, lower-case matching key (see catalog.platform.vietnamese.province_key).
    key: Mapped[str] = mapped_column(String(120), unique=True, index=True)
    legacy: Mapped[bool] = mapped_column(default=False)
    province_id: Mapped[int] = mapped_column(ForeignKey("provinces.id"), index=True)

    province: Mapped[Province] = relationship(back_populates="aliases")
