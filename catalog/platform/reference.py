"""Reference data the catalogue is built on: provinces, regions and OCOP groups.

The 34 provinces come from the `vietnam-provinces` package; the pre-2025 names come from the
merger table (Resolution 202/2025/QH15) shipped in catalog/data/provinces-2025.csv.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import vietnam_provinces as vp

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

REGIONS: dict[str, tuple[str, ...]] = {
    "Trung du và miền núi phía Bắc": (
        "Cao Bằng", "Tuyên Quang", "Điện Biên", "Lai Châu", "Sơn La", "Lào Cai",
        "Thái Nguyên", "Lạng Sơn", "Phú Thọ",
    ),
    "Đồng bằng sông Hồng": (
        "Hà Nội", "Hải Phòng", "Quảng Ninh", "Bắc Ninh", "Hưng Yên", "Ninh Bình",
    ),
    "Bắc Trung Bộ và duyên hải miền Trung": (
        "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Trị", "Huế", "Đà Nẵng", "Quảng Ngãi",
        "Khánh Hòa",
    ),
    "Tây Nguyên": ("Gia Lai", "Đắk Lắk", "Lâm Đồng"),
    "Đông Nam Bộ": ("Hồ Chí Minh", "Đồng Nai", "Tây Ninh"),
    "Đồng bằng sông Cửu Long": ("Cần Thơ", "Vĩnh Long", "Đồng Tháp", "An Giang", "Cà Mau"),
}  # fmt: skip

# Abbreviations and nicknames that no prefix rule can derive.
EXTRA_SPELLINGS: dict[str, str] = {
    "TP HCM": "Hồ Chí Minh",
    "TPHCM": "Hồ Chí Minh",
    "HCM": "Hồ Chí Minh",
    "Sài Gòn": "Hồ Chí Minh",
    "TP Hồ Chí Minh": "Hồ Chí Minh",
    "HN": "Hà Nội",
    "Thừa Thiên - Huế": "Huế",
}


@dataclass(frozen=True)
class CategoryInfo:
    slug: str
    name: str
    short_name: str
    description: str


# The six official OCOP product groups (Decision 148/QĐ-TTg of 24 February 2023).
CATEGORIES: tuple[CategoryInfo, ...] = (
    CategoryInfo(
        "thuc-pham",
        "Thực phẩm",
        "Thực phẩm",
        "Nông sản tươi và sơ chế, thực phẩm chế biến, gia vị, chè và cà phê nguyên liệu.",
    ),
    CategoryInfo(
        "do-uong",
        "Đồ uống",
        "Đồ uống",
        "Đồ uống có cồn và không cồn: rượu truyền thống, nước ép, trà và cà phê pha sẵn.",
    ),
    CategoryInfo(
        "thao-duoc",
        "Thảo dược",
        "Thảo dược",
        "Sản phẩm từ dược liệu: thực phẩm chức năng, trà thảo mộc, tinh dầu, mỹ phẩm.",
    ),
    CategoryInfo(
        "thu-cong-my-nghe",
        "Thủ công mỹ nghệ",
        "Thủ công mỹ nghệ",
        "Đồ thủ công, mỹ nghệ, vải và may mặc, lưu niệm, nội thất và trang trí.",
    ),
    CategoryInfo(
        "sinh-vat-canh",
        "Sinh vật cảnh",
        "Sinh vật cảnh",
        "Hoa, cây cảnh, cá cảnh, chim cảnh và các loài sinh vật cảnh khác.",
    ),
    CategoryInfo(
        "du-lich",
        "Dịch vụ du lịch cộng đồng, du lịch nông thôn và điểm du lịch",
        "Du lịch cộng đồng",
        "Dịch vụ du lịch cộng đồng, du lịch nông thôn và các điểm du lịch.",
    ),
)


# Group names of the 2019 programme (Decision 1048/QĐ-TTg), still found in provincial lists,
# folded as resolve_category folds them -> slug of the 2023 group that covers them.
CATEGORY_ALIASES: dict[str, str] = {
    "vai va may mac": "thu-cong-my-nghe",
    "luu niem noi that trang tri": "thu-cong-my-nghe",
    "thu cong my nghe trang tri": "thu-cong-my-nghe",
    "hang thu cong my nghe": "thu-cong-my-nghe",
    "dich vu du lich nong thon ban hang": "du-lich",
    "dich vu du lich cong dong du lich sinh thai va diem du lich": "du-lich",
    "dich vu du lich": "du-lich",
    "du lich": "du-lich",
}


@dataclass(frozen=True)
class ProvinceInfo:
    code: int
    name: str
    full_name: str
    kind: str
    region: str


def short_province_name(full_name: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh "):
        if full_name.startswith(prefix):
            return full_name[len(prefix) :]
    return full_name


@cache
def provinces() -> tuple[ProvinceInfo, ...]:
    region_of = {name: region for region, names in REGIONS.items() for name in names}
    result = []
    for p in vp.Province.iter_all():
        name = short_province_name(p.name)
        result.append(
            ProvinceInfo(
                code=int(p.code.value),
                name=name,
                full_name=p.name if p.name.startswith("Thành phố") else f"Tỉnh {p.name}",
                kind=p.division_type.value,
                region=region_of[name],
            )
        )
    return tuple(sorted(result, key=lambda info: info.code))


@cache
def legacy_provinces() -> tuple[tuple[str, str], ...]:
    """(pre-2025 name, current name) pairs from the merger table."""
    with (DATA_DIR / "provinces-2025.csv").open(encoding="utf-8") as fh:
        rows = csv.DictReader(fh)
        return tuple((r["pre_2025_province"], r["province_since_2025_07_01"]) for r in rows)


@cache
def wards_of(province_code: int) -> tuple[tuple[int, str], ...]:
    """(ward code, ward name) of one province, sorted by name, for forms and matching."""
    wards = vp.Ward.iter_by_province(vp.ProvinceCode(province_code))
    return tuple(sorted(((int(w.code.value), w.name) for w in wards), key=lambda t: t[1]))
