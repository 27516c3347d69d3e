"""Provinces and OCOP groups: loading the reference rows and resolving names people type."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from catalog.database import write_transaction
from catalog.extensions import db
from catalog.models import Category, Province, ProvinceAlias
from catalog.platform import reference
from catalog.platform.numbers import row_id
from catalog.platform.vietnamese import fold, province_key, slugify


def ensure_reference_data() -> bool:
    """Create the 34 provinces, their aliases and the six OCOP groups if missing.

    Idempotent, so start-up, migrations and tests can all call it. Returns True when it
    wrote anything.
    """
    if db.session.scalar(select(Province.id).limit(1)) is not None and db.session.scalar(
        select(Category.id).limit(1)
    ):
        return False
    with write_transaction():
        _load_provinces()
        _load_categories()
    return True


def _load_provinces() -> None:
    by_name: dict[str, Province] = {}
    for info in reference.provinces():
        province = db.session.get(Province, info.code) or Province(id=info.code)
        province.slug = slugify(info.name)
        province.name = info.name
        province.full_name = info.full_name
        province.kind = info.kind
        province.region = info.region
        db.session.add(province)
        by_name[info.name] = province
    seen: set[str] = set()

    def add_alias(name: str, province: Province, legacy: bool) -> None:
        key = province_key(name)
        if key in seen:
            return
        seen.add(key)
        db.session.add(ProvinceAlias(name=name, key=key, legacy=legacy, province=province))

    db.session.query(ProvinceAlias).delete()
    for old, new in reference.legacy_provinces():
        add_alias(old, by_name[new], legacy=True)
    for info in reference.provinces():
        add_alias(info.name, by_name[info.name], legacy=True)
        add_alias(info.full_name, by_name[info.name], legacy=False)
    for spelling, name in reference.EXTRA_SPELLINGS.items():
        add_alias(spelling, by_name[name], legacy=False)


def _load_categories() -> None:
    for position, info in enumerate(reference.CATEGORIES):
        category = db.session.scalar(select(Category).where(Category.slug == info.slug))
        category = category or Category(slug=info.slug)
        category.name = info.name
        category.short_name = info.short_name
        category.description = info.description
        category.position = position
        db.session.add(category)


@dataclass(frozen=True)
class ProvinceMatch:
    """What a name a person typed stands for: the current province and, when the name was
    a pre-2025 province merged into it ("Bắc Giang" → Bắc Ninh), that old name."""

    province: Province
    old_name: str | None = None

    @property
    def old_slug(self) -> str | None:
        return slugify(self.old_name) if self.old_name else None


def match_province(name: str | None) -> ProvinceMatch | None:
    """The one resolver of province names (pages, filters, API, imports, accounts): new or
    old name, slug or official code, with or without accents or 'Tỉnh'/'TP' prefixes, old
    or new tone placement. None when it names no province."""
    if not name or not name.strip():
        return None
    key = province_key(name)
    alias = db.session.scalar(select(ProvinceAlias).where(ProvinceAlias.key == key))
    if alias is not None:
        province = alias.province
        merged = alias.legacy and alias.key != province_key(province.name)
        return ProvinceMatch(province, alias.name if merged else None)
    by_slug = db.session.scalar(select(Province).where(Province.slug == slugify(name)))
    if by_slug is not None:
        return ProvinceMatch(by_slug)
    code = row_id(key)  # ASCII digits that fit an id ("²".isdigit() is True too)
    by_code = db.session.get(Province, code) if code is not None else None
    return ProvinceMatch(by_code) if by_code is not None else None


def resolve_province(name: str | None) -> Province | None:
    """The current province for any name (see match_province). None when unknown."""
    match = match_province(name)
    return match.province if match is not None else None


@dataclass(frozen=True)
class Region:
    """One of the six socio-economic regions: names from reference.REGIONS, members from
    Province.region (what the home page groups by)."""

    slug: str
    name: str
    province_ids: tuple[int, ...]


def all_regions() -> list[Region]:
    """The six regions in the order of reference.REGIONS, each with its provinces' ids."""
    members: dict[str, list[int]] = {name: [] for name in reference.REGIONS}
    for province in db.session.scalars(select(Province).order_by(Province.id)):
        members.setdefault(province.region, []).append(province.id)
    return [Region(slugify(name), name, tuple(ids)) for name, ids in members.items()]


def resolve_region(name: str | None) -> Region | None:
    """A region by its slug or name, accents optional. None when it names none."""
    if not name or not name.strip():
        return None
    wanted = slugify(name)
    return next((r for r in all_regions() if r.slug == wanted), None)


def is_legacy_name(name: str, province: Province) -> bool:
    """True when `name` is a pre-2025 province now merged into `province`."""
    key = province_key(name)
    return key != province_key(province.name) and any(
        a.legacy and a.key == key for a in province.aliases
    )


def resolve_category(name: str | None) -> Category | None:
    """Find an OCOP group by its name, short name or slug, accents optional.

    Lists made before 2023 still use the groups of Decision 1048/QĐ-TTg (2019); those names
    resolve to the group that took them over in Decision 148/QĐ-TTg (2023).
    """
    if not name or not name.strip():
        return None
    wanted = " ".join(fold(name).replace("-", " ").replace(",", " ").split())
    wanted = reference.CATEGORY_ALIASES.get(wanted, wanted)
    for category in db.session.scalars(select(Category)):
        names = (category.name, category.short_name)
        if wanted == category.slug or wanted in (_group_key(n) for n in names):
            return category
    return None


def _group_key(name: str) -> str:
    return " ".join(fold(name).replace("-", " ").replace(",", " ").split())


def all_provinces() -> list[Province]:
    return sorted(db.session.scalars(select(Province)), key=lambda p: fold(p.name))


def all_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position)))
