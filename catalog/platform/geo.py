"""Provinces and OCOP groups: loading the reference rows and resolving names people type."""

from __future__ import annotations

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


def resolve_province(name: str | None) -> Province | None:
    """Find the current province for any name: new or old, with or without accents or
    'Tỉnh'/'TP' prefixes, old or new tone placement. None when unknown."""
    if not name or not name.strip():
        return None
    key = province_key(name)
    alias = db.session.scalar(select(ProvinceAlias).where(ProvinceAlias.key == key))
    if alias is not None:
        return alias.province
    by_slug = db.session.scalar(select(Province).where(Province.slug == slugify(name)))
    if by_slug is not None:
        return by_slug
    code = row_id(key)  # ASCII digits that fit an id ("²".isdigit() is True too)
    return db.session.get(Province, code) if code is not None else None


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
