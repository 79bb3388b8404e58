"""Listing titles against catalog products: normalised text, attributes, fuzzy similarity (rapidfuzz).

Attributes are what tells variants apart and what resellers get wrong on purpose: size
(M, XL, 42), volume (750ml, 30L), count (一对, 2只装, pack of 3) and colour (the catalog's own
colour names). A title that states a different value than the product is a conflict, whatever
the similarity says.

Beside the variant attributes, a title can say that the listing is not the item itself: an
accessory for it ("JK01 保护套", "Replacement Lid for ..."), a sample or a refill (小样, 补充装),
another model of the line (Pro, Max, 二代, Gen 2), a set of unknown size (礼盒装, bundle), a
second-hand item (二手, 95新, Renewed) or a lookalike (山屿同款, 平替).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from rapidfuzz import fuzz

from oneprice.domain.catalog import Product

_PUNCT = re.compile(r"[\s\-_/|,，。、·•:：;；!！?？()（）\[\]【】<>《》\"'“”‘’+*~]+")
_CJK = re.compile(r"[\u3400-\u9fff]")
_VOLUME = re.compile(r"(\d+(?:\.\d+)?)\s*(ml|毫升|l|升)(?![a-z])", re.IGNORECASE)
# "3只装": three of the item in one listing; "3件套": a set of three
_PACKED = "只装|件装|件套|支装|个装|双装|根装|条装|瓶装|盒装|袋装|罐装"
_COUNT = re.compile(
    # "x2", "pack of 3"; not a dimension's "40 x 30 cm"
    r"(?:pack of|set of|(?<!\d)(?<!\d\s)x)\s*(\d{1,3})\b(?!\s*(?:cm|mm|m|in|inch|厘米|毫米|米)\b)"
    # "×3": a count after a times sign (a star is gone with the punctuation), before a unit word or at the end
    r"|×\s*(\d{1,3})(?=\s*(?:瓶|支|只|个|件|双|根|条|盒|袋|罐|pcs|pack)|\s|$)"
    # "2瓶" ("500ml*2瓶"), not "2支" alone: "40支" is a cotton's yarn count
    rf"|(\d{{1,3}})\s*(?:{_PACKED}|瓶|罐|pcs|pack|pk|count|ct)(?![a-z])"
    rf"|([一两二三四五六七八九十]\s*(?:{_PACKED}|瓶|罐)|一对|两支|双支|单支|单只|单根"
    r"|twin pack|double pack|triple pack)",
    re.IGNORECASE,
)
_APPAREL_SIZES = ("xxxl", "xxl", "xl", "xs", "s", "m", "l", "3xl", "2xl")
# Words after a number that make it no size: a yarn count ("40支"), a price ("39元"), a measure or a count.
# Not the first character of a word after a size ("42 包邮", "42 天猫", "42 米色", "42 支撑").
_NOT_SIZE_UNIT = (
    r"(?:cm|mm|kg|g|ml|l|oz|in|inch|w|v|mah|gb|eur|usd)\b"
    "|支(?![持撑架])|元(?!旦)|度(?!假)|寸|英寸|厘米|毫米|千克|克|斤|毫升|件装|瓶|袋装|盒装|罐"
)
# Shoe sizes 34-48 and their halves ("42.5码"); not a number of a dimension ("30x40cm", "42cm").
_SIZE_WORD = re.compile(
    r"(?<![a-z0-9])(xxxl|xxl|3xl|2xl|xl|xs|s|m|l)(?![a-z0-9])"
    rf"|(?<![\d.x×])((?:3[4-9]|4[0-8])(?:\.5)?)(?:码|号)?(?![\d.a-z×]|\s*[x×]\s*\d|\s*(?:{_NOT_SIZE_UNIT}))"
)
# A count before a measure word: "2双" (two pairs of shoes), "2副", "2盒", "2只", "2条", "2支", "2件", and "2对" (two
# pairs: twice as many as "一对"), or "两双", "三盒", "两副" in words. Not discount terms ("满2件", "第2件半价",
# "2件9折", "2件起", "拍2件"), a yarn count ("40支", "60支棉": 支 above `MAX_STICKS` or before 棉/纱), stripes
# ("3条纹"), a barcode, "2只要", "双人", "双层".
_UNIT_COUNT = re.compile(
    r"(?<![\d.])(\d{1,3})\s*(?:(对)(?![比应折])|(支)(?![持撑架棉纱])|件(?![\d起折减包半优打以内])"
    r"|(?:双(?![人层面肩色])|副(?![卡本])|盒|只(?![要有能是])|条(?![纹杠码形])))"
    r"|([两二三四五六七八九十])\s*(?:双(?![人层面肩色])|副(?![卡本])|盒)"
)
_NOT_COUNT_BEFORE = re.compile(r"(?:满|第|买|拍|任选|任意|每|前|减|送)\s*$")
MAX_STICKS = 12
# Counts written in words: a pair of poles, a single one. Not "一双": one pair of shoes is one item.
_PAIR = {
    "一对": 2, "两支": 2, "双支": 2, "单支": 1, "单只": 1, "单根": 1,
    "twin pack": 2, "double pack": 2, "triple pack": 3,
}  # fmt: skip
# "买一送一": buy one, get one free, two items for the price; "买2送1": three.
_FREE_ITEMS = re.compile(r"买\s*([一二两三1-3])\s*送\s*([一二两1-3])")
# A star before a count is punctuation to `normalize_title`, so the count is read before: "500ml*2", "洗发水*2"
# (not "40*30", a dimension); "2*500ml", "2x500ml": two bottles of 500 ml.
_STAR_COUNT = re.compile(r"(?<=[^\d\s*])\s*\*\s*(?=\d)")
# A star a space after a shoe size, before a small count: "43 *2", "42.5 * 2" are two pairs of size 43, not a
# dimension; written as "2pcs" so that the size stays read. Not "40 *30cm", "40 *3m" (a measure follows).
_SIZE_STAR = re.compile(
    r"(?<![\d.])((?:3[4-9]|4[0-8])(?:\.5)?)\s+\*\s*([1-9])"
    r"(?![\d.]|\s*(?:[*x×]|cm|mm|m(?![a-z])|in(?![a-z])|inch|厘米|毫米|米))",
    re.IGNORECASE,
)
# A shoe size written against a star and a small count, with no space: "跑鞋 43*2", "42.5*3" are two or three
# pairs of that size in a title about shoes or clothes (`_WORN`; not 洗衣液, 衣架). A dimension has two numbers of
# like size and often a unit ("30*40", "43*20", "43*2cm"); without a word for something worn the star is left as
# it was.
_SIZE_TIMES = re.compile(
    r"(?<![\d.*x×])((?:3[4-9]|4[0-8])(?:\.5)?)\*(10|[2-9])"
    r"(?![\d.]|\s*(?:[*x×]|cm|mm|m(?![a-z])|in(?![a-z])|inch|厘米|毫米|米))",
    re.IGNORECASE,
)
_WORN = re.compile(
    r"鞋|靴|袜|(?<!洗)衣(?![架柜])|裤|衫|裙|外套|帽|手套|(?<![a-z])(?:shoes?|sneakers?|trainers?|boots?|sandals?|slippers?"
    r"|socks?|shirts?|t-shirts?|tees?|jackets?|pants|trousers|shorts|hoodies?)(?![a-z])",
    re.IGNORECASE,
)
_LEADING_COUNT = re.compile(
    r"(?<![\d.])(\d{1,2})\s*[*x×]\s*(?=\d+(?:\.\d+)?\s*(?:ml|l|g|kg|oz|毫升|升|克)(?![a-z]))", re.IGNORECASE
)
# Weights ("50g", "100克", "1.5kg") and ounces ("17 oz", "16.9 fl oz"): a fluid ounce is a volume, a bare
# ounce is read as both (resellers write "oz" for either) and stands for every whole amount within 2.5%,
# since a title rounds it ("25 oz" is a 750 ml bottle).
_WEIGHT = re.compile(r"(\d+(?:\.\d+)?)\s*(kg|千克|公斤|g|克)(?![a-z])", re.IGNORECASE)
_OUNCES = re.compile(r"(\d+(?:\.\d+)?)\s*(fl\.?\s*oz|oz)(?![a-z])", re.IGNORECASE)
ML_PER_FL_OZ, G_PER_OZ, OUNCE_TOLERANCE = Decimal("29.5735"), Decimal("28.3495"), Decimal("0.025")
_NUMERALS = {"一": 1, "两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}


# Words that make a listing something for the item rather than the item: an accessory or a spare part.
# A catalog product named with the same word (a brand's own "替换刷头") is that kind of product.
_ACCESSORY = re.compile(
    r"配件|(?<!可)替换(?!装)|保护套|保护壳|保护膜|钢化膜|贴膜|手机壳|充电器"  # "可替换电池" is a feature
    r"|(?<![a-z])(?:accessory|accessories|replacement|charger|case cover|protective case"
    r"|screen protector|spare parts?)(?![a-z])"
)
# A part of the item, named alone as an accessory ("JK01 刷头", "徒步鞋 鞋带") or as a feature of the item
# ("软毛刷头", "快速鞋带系统"): a person decides.
_PART = re.compile(
    r"刷头|杯盖|杯套|壶盖|鞋带|鞋垫|防雨罩|挂绳|滤芯|表带|耳塞套|耳帽|杖尖|头带|充电线|充电座|数据线|适配器"
    r"|收纳袋|收纳包|收纳盒|地布"
    r"|(?<![a-z])(?:charging cable|carrying case|carry case|ear tips|eartips|lid|strap)(?![a-z])"
)
# "适用于洁康JK01", "兼容 JK01", "Compatible with Aquaflow", "Case for Aquaflow Earbuds": made for the
# catalog's product, when one of its brand words or model codes follows; not "适用于户外", "四季适用",
# "Compatible with iPhone" or "for Running", which say where or with what the item itself is used.
_COMPATIBLE = re.compile(r"适用|兼容|适配|(?<![a-z])(?:compatible|for use with|fits|for)(?![a-z])")
COMPATIBLE_REACH = 8  # characters after the word (spaces gone) where the catalog's brand or model code begins
# A gift or an included part before the word: "送刷头", "赠品：充电线", "带防雨罩", "with charger".
_GIFT = re.compile(r"送|赠|附|含|带|配|(?<![a-z])(?:with|incl|including|free|bonus)(?![a-z])")
# Characters before an accessory or part word where a gift word makes it part of the item: a few Chinese
# words ("送原装刷头"), two English ones ("with straw lid").
GIFT_REACH, GIFT_REACH_LATIN = 6, 12
_SAMPLE = re.compile(
    r"试用装|试用品|小样|中样|旅行装|体验装|便携装|(?<![a-z])(?:samples?|tester|trial size|travel size)(?![a-z])"
)
_REFILL = re.compile(r"替换装|补充装|替换芯|补充包|替芯|(?<![a-z])refills?(?![a-z])")
# Another model of the same line: "JK01 Pro" is not "JK01", "二代" / "Gen 2" is not the first generation.
# Not "max承重15kg" / "max load" (a maximum), "plus size" (apparel sizes), "ultra light" (a weight class).
_TIER = re.compile(
    r"(?<![a-z])(promax|pro|max(?!\s*(?:承重|载重|load|\d))|plus(?!\s*size)|ultra(?!\s*light)|lite|mini)(?![a-z])"
    r"|迷你|青春版"
)
_TIER_WORDS = {"promax": ("pro", "max"), "迷你": ("mini",), "青春版": ("lite",)}
_GENERATION = re.compile(
    r"第?([二三四五六七八九]|(?<!\d)[2-9])代"
    r"|(?<![a-z])gen\s*([2-9])(?!\d)|(?<![\d.])([2-9])(?:nd|rd|th)\s*gen(?:eration)?(?![a-z])"
)
# A used item is the product, but its price says nothing about the new one's: "二手", "95新", "9成新", "Renewed".
# Not "未拆封" (unopened), "can be used for hiking", "never used", "looks like new".
_USED = re.compile(
    r"二手|闲置|翻新|(?<!未)(?<!不)拆封|展示机|样机|(?<![\d.])(?:[89]\d|\d成|[七八九]成)新(?![款品])"
    r"|(?<![a-z])(?<!be )(?<!never )(?<!not )used(?!\s+(?:for|in|as|to|with|by|on)(?![a-z]))(?![a-z])"
    r"|(?<![a-z])(?:renewed|refurbished|refurb|pre owned|preowned|open box|second hand|secondhand)(?![a-z])"
    r"|(?<![a-z])(?<!looks )(?<!look )like new(?![a-z])"
)
# A set whose contents the title does not count: "礼盒装", "套装", "组合装", "Bundle".
_BUNDLE = re.compile(
    r"礼盒|套装|组合装|礼包|(?<![a-z])(?:bundle|gift set|combo|multipack|multi pack|value pack|variety pack)(?![a-z])"
)
# A copy: "山屿同款" or "冲锋衣同款" (the same style, another maker), "平替", "高仿". Not the marketing
# "男女同款" (unisex), "专柜同款" (as sold in the brand's stores), "明星同款" (as a celebrity wore).
_LOOKALIKE = re.compile(
    r"平替|高仿|仿品|a货|山寨"
    r"|(?<!男女)(?<!专柜)(?<!明星)(?<!网红)(?<!情侣)(?<!亲子)(?<!商场)(?<!官网)(?<!官方)(?<!门店)(?<!父子)(?<!母女)"
    r"(?<!店)(?<!主播)同款"  # "实体店同款", "旗舰店同款", "主播同款": as sold in a store, as shown live
)
_LOOKALIKE_LATIN = re.compile(r"(?<![a-z])(?:dupe|inspired by)(?![a-z])")
# Colour names beside the catalog's own: a listing naming a colour the catalog does not use ("米白", "酒红",
# "navy") states a colour all the same. Compared by their base ("黑色" is "黑", "black" is "黑" too).
_COLOUR_WORDS = (
    "黑色", "白色", "红色", "蓝色", "绿色", "灰色", "黄色", "紫色", "粉色", "棕色", "橙色", "金色", "银色", "米色",
    "米白", "乳白", "奶白", "象牙白", "珍珠白", "月光白", "亮黑", "哑黑", "磨砂黑", "深灰", "浅灰", "烟灰", "银灰",
    "藏青", "藏蓝", "深蓝", "浅蓝", "天蓝", "宝蓝", "湖蓝", "雾霾蓝", "墨绿", "军绿", "橄榄绿", "薄荷绿", "卡其",
    "酒红", "玫红", "粉红", "大红", "咖啡色", "驼色", "杏色", "香槟金", "玫瑰金",
)  # fmt: skip
_COLOUR_LATIN = re.compile(
    r"(?<![a-z])(off white|black|white|red|blue|green|grey|gray|yellow|purple|pink|brown|orange|gold|silver"
    r"|beige|navy|khaki|ivory|cream|charcoal)(?![a-z])"
)
_COLOUR_BASE = {
    "black": "黑", "white": "白", "red": "红", "blue": "蓝", "green": "绿", "grey": "灰", "gray": "灰",
    "yellow": "黄", "purple": "紫", "pink": "粉", "brown": "棕", "orange": "橙", "gold": "金", "silver": "银",
}  # fmt: skip


def normalize_title(text: str) -> str:
    """NFKC, case-folded, punctuation to single spaces, CJK characters kept."""
    return " ".join(_PUNCT.sub(" ", unicodedata.normalize("NFKC", text).casefold()).split())


def _compact(text: str) -> str:
    return text.replace(" ", "")


@dataclass(frozen=True)
class Attributes:
    """Variant attributes stated in a text; empty sets mean "not stated"."""

    sizes: frozenset[str] = frozenset()
    volumes_ml: frozenset[int] = frozenset()
    counts: frozenset[int] = frozenset()
    colours: frozenset[str] = frozenset()
    weights_g: frozenset[int] = frozenset()
    kinds: frozenset[str] = frozenset()  # accessory words, "sample", "refill": not the item itself
    tiers: frozenset[str] = frozenset()  # "pro", "max", "mini", "gen2": another model of the line
    flags: frozenset[str] = frozenset()  # "used", "bundle", "lookalike", "part:刷头": the listing as a whole


def _volumes(text: str) -> set[int]:
    out = set()
    for amount, unit in _VOLUME.findall(text):
        factor = 1 if unit.lower() in ("ml", "毫升") else 1000
        out.add(int(Decimal(amount) * factor))  # not float: 2.01 L * 1000 would be 2009 ml
    for amount, _unit in _OUNCES.findall(text):
        out |= _around(Decimal(amount) * ML_PER_FL_OZ)
    return out


def _weights(text: str) -> set[int]:
    out = set()
    for amount, unit in _WEIGHT.findall(text):
        out.add(int(Decimal(amount) * (1 if unit.lower() in ("g", "克") else 1000)))
    for amount, unit in _OUNCES.findall(text):
        if not unit.lower().startswith("fl"):
            out |= _around(Decimal(amount) * G_PER_OZ)
    return out


def _around(value: Decimal) -> set[int]:
    """Every whole amount within `OUNCE_TOLERANCE` of a converted one."""
    return set(range(int(value * (1 - OUNCE_TOLERANCE)), int(value * (1 + OUNCE_TOLERANCE)) + 1))


def _unstarred(text: str) -> str:
    """Counts written with a star or before an amount, in a form `_COUNT` reads after normalisation."""
    text = _LEADING_COUNT.sub(r"\1pcs ", unicodedata.normalize("NFKC", text))
    text = _SIZE_STAR.sub(r"\1 \2pcs ", text)
    if "*" in text and _WORN.search(text):
        text = _SIZE_TIMES.sub(r"\1 \2pcs ", text)
    return _STAR_COUNT.sub(" x", text)


def _kinds(text: str, brands: Iterable[str] = ()) -> set[str]:
    """What else than the item a text says it is: accessory words, "compatible", "sample", "refill"."""
    out = set()
    for found in _ACCESSORY.finditer(text):
        if not _given(text, found.start()):
            out.add(found.group())
    for found in _COMPATIBLE.finditer(text):
        after = _compact(text[found.end() : found.end() + 40])
        if any(b and 0 <= after.find(b) <= COMPATIBLE_REACH for b in brands):
            out.add("compatible")
    if _SAMPLE.search(text):
        out.add("sample")
    if _REFILL.search(text):
        out.add("refill")
    return out


def _tiers(text: str) -> set[str]:
    out: set[str] = set()
    for found in _TIER.finditer(text):
        word = found.group()
        out.update(_TIER_WORDS.get(word, (word,)))
    for found in _GENERATION.finditer(text):
        digit = next(g for g in found.groups() if g)
        out.add(f"gen{_NUMERALS.get(digit, digit)}")
    return out


def listing_flags(title: str) -> frozenset[str]:
    """What a title says about the listing as a whole: "used", "bundle", "lookalike", "part:<word>"."""
    return frozenset(_flags(normalize_title(_unstarred(title))))


def _given(text: str, start: int) -> bool:
    """Whether a gift word comes shortly before `start`: "送刷头", "赠品：充电线", "with charger"; not one
    inside an accessory or part word ("头带 配件", "配件 充电器")."""
    reach = GIFT_REACH_LATIN if text[start].isascii() else GIFT_REACH
    for gift in _GIFT.finditer(text, max(start - reach, 0), start):
        inside = (_ACCESSORY, _PART)
        if not any(m.start() <= gift.start() < m.end() for r in inside for m in r.finditer(text, 0, start)):
            return True
    return False


def _flags(text: str) -> set[str]:
    out = {f"part:{found.group()}" for found in _PART.finditer(text) if not _given(text, found.start())}
    if _USED.search(text):
        out.add("used")
    if _BUNDLE.search(text):
        out.add("bundle")
    if _LOOKALIKE.search(_compact(text)) or _LOOKALIKE_LATIN.search(text):
        out.add("lookalike")
    return out


@cache
def colour_key(colour: str) -> str:
    """A colour name's base for comparing: "黑色" -> "黑", "Jet Black" -> "jet黑"."""
    key = "".join(_COLOUR_BASE.get(w, w) for w in normalize_title(colour).split())
    return key[:-1] if len(key) > 1 and key.endswith("色") else key


def _colours(compact: str, text: str, colours: Iterable[str]) -> set[str]:
    found = {c for c in colours if c and _compact(normalize_title(c)) in compact}
    found |= {c for c in _COLOUR_WORDS if c in compact} | set(_COLOUR_LATIN.findall(text))
    # A longer colour name hides the shorter one inside it ("曜石黑" contains "黑", "米白" contains "白").
    keys = {c: _compact(normalize_title(c)) for c in found}
    return {c for c in found if not any(keys[c] != keys[o] and keys[c] in keys[o] for o in found)}


def _counts(text: str) -> set[int]:
    """How many of the item a text says it sells together ("2只装", "pack of 3", "单支": 1, "买一送一": 2)."""
    out = {sum(int(_NUMERALS.get(n, n)) for n in found) for found in _FREE_ITEMS.findall(text)}
    for x, star, digits, word in _COUNT.findall(text):
        if x or star or digits:
            value = int(x or star or digits)
        else:
            value = _PAIR.get(word) or _NUMERALS.get(word[:1], 0)
        if value > 0:
            out.add(value)
    for found in _UNIT_COUNT.finditer(text):
        digits, pairs, sticks, word = found.groups()
        if word:
            out.add(_NUMERALS[word])
            continue
        value = int(digits)
        if value == 0 or (sticks and value > MAX_STICKS) or _NOT_COUNT_BEFORE.search(text, 0, found.start()):
            continue
        out.add(value * 2 if pairs else value)
    return out


def _sizes(text: str) -> set[str]:
    stripped = _VOLUME.sub(" ", text)  # "30L" is a volume, not size L
    return {(a or b).lower() for a, b in _SIZE_WORD.findall(stripped)}


def title_attributes(title: str, colours: Iterable[str], brands: Iterable[str] = ()) -> Attributes:
    """The attributes a listing title states (colours from the catalog's own vocabulary and common
    colour names; `brands`, the catalog's brand words, tell "适用于<brand>" apart from "适用于户外")."""
    text = normalize_title(_unstarred(title))
    return Attributes(
        frozenset(_sizes(text)),
        frozenset(_volumes(text)),
        frozenset(_counts(text)),
        frozenset(_colours(_compact(text), text, colours)),
        frozenset(_weights(text)),
        frozenset(_kinds(text, brands)),
        frozenset(_tiers(text)),
        frozenset(_flags(text)),
    )


def product_attributes(product: Product) -> Attributes:
    """A product's attributes from its columns and its name."""
    name = normalize_title(_unstarred(product.name))
    sizes = set()
    size = normalize_title(product.size) if product.size else ""
    if size and not (_VOLUME.fullmatch(size) or _WEIGHT.fullmatch(size) or _OUNCES.fullmatch(size)):
        sizes.add(size)
    colours = {product.color} if product.color else set()
    return Attributes(
        frozenset(sizes),
        frozenset(_volumes(name) | _volumes(size)),
        frozenset(_counts(name)),
        frozenset(colours),
        frozenset(_weights(name) | _weights(size)),
        frozenset(_kinds(name)),
        frozenset(_tiers(name)),
        frozenset(_flags(name)),
    )


def conflicts(listing: Attributes, product: Attributes) -> list[str]:
    """Attributes the listing states with a value the product does not have."""
    out = []
    if listing.sizes and product.sizes and not listing.sizes & product.sizes:
        out.append("size")
    if listing.volumes_ml and product.volumes_ml and not listing.volumes_ml & product.volumes_ml:
        out.append("volume")
    if listing.counts and listing.counts - (product.counts or {1}):
        out.append("count")  # "2只装" of a single item, "pack of 3" of a pair, "单支" of a pair
    if listing.colours and product.colours and not _colours_near(listing.colours, product.colours):
        out.append("colour")
    if listing.weights_g and product.weights_g and not listing.weights_g & product.weights_g:
        out.append("weight")
    if listing.kinds and not listing.kinds <= product.kinds:
        out.append("kind")  # "JK01 保护套" is no toothbrush, "精华液 小样" no full-size bottle
    if listing.tiers and not listing.tiers <= product.tiers:
        out.append("model")  # "JK01 Pro", "JK01 二代" are not "JK01"
    return out


def _colours_same(listing: frozenset[str], product: frozenset[str]) -> bool:
    if listing & product:
        return True
    return any(colour_key(a) == colour_key(b) for a in listing for b in product)


def _colours_near(listing: frozenset[str], product: frozenset[str]) -> bool:
    """The same colour, or one named inside the other ("黑色" and "曜石黑", "米白" and "白色"): not a conflict,
    but not a confirmation either."""
    for a in listing:
        key = colour_key(a)
        for b in product:
            other = colour_key(b)
            if key == other or (key and other and (key in other or other in key)):
                return True
    return False


def confirmed(listing: Attributes, product: Attributes) -> list[str]:
    """Attributes the product has that the listing states with the same value."""
    out = []
    if product.sizes and listing.sizes & product.sizes:
        out.append("size")
    if product.colours and _colours_same(listing.colours, product.colours):
        out.append("colour")
    if product.volumes_ml and listing.volumes_ml & product.volumes_ml:
        out.append("volume")
    return out


def unstated(listing: Attributes, product: Attributes) -> list[str]:
    """Variant attributes the product has and the listing does not state at all."""
    out = []
    if product.sizes and not listing.sizes:
        out.append("size")
    if product.colours and not _colours_same(listing.colours, product.colours):
        out.append("colour")  # none, or a near one: "黑色" of an "曜石黑" product
    if product.tiers - listing.tiers:
        out.append("model")  # the product is the Pro, the title does not say so
    if product.kinds - listing.kinds:
        out.append("kind")  # the product is a refill or a sample, the title does not say so
    return out


@dataclass(frozen=True)
class TitleText:
    """A title or product name in the forms the similarity reads, computed once."""

    normalized: str
    compact: str  # normalized, without spaces: what "contains" and the alignment look at
    words: tuple[str, ...]  # the words of a product name, each counted by `word_weight`
    weight: int  # the sum of the words' weights

    @classmethod
    def of(cls, text: str) -> TitleText:
        normalized = normalize_title(text)
        again = normalize_title(normalized)  # what `coverage` compared before (idempotent for nearly all text)
        words = tuple(again.split())
        # Two numbers stay apart ("42 2024" is no "422024"), so that `contains` can tell where one ends.
        return cls(normalized, _compact(_NUMBER_GAP.sub("|", again)), words, sum(word_weight(w) for w in words))


# A space between two digits, kept (as "|") when the spaces go.
_NUMBER_GAP = re.compile(r"(?<=\d) (?=\d)")


_CODE = re.compile(r"[a-z]+\d[a-z0-9]*|\d+[a-z][a-z0-9]*")


def model_codes(name: TitleText) -> tuple[str, ...]:
    """The words of a product name that are model codes ("jk01", "x200"): letters with digits, not an
    amount ("750ml", "30l", "50g") or an apparel size ("3xl")."""
    return tuple(
        w
        for w in name.words
        if _CODE.fullmatch(w)
        and not any(r.fullmatch(w) for r in (_VOLUME, _WEIGHT, _OUNCES))
        and w not in _APPAREL_SIZES
    )


def code_read(listing: TitleText, codes: Iterable[str]) -> str | None:
    """How a listing states a product's model codes: "other" when it has one only inside a longer code
    ("JK010" of "JK01": another model), "unstated" when it lacks one, None when it states them all."""
    out = None
    for code in codes:
        if code in listing.compact and not contains(listing.compact, code):
            return "other"
        if code not in listing.compact:
            out = "unstated"
    return out


_DIGITS = frozenset("0123456789")


def contains(compact: str, word: str) -> bool:
    """Whether a listing's compact text contains a name's word. A word that begins or ends with a digit
    must not be a part of a longer number there: "JK01" is not in "JK010", "750ml" not in "1750ml",
    "A1" not in "A12"; letters may follow ("JK01Pro", the tier says the rest)."""
    if word not in compact:
        return False
    head, tail = word[0] in _DIGITS, word[-1] in _DIGITS
    if not (head or tail):
        return True
    start = compact.find(word)
    while start >= 0:
        end = start + len(word)
        if not (head and start and compact[start - 1].isdigit()) and not (
            tail and end < len(compact) and compact[end].isdigit()
        ):
            return True
        start = compact.find(word, start + 1)
    return False


def coverage(listing_title: str, product_name: str) -> float:
    """0..1: the share of the product name's words (by characters) that the listing title contains."""
    listing, name = TitleText.of(listing_title), TitleText.of(product_name)
    return covered(listing, name, contained_weight(listing, name.words))


def covered(listing: TitleText, name: TitleText, contained: int) -> float:
    """The coverage of `name` by `listing` when the weight of its words the listing contains is `contained`."""
    if not listing.compact or not name.weight:
        return 0.0
    return contained / name.weight


def word_weight(word: str) -> int:
    """A CJK character says about as much as a short Latin word: count it twice."""
    return sum(2 if _CJK.match(ch) else 1 for ch in word)


COVERAGE_SHARE, ALIGNMENT_SHARE = 0.7, 0.3  # of the similarity; the alignment is at most 1


def similarity(listing_title: str, product_name: str) -> float:
    """0..1: how well a listing title names a product, robust to marketing words and missing spaces.

    Mostly coverage of the product name's words (a reseller adds words, rarely drops them), plus a
    fuzzy character alignment (rapidfuzz) for spelling variants.
    """
    listing, name = TitleText.of(listing_title), TitleText.of(product_name)
    return similarity_of(listing, name, contained_weight(listing, name.words))


def contained_weight(listing: TitleText, words: Iterable[str]) -> int:
    """The weight of the `words` (a name's) that the listing contains."""
    text = listing.compact
    return sum(
        word_weight(w)
        for w in words
        if w in text and ((w[0] not in _DIGITS and w[-1] not in _DIGITS) or contains(text, w))
    )


def similarity_of(listing: TitleText, name: TitleText, contained: int) -> float:
    """`similarity` of prepared texts, given the weight of the name's words the listing contains."""
    if not listing.normalized or not name.normalized:
        return 0.0
    aligned = fuzz.partial_ratio(_compact(name.normalized), _compact(listing.normalized)) / 100.0
    return COVERAGE_SHARE * covered(listing, name, contained) + ALIGNMENT_SHARE * aligned


def similarity_bound(listing: TitleText, name: TitleText, contained: int) -> float:
    """An upper bound of `similarity_of` that needs no alignment (which is at most 1)."""
    if not listing.normalized or not name.normalized:
        return 0.0
    return COVERAGE_SHARE * covered(listing, name, contained) + ALIGNMENT_SHARE
