"""A reproducible synthetic Vietnamese OCOP catalogue and a fixed mixed query set.

Everything comes from one seeded `random.Random`, so the same seed gives the same products
and queries on every machine, and the first N products of a bigger catalogue are exactly the
catalogue of size N. Product kinds are drawn with skewed weights (rice, honey and fish sauce
are everywhere; bird's-nest tours are rare), as in the real OCOP lists, so common words match
thousands of products and rare ones a handful.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from search_index import ProductDoc, SearchQuery
from search_index.text import fold, slugify


def _split(text: str, sep: str | None = ", ") -> list[str]:
    return text.split(sep)


def _table(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.split("|")] for line in text.strip().splitlines()]


# The 34 provinces since 1 July 2025: name | pre-2025 names it absorbed | local places.
PROVINCES = _table("""
Hà Nội | | Bát Tràng, Vạn Phúc, Ước Lễ, Sóc Sơn
Huế | Thừa Thiên Huế | Thủy Biều, Phong Điền, Sịa
Lai Châu | | Tam Đường, Sìn Hồ
Điện Biên | | Mường Thanh, Tủa Chùa
Sơn La | | Mộc Châu, Yên Châu
Lạng Sơn | | Bắc Sơn, Tràng Định
Quảng Ninh | | Vân Đồn, Hạ Long, Tiên Yên
Thanh Hóa | | Nga Sơn, Hậu Lộc
Nghệ An | | Quỳnh Lưu, Con Cuông
Hà Tĩnh | | Hương Khê, Vũ Quang
Cao Bằng | | Trùng Khánh, Bảo Lạc
Tuyên Quang | Hà Giang | Na Hang, Đồng Văn, Hoàng Su Phì
Lào Cai | Yên Bái | Sa Pa, Bắc Hà, Mù Cang Chải, Nghĩa Lộ
Thái Nguyên | Bắc Kạn | Tân Cương, Ba Bể
Phú Thọ | Vĩnh Phúc, Hòa Bình | Cao Phong, Thanh Sơn, Tam Đảo
Bắc Ninh | Bắc Giang | Lục Ngạn, Đông Hồ, Yên Thế
Hưng Yên | Thái Bình | Phố Hiến, Tiên Lữ
Hải Phòng | Hải Dương | Cát Hải, Thanh Hà, Chí Linh
Ninh Bình | Hà Nam, Nam Định | Kim Sơn, Giao Thủy, Tràng An
Quảng Trị | Quảng Bình | Khe Sanh, Phong Nha
Đà Nẵng | Quảng Nam | Nam Ô, Hội An, Trà My
Quảng Ngãi | Kon Tum | Lý Sơn, Ngọc Linh, Ba Tơ
Gia Lai | Bình Định | Pleiku, Tam Quan, Quy Nhơn
Khánh Hòa | Ninh Thuận | Nha Trang, Phan Rang, Cam Lâm
Lâm Đồng | Đắk Nông, Bình Thuận | Đà Lạt, Phan Thiết, Bảo Lộc
Đắk Lắk | Phú Yên | Buôn Ma Thuột, Sông Cầu, Krông Pắc
Hồ Chí Minh | Bình Dương, Bà Rịa - Vũng Tàu | Củ Chi, Cần Giờ, Long Hải
Đồng Nai | Bình Phước | Bù Đăng, Xuân Lộc, Long Khánh
Tây Ninh | Long An | Bến Lức, Cần Đước, Trảng Bàng
Cần Thơ | Sóc Trăng, Hậu Giang | Phong Điền, Vị Thanh, Kế Sách
Vĩnh Long | Bến Tre, Trà Vinh | Chợ Lách, Mỏ Cày, Cầu Kè
Đồng Tháp | Tiền Giang | Sa Đéc, Cái Bè, Lai Vung
Cà Mau | Bạc Liêu | Năm Căn, Đất Mũi, Giá Rai
An Giang | Kiên Giang | Phú Quốc, Châu Đốc, Tri Tôn
""")
assert len(PROVINCES) == 34

CATEGORIES = {
    "thuc-pham": "Thực phẩm",
    "do-uong": "Đồ uống",
    "thao-duoc": "Thảo dược",
    "thu-cong-my-nghe": "Thủ công mỹ nghệ",
    "sinh-vat-canh": "Sinh vật cảnh",
    "du-lich": "Dịch vụ du lịch cộng đồng, du lịch nông thôn và điểm du lịch",
}

# category slug -> (relative weight, product kinds; the first ones are the most common).
KINDS = {
    "thuc-pham": (55, "Gạo, Mật ong, Nước mắm, Chè, Cà phê, Hạt điều, Tỏi, Vải thiều, Nem chua, "
        "Miến dong, Măng khô, Bánh pía, Nhãn lồng, Bưởi da xanh, Xoài cát, Chả cá, Mực một nắng, "
        "Tôm khô, Hồ tiêu, Ớt, Hành tím, Muối, Bánh đa, Bánh tráng, Kẹo dừa, Mứt gừng, Lạp xưởng, "
        "Giò lụa, Dầu lạc, Khô bò, Khô cá lóc, Cơm cháy, Bánh cốm, Chuối sấy, Mít sấy, Nấm hương, "
        "Mộc nhĩ, Mắc ca, Gừng, Nghệ, Sầu riêng, Thanh long, Cam sành, Chanh leo, Đậu phộng"),
    "do-uong": (12, "Rượu nếp, Rượu ngô, Rượu sim, Trà xanh, Trà sen, Nước ép, Cà phê hòa tan, "
        "Sữa chua, Siro chanh dây, Rượu vang nho, Nước cốt dừa, Bia thủ công, Rượu cần, Nước mía"),
    "thao-duoc": (12, "Tinh dầu sả, Tinh dầu tràm, Cao atiso, Trà atiso, Sâm Ngọc Linh, "
        "Đông trùng hạ thảo, Tinh bột nghệ, Trà hoa vàng, Xà phòng thảo mộc, Dầu gió, Hà thủ ô, "
        "Giảo cổ lam, Cà gai leo, Trà dây"),
    "thu-cong-my-nghe": (12, "Nón lá, Chiếu cói, Gốm sứ, Lụa tơ tằm, Thổ cẩm, Mây tre đan, "
        "Tranh Đông Hồ, Đồ gỗ mỹ nghệ, Túi cói, Giỏ lục bình, Khăn thêu, Tranh thêu, Đèn lồng, "
        "Bình gốm"),
    "sinh-vat-canh": (5, "Lan hồ điệp, Đào cảnh, Quất cảnh, Mai vàng, Bonsai, Cá Koi, Cây sanh, "
        "Hoa cúc, Hoa hồng, Sen đá"),
    "du-lich": (4, "Du lịch cộng đồng bản, Homestay, Điểm du lịch làng nghề, Tour trải nghiệm, "
        "Khu du lịch sinh thái, Du lịch miệt vườn"),
}  # fmt: skip

QUALIFIERS = _split(
    "sấy khô, loại đặc biệt, hữu cơ, truyền thống, thượng hạng, nguyên chất, loại 1, cao cấp, "
    "tự nhiên, gia truyền, đặc sản, sạch, rừng, lên men, thủ công, hộp quà, túi 1kg, "
    "chai 500ml, 40 độ, xuất khẩu, VietGAP, Hoà Thuận"
)
PRODUCER_KINDS = ("HTX", "Hợp tác xã", "Công ty TNHH", "Công ty Cổ phần", "Hộ kinh doanh",
                  "Cơ sở sản xuất", "Tổ hợp tác")  # fmt: skip
BRANDS = _split(
    "Thành Đạt, Phú Mỹ, Hương Quê, An Phát, Việt Hưng, Xanh, Nông sản sạch, Minh Long, "
    "Kim Ngân, Thuỷ Tiên, Đồng Xanh, Bảo Ngọc, Tâm An, Phúc Lộc, Hoa Sen, Đại Ngàn"
)
SURNAMES = _split("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý", None)
MIDDLE = _split("Văn Thị Đức Minh Ngọc Thanh Hữu Quốc", None)
GIVEN = "An Bình Cường Dũng Hòa Hùng Lan Mai Nam Phương Quỳnh Sơn Thảo Tuấn Yến Thủy Khoa Hiếu"
SENTENCES = (
    "Sản phẩm được làm từ nguyên liệu {place} theo phương pháp {method}.",
    "Đạt chứng nhận OCOP {stars} sao năm {year}.",
    "Đóng gói {pack}, bảo quản nơi khô ráo, thoáng mát.",
    "Hương vị {taste}, phù hợp làm quà biếu dịp lễ Tết.",
    "Vùng nguyên liệu rộng {n} ha, canh tác theo tiêu chuẩn VietGAP.",
    "Sản phẩm của {producer} với hơn {n} năm kinh nghiệm.",
    "{kind} {place} nổi tiếng khắp vùng {region}.",
    "Không chất bảo quản, không phẩm màu, an toàn cho sức khoẻ.",
)
METHODS = _split("truyền thống, thủ công, ủ chượp, phơi nắng, sấy lạnh, lên men tự nhiên")
PACKS = _split("hộp giấy, túi zip, chai thuỷ tinh, hũ sành, túi hút chân không")
TASTES = _split("đậm đà, thơm ngon, ngọt thanh, cay nồng, béo ngậy, thanh mát")
REGIONS = _split("Tây Bắc, đồng bằng sông Cửu Long, miền Trung, Tây Nguyên, Đông Bắc")
T0 = datetime(2019, 1, 1)


@dataclass(frozen=True)
class Province:
    slug: str
    name: str
    aliases: tuple[str, ...]
    places: tuple[str, ...]


def provinces() -> list[Province]:
    result = []
    for name, aliases, places in PROVINCES:
        split = tuple(a.strip() for a in aliases.split(",") if a.strip())
        result.append(Province(slugify(name), name, split, tuple(places.split(", "))))
    return result


def _kinds() -> list[tuple[str, str, float]]:
    """(kind, category slug, weight): within a category, weight falls off as 1/rank."""
    out = []
    for slug, (weight, kinds) in KINDS.items():
        names = _split(kinds)
        norm = sum(1 / (r + 1) for r in range(len(names)))
        out += [(k, slug, float(weight) / (r + 1) / norm) for r, k in enumerate(names)]
    return out


def catalogue(n: int, seed: int = 20250701) -> list[ProductDoc]:
    """`n` products; the first k of catalogue(n) equal catalogue(k)."""
    rng = random.Random(seed)
    provs = provinces()
    prov_weights = [rng.uniform(0.5, 2.0) for _ in provs]
    kinds = _kinds()
    kind_weights = [w for _, _, w in kinds]
    docs = []
    for pid in range(1, n + 1):
        prov = rng.choices(provs, prov_weights)[0]
        kind, cat, _ = rng.choices(kinds, kind_weights)[0]
        place = rng.choice(prov.places + (prov.name,) + prov.aliases)
        name = kind
        if rng.random() < 0.7:
            name += " " + place
        if rng.random() < 0.6:
            name += " " + rng.choice(QUALIFIERS)
        producer = _producer(rng, kind, place)
        desc = _description(rng, kind, place, producer)
        if rng.random() < 0.01:  # some keyboards send decomposed text
            name = unicodedata.normalize("NFD", name)
        stars = rng.choices((3, 4, 5, None), (55, 30, 3, 12))[0]
        price = None if rng.random() < 0.15 else int(rng.lognormvariate(11.5, 0.8)) // 1000 * 1000
        docs.append(
            ProductDoc(
                id=pid,
                slug=f"{slugify(name)}-{pid}",
                name=name,
                producer_name=producer,
                description=desc,
                category_slug=cat,
                category_name=CATEGORIES[cat],
                province_slug=prov.slug,
                province_name=prov.name,
                province_aliases=prov.aliases,
                ocop_stars=stars,
                verified=rng.random() < 0.6,
                price_vnd=price,
                created_at=T0 + timedelta(minutes=rng.randrange(7 * 365 * 24 * 60)),
            )
        )
    return docs


def _producer(rng: random.Random, kind: str, place: str) -> str:
    form = rng.choice(PRODUCER_KINDS)
    if form == "Hộ kinh doanh":
        return f"{form} {rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN.split())}"
    what = rng.choice((kind, rng.choice(BRANDS), "Nông nghiệp"))
    return f"{form} {what} {place}" if rng.random() < 0.7 else f"{form} {what}"


def _description(rng: random.Random, kind: str, place: str, producer: str) -> str:
    values = {
        "place": place,
        "method": rng.choice(METHODS),
        "stars": rng.choice((3, 4, 5)),
        "year": rng.randrange(2019, 2026),
        "pack": rng.choice(PACKS),
        "taste": rng.choice(TASTES),
        "n": rng.randrange(2, 60),
        "producer": producer,
        "kind": kind,
        "region": rng.choice(REGIONS),
    }
    chosen = rng.sample(SENTENCES, rng.randint(1, 3))
    return " ".join(s.format(**values) for s in chosen)


# --- queries ----------------------------------------------------------------------------

SINGLE = "mắm gạo chè tỏi rượu mật điều vải nhãn bưởi tiêu nấm gốm lụa nón lan sâm trà bánh "
SINGLE += "miến măng khô sấy homestay xoài cói"
TWO = _split(
    "nước mắm, mật ong, cà phê, vải thiều, hạt điều, nem chua, miến dong, măng khô, bánh pía, "
    "tinh dầu, nón lá, gạo nếp, rượu ngô, mật ong rừng, gạo hữu cơ, trà sen, chả cá, "
    "thổ cẩm, lan hồ điệp, khô bò, tôm khô, bưởi da xanh, cà phê Buôn Ma Thuột, chè Tân Cương, "
    "nước mắm Phú Quốc, vải thiều Lục Ngạn, rượu nếp Hòa Bình, gốm Bát Tràng, lụa Vạn Phúc, "
    "sâm Ngọc Linh, tỏi Lý Sơn, hành tím Vĩnh Châu, mực một nắng, du lịch cộng đồng"
)
PREFIXES = _split(
    "mật o, nước mắ, cà p, vải thi, ch, gạ, hạt đi, nem c, bánh p, tinh d, rượu n, mi, "
    "mậ, nuoc m, ca ph, tra s, gom, lua v, sâm ng, khô b, tôm k, đồng, bư, homes, mắc"
)
BROWSE_SORTS = ("newest", "stars", "price_asc")
SORTED = ("stars", "price_asc", "price_desc", "newest")
STAR_SETS = ((4, 5), (5,), (4,), (3, 4, 5))


def _typo(rng: random.Random, text: str) -> str:
    words = fold(text).split()
    i = max(range(len(words)), key=lambda j: len(words[j]))
    w = words[i]
    k = rng.randrange(1, len(w))
    words[i] = rng.choice((w[:k] + w[k:][1:], w[:k] + w[k - 1] + w[k:]))
    return " ".join(words)


def queries(seed: int = 7) -> list[tuple[str, SearchQuery]]:
    """About 230 (class, query) pairs, the same for every catalogue size."""
    rng = random.Random(seed)
    provs = provinces()
    singles = SINGLE.split()
    out: list[tuple[str, SearchQuery]] = []
    out += [("one word", SearchQuery(text=w)) for w in singles]
    out += [("two+ words", SearchQuery(text=t)) for t in TWO]
    out += [("accent-free", SearchQuery(text=fold(t))) for t in rng.sample(TWO + singles, 30)]
    out += [("prefix", SearchQuery(text=p)) for p in PREFIXES]
    for t in rng.sample(TWO + singles, 30):
        q = SearchQuery(text=t, provinces=(rng.choice(provs).slug,), stars=rng.choice(STAR_SETS))
        out.append(("province+stars", q))
    for t in rng.sample(TWO + singles, 20):
        q = SearchQuery(text=t, categories=(rng.choice(list(CATEGORIES)),))
        out.append(("category", q))
    for t in rng.sample(TWO + singles, 30):
        out.append(("sorted", SearchQuery(text=t, sort=rng.choice(SORTED))))
    for _ in range(15):
        if rng.random() < 0.5:
            q = SearchQuery(categories=(rng.choice(list(CATEGORIES)),))
        else:
            q = SearchQuery(provinces=(rng.choice(provs).slug,), verified=True)
        out.append(("browse", SearchQuery(**{**q.__dict__, "sort": rng.choice(BROWSE_SORTS)})))
    out += [("typo", SearchQuery(text=_typo(rng, t))) for t in rng.sample(TWO, 15)]
    # A few second pages, as from "next page" links.
    for i in rng.sample(range(len(out)), 10):
        cls, q = out[i]
        out.append((cls, SearchQuery(**{**q.__dict__, "page": 2})))
    return out


def autocomplete_prefixes() -> list[str]:
    return PREFIXES + [w[:3] for w in SINGLE.split()[:25]]


def zipf_draws(n_queries: int, draws: int, s: float = 1.1, seed: int = 11) -> list[int]:
    """Indices into the query set drawn from a Zipf(s) popularity over a shuffled order."""
    rng = random.Random(seed)
    order = list(range(n_queries))
    rng.shuffle(order)
    weights = [1 / (rank + 1) ** s for rank in range(n_queries)]
    return [order[r] for r in rng.choices(range(n_queries), weights, k=draws)]
