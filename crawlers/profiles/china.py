"""Page profiles of the Chinese marketplaces: Taobao/Tmall, JD, Pinduoduo, Youzan, Douyin, 1688, Vipshop, Weidian,
Dangdang, Suning and NetEase Yanxuan.

Each class is one page shape; the sandbox serves the classic shapes (`sandbox/templates/shape_*`)
and tests/fixtures/pages/<platform>/ keeps saved copies with their parse tests. Live pages come in
several generations of markup at once, so a platform may have several classes here (tried in the
order of `CHINA_PROFILES`). JD-like pages load the price from a price service by item id: the
spider fetches `follow_up(...)` and calls `read_follow_up` with the answer.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal
from typing import Any, ClassVar
from urllib.parse import parse_qs, unquote, urlencode, urljoin, urlsplit

from parsel import Selector

from crawlers.candidates import OfferRead, PriceCandidate, PriceKind
from crawlers.page import COUPON_LABEL, MEMBER_LABEL, REASON_CAPTCHA, assigned_values, dig
from crawlers.page_signals import has_marker
from crawlers.prices import IDENTIFIER_MAX, SELLER_MAX, TITLE_MAX, amount_of, clean_text
from crawlers.profiles.base import (
    PROFILE_CONFIDENCE,
    STATE_MAX,
    PageProfile,
    ScriptStateProfile,
    SelectorProfile,
    Selectors,
    _first_text,
    json_body,
    script_assigns,
    source_lacks,
    state_json,
    text_candidate,
)

_JD_SKU = re.compile(r"^\d{1,20}$")
_JD_PRICES: tuple[tuple[str, PriceKind], ...] = (("p", "sale"), ("op", "list"))


# -- Taobao / Tmall ---------------------------------------------------------------------------------


class _ShownAloneIsShelfPrice(SelectorProfile):
    """The classic detail pages write the shelf price in the "价格" row and strike it through only
    when a promotion price (促销价/淘宝价) is shown: a "价格" read with no promotion price is the price.

    The "价格" row shows the range of all SKUs until one is picked; a URL naming a SKU (`skuId=`)
    is priced as that SKU, from the SKU table the page embeds (see `_url_sku_price`)."""

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        if (price := _url_sku_price(page, url)) is not None:
            offers = [_at_sku_price(o, price, self.method, currency) for o in offers]
        offers = [_list_alone_is_sale(o, self.method, currency) for o in offers]
        model = _attribute_list_model(page) if any(o.model is None for o in offers) else None
        return [o if o.model or not model else replace(o, model=model) for o in offers]


_MODEL_LINE = re.compile(r"^\s*([^:：]{0,24}?)\s*[:：]\s*(\S.{0,63}?)\s*$")
_ITEM_NUMBER_LABEL = re.compile(r"^货号$")
# "型号" with the brand in front on Tmall ("Apple型号"); "适用型号" and the like name other products
_MODEL_LABEL = re.compile(r"^(?!.*(?:适用|兼容|支持|匹配|对应|配套))[^:：]{0,20}型号$")


def _model_of(labelled: list[tuple[str, str]]) -> str | None:
    """The 货号 (item number) of (label, value) rows, or else the 型号 (model)."""
    for label in (_ITEM_NUMBER_LABEL, _MODEL_LABEL):
        for name, value in labelled:
            if label.match(name.strip()) and value.strip():
                return clean_text(value, 64)
    return None


def _attribute_list_model(page: Selector) -> str | None:
    """货号 or 型号 in the classic attribute list: Tmall `#J_AttrUL li` ("货号: SY-JK01",
    "Apple型号:&nbsp;iPhone 11"), Taobao `ul.attributes-list li` ("型号:&nbsp;..."; the `title`
    attribute there holds the value alone)."""
    rows = []
    for text in page.css("#J_AttrUL li::text, ul.attributes-list li::text").getall()[:120]:
        if (m := _MODEL_LINE.match(text)) is not None:
            rows.append((m.group(1), m.group(2)))
    return _model_of(rows)


def _list_alone_is_sale(offer: OfferRead, method: str, currency: str) -> OfferRead:
    kinds = {c.kind for c in offer.candidates}
    if kinds & {"sale", "range"} or "list" not in kinds:
        return offer
    candidates = []
    for c in offer.candidates:
        if c.kind == "list":
            c = text_candidate(c.raw, "sale", method, currency) or c
        candidates.append(c)
    return replace(offer, candidates=tuple(candidates))


_SKU_ID = re.compile(r"^[0-9]{1,20}$")
_SKU_MAP = re.compile(r"""\bskuMap["']?\s*:\s*(?=\{)""")
_SKU_STATE_WORD = "valItemInfo"  # Tmall's `TShop.Setup({...})` and Taobao's `Hub.config.set('sku', {...})`


def _url_sku_price(page: Selector, url: str) -> str | None:
    """The price (as written) of the SKU the URL names (`?id=...&skuId=4500012302`), from
    `valItemInfo.skuMap` (`{";1627207:28320;": {"price": "529.00", "skuId": "4500012302", ...}}`).

    Tmall writes it in `TShop.Setup({...})` (JSON) and Taobao in `Hub.config.set('sku', {...})` (bare
    keys; the map itself is JSON): the script fills the "价格" row from it when the SKU is picked.
    None when the URL names no SKU (or several), the map is missing or malformed, or its rows for the
    SKU disagree. The map's `stock` is not read: Taobao writes placeholder numbers there.
    """
    query = parse_qs(urlsplit(url).query)
    named = set(query.get("skuId", []))
    if len(named) != 1 or not _SKU_ID.match(sku := named.pop()):
        return None
    for script in page.css("script::text").getall():
        text = script[:STATE_MAX]
        if _SKU_STATE_WORD not in text or (m := _SKU_MAP.search(text)) is None:
            continue
        table = _loose_object(text, m.end())
        rows = [r for r in list(table.values())[:2000] if isinstance(r, dict)] if isinstance(table, dict) else []
        prices = {str(r.get("price")) for r in rows if str(r.get("skuId")) == sku}
        if len(prices) == 1 and _plain_price(written := prices.pop()) is not None:
            return written.strip()
        return None
    return None


def _at_sku_price(offer: OfferRead, price: str, method: str, currency: str) -> OfferRead:
    """`offer` with the "价格" row (the list candidate: the shelf price of every SKU) read as the SKU's own;
    a promotion price beside it stays (the table does not say what it is for this SKU)."""
    shelf = text_candidate(price, "list", method, currency)
    if shelf is None:
        return offer
    return replace(offer, candidates=(*[c for c in offer.candidates if c.kind != "list"], shelf))


class TmallProfile(_ShownAloneIsShelfPrice):
    """Classic Tmall item detail: 原价 (struck list price), 促销价, 券后 coupon price, postage.

    Taken off the shelf, the page keeps its prices and shows "此商品已下架" (`strong.sold-out-tit`)
    over a `.sold-out-recommend` block of other items. The postage line is `.tm-postage` in the
    sandbox's shape and "快递: 12.00" in `#J_PostageToggleCont p span` on served pages.
    """

    name = "tmall"
    platforms = frozenset({"tmall", "taobao"})
    marker = "#J_DetailMeta"
    selectors = Selectors(
        title=".tb-detail-hd h1",
        seller=(".slogo-shopname", ".shopLink"),
        sku="#J_DetailMeta::attr(data-sku)",
        prices={
            "list": "#J_StrPriceModBox .tm-price",
            "sale": "#J_PromoPrice .tm-price",
            "coupon": "#J_CouponPrice .tm-price",
        },
        sold_out=("#J_SoldOut", ".sold-out-tit", ".sold-out-recommend"),
    )
    postage: ClassVar[tuple[str, ...]] = ("#J_PostageToggleCont .tm-postage", "#J_PostageToggleCont p span")

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        fee = _postage(_first_text(page, self.postage), self.method, currency)
        return [replace(o, shipping=fee[0], shipping_currency=fee[1]) if fee else o for o in offers]


_FREE_POSTAGE = re.compile(r"^(?:快递|运费)?\s*[:：]?\s*(?:免运费|包邮|卖家承担运费|[¥￥]?\s*0+(?:\.0+)?\s*元?)$")
_NOT_A_FEE = re.compile(r"包邮|免|起|以上")  # "99元包邮", "5.00起": a condition or a lowest fee


def _postage(text: str | None, method: str, currency: str) -> tuple[Decimal, str] | None:
    """(fee, its currency) of a postage line such as "快递: 12.00"; a free one ("快递: 0.00", "免运费")
    is 0.00, which a price reading never gives. The fee comes before any condition ("快递: 10.00
    满99包邮"); None when the line states no fee of its own ("满99包邮", "运费待定")."""
    fee_text = (text or "").split("满", 1)[0].strip()
    if _FREE_POSTAGE.match(fee_text):
        return Decimal("0.00"), currency
    if not fee_text or _NOT_A_FEE.search(fee_text):
        return None
    fee = text_candidate(fee_text, "shipping", method, currency)
    return (fee.amount, fee.currency) if fee is not None else None


_G_CONFIG_SHOP = re.compile(r"""\bshopName\s*:\s*(['"])((?:\\.|(?!\1).){1,200})\1""")


class TaobaoProfile(_ShownAloneIsShelfPrice):
    """Classic Taobao item page: "价格" `#J_StrPrice`, 淘宝价/促销价 `#J_PromoPriceNum`, shop card;
    `g_config.shopName` names the shop when the card is missing. An item taken off the shelf keeps
    its "价格" and shows "此宝贝已下架" in `.tb-off-sale`."""

    name = "taobao"
    platforms = frozenset({"taobao", "tmall"})
    marker = "#J_Title .tb-main-title"
    selectors = Selectors(
        title=("#J_Title .tb-main-title::attr(data-title)", "#J_Title .tb-main-title"),
        seller=(".tb-shop-name a::attr(title)", ".tb-shop-name a", ".tb-seller-name"),
        prices={
            "list": "#J_StrPrice .tb-rmb-num",
            "sale": ("#J_PromoPriceNum", "#J_PromoPrice .tb-rmb-num"),
        },
        sold_out=".tb-off-sale",
    )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        if all(o.seller for o in offers):
            return offers
        shop = _g_config_shop(page)
        return [o if o.seller else replace(o, seller=shop) for o in offers]


def _g_config_shop(page: Selector) -> str | None:
    for script in page.css("script::text").getall():
        if "g_config" not in script[:STATE_MAX]:
            continue
        m = _G_CONFIG_SHOP.search(script[:STATE_MAX])
        if m is not None:
            return clean_text(_js_string(m.group(2)), SELLER_MAX)  # the page writes \uXXXX escapes
    return None


_CSS_MODULE = "(contains(@class, $name) or starts-with(@id, $name))"  # some blocks carry the name as an id
_NOT_STICKY = "not(ancestor-or-self::*[contains(@class, 'ItemHeadFixed--')])"
_AMOUNT_TEXT = re.compile(
    r"[¥￥]\s*\d[\d,]*(?:\.\d+)?(?:\s*(?:-|~|～|–|—|至)\s*[¥￥]?\s*\d[\d,]*(?:\.\d+)?)?(?:\s*起)?"
)
_BARE_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?(?:\s*(?:-|~|～|–|—|至)\s*\d[\d,]*(?:\.\d+)?)?(?:\s*起)?")
_BEFORE_LABEL = re.compile(r"优惠前")
_LIST_LABEL = re.compile(r"原价|划线|参考价|吊牌|市场价")
# A presale (预售) shows the deposit paid now (定金) beside the price of the goods (总价, 预售价): the deposit is
# no price of the product at all.
_DEPOSIT_LABEL = re.compile(r"定金|订金")
_DETAIL_SOLD_OUT = re.compile(r"下架|售罄|卖光|无货|缺货|已失效|不能购买|暂不可售|停售")
_DETAIL_BUY = re.compile(r"立即购买|加入购物车|领券购买|立即抢购|马上抢")
_PRESALE_TOTAL = re.compile(r"总价|预售价")


def _labelled_kind(label: str) -> PriceKind | None:
    """What a price block's own words make it, or None when they say nothing."""
    if _LIST_LABEL.search(label):
        return "list"
    if COUPON_LABEL.search(label) or MEMBER_LABEL.search(label):
        return "coupon"
    if _PRESALE_TOTAL.search(label):
        return "sale"
    return None


class TaobaoDetailProfile(PageProfile):
    """The current Taobao/Tmall PC detail page (React, CSS-module class names such as
    `highlightPrice--OOP9oDP8`, `Price--priceText--2nLbVda`, `_4nNipe17pV--shopName--ccf81bdd`).

    Two price blocks at most: the highlighted one (`highlightPrice--`, `Price--extraPrice--`) and
    the one beside it (`subPrice--`, `Price--originPrice--`). Their labels say what they are: the
    highlighted price labelled 券后/到手价 is a coupon price and the other one (优惠前) the shelf
    price; an unlabelled highlighted price is the shelf price and the other one the list price; a
    block shown alone is the shelf price. The sticky header (`ItemHeadFixed--`) repeats the price
    and is never read; neither are the recommendation carousels outside the purchase panel. A panel drawn
    without any price (the page script fills it later) is priced from the detail state the page carries
    (see TaobaoIceStateProfile), its buy buttons still saying whether the item can be bought.
    """

    name = "taobao-detail"
    platforms = frozenset({"taobao", "tmall"})
    marker = (
        '[class*="highlightPrice--"]',
        '[class*="Price--priceText"]',
        '[class*="Price--originPrice"]',
        '[class*="originPrice--"]',
        '[class*="purchasePanel--"]',
        '[class*="SecurityPrice--securityPrice"]',
        '[class*="beltPrice--"]',
        "#purchasePanel",
    )
    title_marker: ClassVar[str] = '[class*="mainTitle--"], [class*="ItemTitle--root"], [class*="ItemHeader--root"]'
    # `SecurityPrice--securityPrice` is the one price box of a 2024 page ("￥" and "159" in two spans).
    main_blocks: ClassVar[tuple[str, ...]] = ("highlightPrice--", "extraPrice--", "SecurityPrice--securityPrice")
    other_blocks: ClassVar[tuple[str, ...]] = ("subPrice--", "originPrice--")
    plain_blocks: ClassVar[tuple[str, ...]] = ("block2--",)  # a panel drawn without price labels
    belt_blocks: ClassVar[tuple[str, ...]] = ("beltPrice--",)
    panels: ClassVar[tuple[str, ...]] = ("purchasePanel--", "BasicContent--itemInfo", "Price--root")
    sellers: ClassVar[tuple[str, ...]] = ("ShopHeader--title--", "shopName--", "ShopHeader--shopName")

    def applies(self, page: Selector, platform: str | None) -> bool:
        return super().applies(page, platform) and bool(page.css(self.title_marker))

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        scope = self._panel(page)
        main = self._price(scope, self.main_blocks)
        other = self._price(scope, self.other_blocks)
        if main is None and other is None:
            main = self._price(scope, self.plain_blocks)
        if main is None and other is None:  # an event belt (双11, 百亿补贴) drawn above the panel instead
            main = self._price(page, self.belt_blocks)
        candidates: list[PriceCandidate] = []
        main_kind: PriceKind | None = None
        if main is not None and _DEPOSIT_LABEL.search(main[1]):
            main = None  # a presale's deposit: the other block holds the price of the goods
        if main is not None:
            main_kind = "coupon" if _labelled_kind(main[1]) == "coupon" else "sale"
            c = text_candidate(main[0], main_kind, self.method, currency)
            candidates += [c] if c is not None else []
        if other is not None and not _DEPOSIT_LABEL.search(other[1]):
            other_kind = _labelled_kind(other[1])
            if other_kind is None:
                before = _BEFORE_LABEL.search(other[1]) or main_kind in (None, "coupon")
                other_kind = "sale" if before else "list"
            c = text_candidate(other[0], other_kind, self.method, currency)
            candidates += [c] if c is not None else []
        freight = page.xpath(f"//*[{_CSS_MODULE}][{_NOT_STICKY}]", name="Delivery--freight--")[:1]
        fee = _postage(freight[0].xpath("normalize-space(string())").get() if freight else None, self.method, currency)
        if not candidates and (drawn_later := self._from_state(page, url, currency)) is not None:
            return [replace(o, available=o.available and self._available(scope)) for o in drawn_later]
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(self._title(page), TITLE_MAX),
                seller=clean_text(self._seller(page), SELLER_MAX),
                model=clean_text(self._model(page), 64),
                shipping=fee[0] if fee else None,
                shipping_currency=fee[1] if fee else None,
                available=self._available(scope),
            )
        ]

    @staticmethod
    def _from_state(page: Selector, url: str, currency: str) -> list[OfferRead] | None:
        """The offer the page's detail state gives (see TaobaoIceStateProfile) when the panel is drawn without
        its price (drawn later by the page script), or None when the state gives no price either."""
        state = _ICE_PROFILE.read(page, url, currency)  # [] for a page without the detail state
        return state if any(o.candidates for o in state) else None

    @staticmethod
    def _available(scope: Selector) -> bool:
        """Not when the buy buttons (`Actions--`) say the item is off the shelf or sold out and offer
        no purchase, nor when the SKU picked (`valueItem--` with `isSelected--`) is greyed out
        (`isDisabled--`, 缺货)."""
        actions = scope.xpath(f"normalize-space(string(.//*[{_CSS_MODULE}][{_NOT_STICKY}]))", name="Actions--").get()
        if actions and _DETAIL_SOLD_OUT.search(actions) and not _DETAIL_BUY.search(actions):
            return False
        picked = ".//*[contains(@class, 'valueItem--')][contains(@class, 'isSelected--')]"
        return not scope.xpath(f"{picked}[contains(@class, 'isDisabled--') or @data-disabled='true']")

    def _model(self, page: Selector) -> str | None:
        """货号, or else 型号, in the parameters tab (`generalParamsInfoItem--`, or `InfoItem--infoItem`
        before)."""
        for item, name, value in (
            ("generalParamsInfoItem--", "generalParamsInfoItemTitle--", "generalParamsInfoItemSubTitle--"),
            ("InfoItem--infoItem--", "InfoItem--infoItemTitle--", "InfoItem--infoItemContent--"),
        ):
            rows = []
            for row in page.xpath(f"//*[{_CSS_MODULE}]", name=item)[:80]:
                label = row.xpath("normalize-space(string(.//*[contains(@class, $n)]))", n=name).get() or ""
                if "货号" in label or "型号" in label:
                    text = row.xpath("normalize-space(string(.//*[contains(@class, $v)]))", v=value).get() or ""
                    rows.append((label.strip("：: "), text))
            if (model := _model_of(rows)) is not None:
                return model
        return None

    def _panel(self, page: Selector) -> Selector:
        if by_id := page.xpath(f"//*[@id='purchasePanel'][{_NOT_STICKY}]"):
            return by_id[0]
        for name in self.panels:
            found = page.xpath(f"//*[{_CSS_MODULE}][{_NOT_STICKY}]", name=name)
            if found:
                return found[0]
        return page

    def _price(self, scope: Selector, names: tuple[str, ...]) -> tuple[str, str] | None:
        """(the amount as written, the words around it) of the first block with one of these names."""
        for name in names:
            for block in scope.xpath(f".//*[{_CSS_MODULE}][{_NOT_STICKY}]", name=name)[:5]:
                text = block.xpath("normalize-space(string())").get() or ""
                m = _AMOUNT_TEXT.search(text)
                if m is None:
                    digits = " ".join(block.xpath(".//*[contains(@class, 'ext--')]//text()").getall())
                    found = _BARE_AMOUNT.findall(digits or text)
                    if not found:
                        continue
                    amount = found[-1]  # a label may carry a number of its own ("超级88")
                    return amount, text.replace(amount, " ")
                return m.group(0), text[: m.start()] + " " + text[m.end() :]
        return None

    def _title(self, page: Selector) -> str | None:
        for node in page.xpath(f"//*[{_CSS_MODULE}][{_NOT_STICKY}]", name="mainTitle--")[:3]:
            text = node.xpath("normalize-space(string())").get() or node.attrib.get("title", "")
            if text.strip():
                return text
        return _first_text(page, "h1")

    def _seller(self, page: Selector) -> str | None:
        for name in self.sellers:
            for node in page.xpath(f"//*[{_CSS_MODULE}]", name=name)[:5]:
                text = node.attrib.get("title") or node.xpath("normalize-space(string())").get() or ""
                if len(text.strip()) >= 2:
                    return text
        return None


_TRUE = ("true", "1")
_PROMO_LABEL = re.compile(r"促销|活动|秒杀|特价|折扣|限时")


def _earlier_live_price(live: Any, sku: str | None = None) -> dict[str, Any] | None:
    """The live state of earlier pages, `defaultModel.itemPriceResultDO.priceInfo` (the entry of the SKU a
    URL names, else the `def` entry, else the first SKU's): `price` the shelf price, `promotionList[0].price`
    the promotion price, written the way current pages write theirs."""
    info = dig(live, "defaultModel", "itemPriceResultDO", "priceInfo")
    if not isinstance(info, dict) or not info:
        return None
    entry = info.get("def") if isinstance(info.get("def"), dict) else next(iter(info.values()))
    if sku and isinstance(info.get(sku), dict):
        entry = info[sku]
    if not isinstance(entry, dict) or not isinstance(entry.get("price"), str | int | Decimal):
        return None
    promotions = entry.get("promotionList")
    promoted = dig(promotions[0], "price") if isinstance(promotions, list) and promotions else None
    extras = [{"priceText": str(promoted), "priceTitle": "促销价"}] if isinstance(promoted, str | int | Decimal) else []
    return {"price": {"priceText": str(entry["price"])}, "extraPrices": extras}


class TmallMobileProfile(PageProfile):
    """The Tmall/Taobao mobile detail page (`detail.m.tmall.com`): the page state in
    `var _DATA_Detail = {...}` (`seller.shopName`, `item.title`, `props.groupProps` with 货号, the
    price as of rendering in `mock.price`) and, when the page got it, the live price in
    `var _DATA_Mdskip = {...}` (`price`, `skuCore`, `trade` as in `mock`).

    `price.price.priceText` is the price shown (a range such as "396.00-500.00" when SKUs differ);
    `extraPrices` hold the other prices with their label (`priceTitle`). A price with `lineThrough`
    or labelled 原价/划线价 is the list price; 券后/到手 or a member price (会员价, 88VIP) is a coupon
    price (not everyone pays it); an extra price labelled as a promotion (促销价, 活动价 ...) or,
    unlabelled, below the price shown is the promotion price and the price shown then the shelf (list)
    price; an unlabelled extra price above it is the list price.
    """

    name = "tmall-mobile"
    platforms = frozenset({"tmall", "taobao"})
    detail: ClassVar[re.Pattern[str]] = re.compile(r"\b_DATA_Detail\s*=\s*(?=\{)")
    live: ClassVar[re.Pattern[str]] = re.compile(r"\b_DATA_Mdskip\s*=\s*(?=\{)")

    def applies(self, page: Selector, platform: str | None) -> bool:
        return self.serves(platform) and script_assigns(page, self.detail, "_DATA_Detail")

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        detail = state_json(page, self.detail)
        if not isinstance(detail, dict):
            return []
        live = state_json(page, self.live)
        state = live if isinstance(live, dict) and isinstance(live.get("price"), dict) else dig(detail, "mock")
        price = dig(state, "price")
        named = set(parse_qs(urlsplit(url).query).get("skuId", []))
        sku = named.pop() if len(named) == 1 else None
        if (earlier := _earlier_live_price(live, sku)) is not None:
            price, state = earlier, live
        row = dig(state, "skuCore", "sku2info", sku) if sku else None
        row = row if isinstance(row, dict) else None
        if row is not None and (own := self._sku_price(price, row, currency)) is not None:
            price = own
        candidates = self._candidates(price, currency)
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(dig(detail, "item", "title"), TITLE_MAX),
                seller=clean_text(dig(detail, "seller", "shopName"), SELLER_MAX),
                model=self._model(detail),
                available=self._available(detail, state) and _whole_count(dig(row, "quantity")) != 0,
            )
        ]

    def _sku_price(self, price: Any, row: dict[str, Any], currency: str) -> dict[str, Any] | None:
        """The prices of the SKU a URL names (`skuId=`), from its row of `skuCore.sku2info` (`price`, and the
        current `subPrice` beside it when it has one), as `price` writes the item's; None to keep the item's.

        The row is read when it has a `subPrice`, or when the item's price is the range of its SKUs ("146-168")
        with no promotion price beside it (struck prices only): the row's `price` is then the SKU's own. A
        promotion written only for the item is not in the row, so a row without `subPrice` beside one is not read.
        """
        own, sub = dig(row, "price"), dig(row, "subPrice")
        if not isinstance(own, dict) or self._candidate(own, currency) is None:
            return None
        if isinstance(sub, dict):
            return {"price": own, "extraPrices": [sub]}
        shown = self._candidate(dig(price, "price"), currency)
        extras = dig(price, "extraPrices")
        struck_only = all(
            str(dig(e, "lineThrough")).lower() in _TRUE or _labelled_kind(str(dig(e, "priceTitle") or "")) == "list"
            for e in (extras[:10] if isinstance(extras, list) else [])
        )
        if shown is not None and shown.high is not None and struck_only:
            return {"price": own, "extraPrices": []}
        return None

    def _candidates(self, price: Any, currency: str) -> list[PriceCandidate]:
        shown = dig(price, "price")
        if _DEPOSIT_LABEL.search(str(dig(shown, "priceTitle") or "")):
            shown = dig(price, "subPrice")  # a presale: 定金 shown, the goods' 总价 beside it
        main = self._candidate(shown, currency)
        extras = dig(price, "extraPrices")
        read = []
        for entry in extras[:10] if isinstance(extras, list) else []:
            c = self._candidate(entry, currency)
            if c is not None and c.kind == "sale" and not _PROMO_LABEL.search(str(dig(entry, "priceTitle") or "")):
                if main is None or c.amount >= main.amount:  # an unlabelled extra price above the price: 原价
                    c = replace(c, kind="list")
            read += [c] if c is not None else []
        if main is not None and main.kind in ("sale", "range") and any(c.kind == "sale" for c in read):
            main = text_candidate(main.raw, "list", self.method, currency) or main  # the promotion is the price
        return ([main] if main is not None else []) + read

    def _candidate(self, entry: Any, currency: str) -> PriceCandidate | None:
        if not isinstance(entry, dict) or not isinstance(entry.get("priceText"), str | int | Decimal):
            return None
        title = str(entry.get("priceTitle") or "")
        if _DEPOSIT_LABEL.search(title):
            return None
        kind: PriceKind = _labelled_kind(title) or "sale"
        if str(entry.get("lineThrough")).lower() in _TRUE:
            kind = "list"
        return text_candidate(str(entry["priceText"]), kind, self.method, currency)

    @staticmethod
    def _model(detail: dict[str, Any]) -> str | None:
        groups = dig(detail, "props", "groupProps")
        rows = []
        for group in groups[:10] if isinstance(groups, list) else []:
            for props in group.values() if isinstance(group, dict) else []:
                for prop in props[:80] if isinstance(props, list) else []:
                    if isinstance(prop, dict):
                        rows += [(str(k), str(v)) for k, v in list(prop.items())[:4] if isinstance(v, str | int)]
        return _model_of(rows)

    @staticmethod
    def _available(detail: dict[str, Any], state: Any) -> bool:
        """Not when off the shelf, not buyable or with none left; the state writes its flags and
        numbers as JSON values or as text ("buyEnable": "false", "quantity": "0")."""
        down, buy = dig(detail, "tags", "tags", "isDownShelf"), dig(state, "trade", "buyEnable")
        if str(down).lower() == "true" or str(buy).lower() == "false":
            return False
        stock = dig(state, "skuCore", "sku2info", "0", "quantity")
        if isinstance(stock, str) and stock.strip().isascii() and stock.strip().isdigit():
            stock = int(stock.strip())
        return not (isinstance(stock, int) and not isinstance(stock, bool) and stock <= 0)


_ICE_STATE = re.compile(r"(?:\bvar\s+b|\bwindow\.__ICE_APP_CONTEXT__)\s*=\s*(?=\{)")
_ICE_WORD = "__ICE_APP_CONTEXT__"


class TaobaoIceStateProfile(TmallMobileProfile):
    """The current Taobao/Tmall PC detail page as the server sends it: the detail the page renders from is
    written into a script, `!(function(){var a=window.__ICE_APP_CONTEXT__||{};var b = {...};...})()`,
    at `loaderData.home.data.res` (the answer of the detail service: `item`, `seller`, `skuBase`, `skuCore`,
    `componentsVO`). Read when the page's price panel is not drawn in the HTML, and by TaobaoDetailProfile when
    the panel is drawn without its price.

    `componentsVO.priceVO` holds the price shown (`price`) and the one beside it (`extraPrice`), each with
    its label (`priceTitle`: 优惠前 beside 券后, 促销价, a struck `lineThrough` price), read as the mobile
    page's prices are. `skuCore.sku2info` holds each SKU's own (`price`, the current `subPrice`,
    `quantity`; "0" the whole item): a URL naming a SKU (`skuId=`) is priced as that SKU and sold out when
    none of it is left. 货号/型号 come from `plusViewVO.industryParamVO` (`propertyName`, `valueName`), the
    shop from `seller.shopName` (or `componentsVO.storeCardVO.shopName`), the postage line from
    `componentsVO.deliveryVO.freight`.
    """

    name = "taobao-ice-state"

    def applies(self, page: Selector, platform: str | None) -> bool:
        return (
            self.serves(platform)
            and script_assigns(page, _ICE_STATE, _ICE_WORD, with_word=True)
            and self._detail(page) is not None
        )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        res = self._detail(page)
        if res is None:
            return []
        components = dig(res, "componentsVO")
        table = dig(res, "skuCore", "sku2info")
        named = set(parse_qs(urlsplit(url).query).get("skuId", []))
        picked = dig(table, named.pop()) if len(named) == 1 else None
        row = picked if isinstance(picked, dict) else dig(table, "0")
        shown = dig(components, "priceVO")
        if isinstance(picked, dict) or not isinstance(dig(shown, "price") or dig(shown, "extraPrice"), dict):
            shown = {"price": dig(row, "price"), "extraPrice": dig(row, "subPrice")}
        extra = dig(shown, "extraPrice")
        price = {"price": dig(shown, "price"), "extraPrices": [extra] if isinstance(extra, dict) else []}
        if not isinstance(price["price"], dict) and price["extraPrices"]:
            price = {"price": extra, "extraPrices": []}  # one price written as the extra one: the price
        freight = dig(components, "deliveryVO", "freight")
        fee = _postage(freight[:80], self.method, currency) if isinstance(freight, str) else None
        seller = dig(res, "seller")
        stock = _whole_count(dig(row, "quantity"))
        return [
            OfferRead(
                candidates=tuple(self._candidates(price, currency)),
                title=clean_text(dig(res, "item", "title") or dig(components, "titleVO", "title", "title"), TITLE_MAX),
                seller=clean_text(
                    dig(seller, "shopName") or dig(components, "storeCardVO", "shopName") or dig(seller, "sellerNick"),
                    SELLER_MAX,
                ),
                model=self._params_model(res),
                shipping=fee[0] if fee else None,
                shipping_currency=fee[1] if fee else None,
                available=stock != 0 and _flag(dig(res, "trade", "buyEnable")) is not False,
            )
        ]

    @staticmethod
    def _params_model(res: dict[str, Any]) -> str | None:
        params = dig(res, "plusViewVO", "industryParamVO")
        rows = []
        for key in ("basicParamList", "enhanceParamList"):
            listed = dig(params, key)
            for row in listed[:120] if isinstance(listed, list) else []:
                name, value = dig(row, "propertyName"), dig(row, "valueName")
                if isinstance(name, str) and isinstance(value, str | int) and not isinstance(value, bool):
                    rows.append((name, str(value)))
        return _model_of(rows)

    @staticmethod
    def _detail(page: Selector) -> dict[str, Any] | None:
        """The detail (`res`) of the first route in `loaderData` that has one with an `item`."""
        scripts = [s for s in page.css("script::text").getall() if _ICE_WORD in s[:STATE_MAX]]
        for value in assigned_values(scripts[:5], _ICE_STATE):
            loader = dig(value, "loaderData")
            for route in list(loader.values())[:10] if isinstance(loader, dict) else []:
                res = dig(route, "data", "res")
                if isinstance(res, dict) and isinstance(res.get("item"), dict):
                    return res
        return None


_ICE_PROFILE = TaobaoIceStateProfile()


# -- JD -----------------------------------------------------------------------------------------------

_JD_SKUID = re.compile(r"\bskuid\s*:\s*['\"]?(\d{1,20})")
_JD_PRICE_CLASS = re.compile(r"\bJ-p-(\d{1,20})\b")
_JD_SOLD_OUT = re.compile(r"下架|下柜|无货|售完|售罄|停售")
_JD_MODEL = re.compile(r"^\s*货号\s*[:：]\s*(\S.{0,63})$")


class JdProfile(PageProfile):
    """JD item page: the price box (`.p-price .price.J-p-<sku>`) is empty in the HTML the server
    sends and filled from the price service; a page saved from a browser has it filled, with the
    struck 原价 (`del#page_origin_price`) and the PLUS member price (`.J-p-p-<sku>`, a coupon price).

    The item id is the product box's `data-sku`, `pageConfig.product.skuid` or the `J-p-<sku>`
    class. The service answers `[{"id": "J_<sku>", "p": "799.00", "op": "899.00"}]` (`prices/mgets`;
    `p` the price today, `op` the list price, `-1.00` not on sale) or, from the item service
    (`pc_detailpage_wareBusiness`, earlier `item-soa.jd.com/getWareBusiness`), `{"price": {"p": ..., "op": ...,
    "finalPrice": {"price": ...}}, "stockInfo": {"stockState": 33, "stockDesc": ...}}` whose final price (到手价)
    is a coupon price and whose `stockInfo.stockState` 34 (无货, "此商品暂时售完") makes the item sold out, its
    price kept for the record; 33 (现货), 36 (采购中) and 40 (可配货) can be ordered.
    """

    name = "jd"
    platforms = frozenset({"jd"})
    marker = (".product-intro .p-price", ".itemInfo-wrap .sku-name")
    price_api: ClassVar[str] = "https://p.3.cn/prices/mgets"
    title_css: ClassVar[tuple[str, ...]] = (".itemInfo-wrap .sku-name", ".sku-name", "#name h1")
    seller_css: ClassVar[tuple[str, ...]] = (
        ".J-hove-wrap .name a",
        "#crumb-wrap .contact .name a",
        ".popbox-inner .name a",
    )
    struck_css: ClassVar[tuple[str, ...]] = ("#page_origin_price", "#page_hx_price")

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        sku = self._sku(page)
        shown = text_candidate(self._shown_price(page, sku), "sale", self.method, currency)
        freight = text_candidate(_first_text(page, ".summary-freight .freight"), "shipping", self.method, currency)
        candidates = [shown] if shown is not None else []
        if shown is not None:  # the struck 原价/划线价 and the PLUS member price only beside a price
            struck = text_candidate(_first_text(page, self.struck_css), "list", self.method, currency)
            plus = text_candidate(
                _first_text(page, f".p-price .J-p-p-{sku}") if sku else None, "coupon", self.method, currency
            )
            candidates += [c for c in (struck, plus) if c is not None]
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(_first_text(page, self.title_css), TITLE_MAX),
                seller=clean_text(_first_text(page, self.seller_css), SELLER_MAX),
                model=clean_text(self._model(page), 64),
                available=not self._sold_out(page),
                shipping=freight.amount if freight is not None else None,
                extra={"jd_sku": sku or ""},
            )
        ]

    def follow_up(self, page: Selector, url: str) -> str | None:
        sku = self._sku(page) or ""
        if not _JD_SKU.match(sku) or self._shown_price(page, sku) or self._sold_out(page):
            return None  # no item id, the price is already on the page, or nothing to buy
        api = urljoin(url, _first_text(page, ".product-intro::attr(data-price-api)") or self.price_api)
        return f"{api}?{urlencode({'skuIds': f'J_{sku}'})}"

    def read_follow_up(self, body: bytes, url: str, offers: list[OfferRead], currency: str) -> list[OfferRead]:
        data = json_body(body)
        base = offers[0] if offers else OfferRead()
        if isinstance(data, dict) and isinstance(data.get("price"), dict):
            row: dict[str, Any] | None = data["price"]
        else:
            wanted = f"J_{base.extra.get('jd_sku', '')}"
            rows = [r for r in data if isinstance(r, dict)] if isinstance(data, list) else []
            row = next((r for r in rows if r.get("id") == wanted), rows[0] if len(rows) == 1 else None)
        if row is None:
            if not any(o.candidates for o in offers) and has_marker(body[:2000].decode("utf-8", "replace")):
                # The price service's answer to a visitor it takes for a robot, `{"error": "pdos_captcha"}`
                # (or its risk page): the item's price is not known, and the page is not priced.
                return [replace(o, no_price_reason=REASON_CAPTCHA) for o in offers or [base]]
            return offers
        candidates = []
        for key, kind in _JD_PRICES:
            amount = amount_of(row.get(key))
            if amount is not None:
                raw = f"{key}={row.get(key)}"
                candidate = PriceCandidate(amount, currency, kind, self.method, raw, PROFILE_CONFIDENCE)
                candidates.append(candidate)
        final = amount_of(dig(row, "finalPrice", "price"))
        if final is not None and candidates:
            raw = f"finalPrice={dig(row, 'finalPrice', 'price')}"
            candidates.append(PriceCandidate(final, currency, "coupon", self.method, raw, PROFILE_CONFIDENCE))
        available = amount_of(row.get("p")) is not None  # "-1.00": not on sale
        if str(dig(data, "stockInfo", "stockState")).strip() == _JD_NO_STOCK:
            available = False  # the item service's stock answer: 无货
        return [replace(base, candidates=tuple(candidates), available=available and base.available)]

    def _sku(self, page: Selector) -> str | None:
        sku = (_first_text(page, ".product-intro::attr(data-sku)") or "").strip()
        if _JD_SKU.match(sku):
            return sku
        for script in page.css("script::text").getall():
            at = script.find("pageConfig", 0, STATE_MAX)
            if at >= 0 and (m := _JD_SKUID.search(script, at, at + 4000)) is not None:
                return m.group(1)
        for css in (".summary-price .p-price .price::attr(class)", ".p-price .price::attr(class)"):
            if (m := _JD_PRICE_CLASS.search(_first_text(page, css) or "")) is not None:
                return m.group(1)
        return None

    def _shown_price(self, page: Selector, sku: str | None) -> str | None:
        """The price box of this item only: recommendations further down have price boxes too."""
        exact = (f".summary-price .p-price .J-p-{sku}", f".p-price .J-p-{sku}") if sku else ()
        return _first_text(page, (*exact, ".summary-price .p-price .price", ".product-intro .p-price .price"))

    def _model(self, page: Selector) -> str | None:
        model = _first_text(page, ".parameter2 li[data-model]::attr(data-model)")
        if model:
            return model
        for text in page.css(".parameter2 li::text, .p-parameter-list li::text").getall()[:60]:
            if (m := _JD_MODEL.match(text)) is not None:
                return m.group(1).strip()
        return None

    def _sold_out(self, page: Selector) -> bool:
        """The off-shelf notice (`.itemover-tip`, 该商品已下柜) or a stock prompt saying 无货."""
        return bool(page.css(".itemover-tip")) or bool(_JD_SOLD_OUT.search(_first_text(page, "#store-prompt") or ""))


_JD_PANEL = "not(ancestor::*[contains(@class, 'recommend') or contains(@class, 'similar') or contains(@class, 'hot-')])"


class JdCurrentProfile(JdProfile):
    """The JD item page of 2025 (React, BEM class names): the price in `.product-price--main`
    (`product-price--value`, its label in `...--activity-item--tag` or beside it: 到手价, 补贴领后价,
    券后价), the JD price struck beside it (`product-price--gray-line-through`), the shop in
    `.shop-plugin .top-name-tag a.top-name` (its `title`).

    A labelled price (到手价, a subsidy or member price) is a coupon price and the struck JD price the
    shelf price; an unlabelled price is the price and the struck one the list price. Recommendation
    strips further down draw prices with the same classes and are never read. Without a price in the
    page the item id (from the URL) names the price service request, as for the classic page.
    """

    name = "jd-current"
    marker = ('[class*="product-price--main"]', '[class*="product-price--value"]')
    title_css: ClassVar[tuple[str, ...]] = ('[class*="sku-title-name"]', '[class*="sku-title"]', ".sku-name", "h1")
    seller_css: ClassVar[tuple[str, ...]] = (
        ".shop-plugin .top-name-tag a.top-name::attr(title)",
        ".shop-plugin .top-name-tag a.top-name",
        ".shop-plugin a.top-name::attr(title)",
    )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        shown, label = self._main(page)
        kind: PriceKind = "coupon" if _labelled_kind(label) == "coupon" else "sale"
        main = text_candidate(shown, kind, self.method, currency)
        candidates = [main] if main is not None else []
        struck = self._block_text(page, "product-price--gray-line-through")
        if main is not None and struck is not None:
            other = text_candidate(struck, "sale" if kind == "coupon" else "list", self.method, currency)
            candidates += [other] if other is not None else []
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(_first_text(page, self.title_css), TITLE_MAX),
                seller=clean_text(_first_text(page, self.seller_css), SELLER_MAX),
                model=clean_text(self._model(page), 64),
                available=not self._sold_out(page),
                extra={"jd_sku": self._url_sku(url) or ""},
            )
        ]

    def follow_up(self, page: Selector, url: str) -> str | None:
        sku = self._url_sku(url) or ""
        if not _JD_SKU.match(sku) or self._main(page)[0] or self._sold_out(page):
            return None
        return f"{self.price_api}?{urlencode({'skuIds': f'J_{sku}'})}"

    def _main(self, page: Selector) -> tuple[str | None, str]:
        """(the price shown, the words of its block) from the first price block outside recommendations."""
        for block in page.xpath(f"//*[contains(@class, 'product-price--main')][{_JD_PANEL}]")[:3]:
            value = block.xpath("normalize-space(string(.//*[contains(@class, 'product-price--value')]))").get()
            words = block.xpath("normalize-space(string())").get() or ""
            if not value:
                continue
            tag = block.xpath(
                "normalize-space(string(ancestor::*[contains(@class, 'product-price')][1]"
                "//*[contains(@class, 'activity-item--tag')]))"
            ).get()
            rest = words.replace(value, " ")
            return value + ("起" if "起" in rest else ""), f"{tag or ''} {rest}"  # "¥699起": the lowest SKU
        return None, ""

    @staticmethod
    def _block_text(page: Selector, name: str) -> str | None:
        found = page.xpath(f"//*[contains(@class, $name)][{_JD_PANEL}]", name=name)[:1]
        text = found[0].xpath("normalize-space(string())").get() if found else None
        return text or None

    @staticmethod
    def _url_sku(url: str) -> str | None:
        m = _JD_URL_SKU.search(url.split("#", 1)[0])
        return (m.group(1) or m.group(2)) if m is not None else None


_JS_STRING = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'')  # in double or single quotes
_JS_SYNTAX = re.compile(r'["\'{}\[\]]')
_QUOTED_PART = re.compile(r"\\(.)|([^\\]+)", re.DOTALL)
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_BARE_KEY = re.compile(r"([{,]\s*)([A-Za-z_$][\w$]{0,63}|[0-9]{1,30})(\s*:)")  # `{skuId: 1}`, `{6290953586037: 0.3}`


def _json_string(literal: str) -> str:
    """A string literal as JSON writes it: one in single quotes (`'98.7%'`, `'it\\'s'`) in double quotes."""
    if literal.startswith('"'):
        return literal
    parts = []
    for m in _QUOTED_PART.finditer(literal, 1, len(literal) - 1):
        if m.group(2) is not None:
            parts.append(m.group(2).replace('"', '\\"'))
        else:
            parts.append("'" if m.group(1) == "'" else "\\" + m.group(1))
    return '"' + "".join(parts) + '"'


def _loose_object(text: str, start: int) -> Any:
    """The object literal at `text[start]` ("{"): JSON, or JSON as scripts write it by hand, with
    trailing commas, bare keys (`({stock: {skuId: "100",},})`) and strings in single quotes
    (`"commentGoodRates": '98.7%'`). None for anything else."""
    try:
        return _LOOSE_DECODER.raw_decode(text, start)[0]
    except (ValueError, RecursionError):
        pass
    depth, at, end = 0, start, None
    while end is None and (found := _JS_SYNTAX.search(text, at)) is not None:
        at = found.end()
        if found.group(0) in "\"'":
            string = _JS_STRING.match(text, found.start())
            if string is None:
                return None
            at = string.end()
        elif found.group(0) in "{[":
            depth += 1
        else:
            depth -= 1
            end = at if depth == 0 else None
    if end is None:
        return None
    parts = []
    at = start
    for m in _JS_STRING.finditer(text, start, end):
        parts += [
            _BARE_KEY.sub(r'\1"\2"\3', _TRAILING_COMMA.sub(r"\1", text[at : m.start()])),
            _json_string(m.group(0)),
        ]
        at = m.end()
    parts.append(_BARE_KEY.sub(r'\1"\2"\3', _TRAILING_COMMA.sub(r"\1", text[at:end])))
    try:
        return json.loads("".join(parts), parse_float=Decimal)
    except (ValueError, RecursionError):
        return None


_LOOSE_DECODER = json.JSONDecoder(parse_float=Decimal)


def _loose_state(page: Selector, assignment: re.Pattern[str], wanted: tuple[str, ...]) -> dict[str, Any]:
    """The first object a script assigns (`window._itemInfo = ({...});`) that has one of the
    `wanted` keys; a later assignment of something else (`= {item: window._itemOnly.item}`) is not it."""
    for script in page.css("script::text").getall():
        text = script[:STATE_MAX]
        for tries, m in enumerate(assignment.finditer(text)):
            if tries == 5:
                break
            value = _loose_object(text, m.end())
            if isinstance(value, dict) and any(k in value for k in wanted):
                return value
    return {}


_JD_ITEM_INFO = re.compile(r"\bwindow\._itemInfo\s*=\s*\(?\s*(?=\{)")
_JD_ITEM_ONLY = re.compile(r"\bwindow\._itemOnly\s*=\s*\(?\s*(?=\{)")
_JD_URL_SKU = re.compile(r"/(?:product/)?([0-9]{1,20})\.html|[?&](?:wareId|sku)=([0-9]{1,20})\b")
_PLAIN_PRICE = re.compile(r"^\s*[¥￥]?\s*([0-9]{1,9}(?:\.[0-9]{1,2})?)\s*$")
_SHOWN_PRICE = re.compile(r"^\s*[¥￥]?\s*([0-9]{1,9}(?:\.[0-9]{1,2})?)\s*([^0-9.]{0,12})$")
_GTIN = re.compile(r"^\d{8,14}$")
_JD_NO_STOCK = "34"  # `StockState`: 33 in stock, 34 none (无货), 36 on order, 39/40 in stock


def _plain_price(value: Any) -> Decimal | None:
    """A price written as plain digits ("59.90"); None for one drawn with the page's own font
    (private-use characters that only the font turns into digits) or masked ("5??9")."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return amount_of(value)
    if isinstance(value, str) and (m := _PLAIN_PRICE.match(value)) is not None:
        return amount_of(m.group(1))
    return None


class JdMobileProfile(JdProfile):
    """The JD mobile item page (`item.m.jd.com/product/<sku>.html`): the page state in
    `window._itemOnly = ({"item": {...}})` (`skuId`, `skuName`) and `window._itemInfo = ({...})`
    (`product`: `skuName`, `model`, `upc`; `stock`: `D.shopName` the shop, `StockState` 34 无货;
    `priceFloor`: `price` the price shown, `afterDesc.text` its label, `ext.jdPrice` the JD price).
    Scripts write these by hand (trailing commas, bare keys).

    A price shown with 到手价 (or a member label) is a coupon price and the JD price beside it the
    shelf price; an unlabelled price shown is the price and a JD price above it the list price. The
    page often draws its price with its own font (private-use characters, no digits in the source):
    such a price is not read, and without any price the item id names the price service request.
    """

    name = "jd-mobile"
    platforms = frozenset({"jd"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        return self.serves(platform) and (
            script_assigns(page, _JD_ITEM_INFO, "_itemInfo") or script_assigns(page, _JD_ITEM_ONLY, "_itemOnly")
        )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        info = _loose_state(page, _JD_ITEM_INFO, ("product", "priceFloor", "stock"))
        item = dig(_loose_state(page, _JD_ITEM_ONLY, ("item",)), "item")
        product, stock, floor = dig(info, "product"), dig(info, "stock"), dig(info, "priceFloor")
        sku = self._mobile_sku(url, stock, product, item)
        upc = clean_text(str(dig(product, "upc") or ""), IDENTIFIER_MAX)
        return [
            OfferRead(
                candidates=tuple(self._floor_candidates(floor, self._price_box(page), currency)),
                title=clean_text(dig(product, "skuName") or dig(item, "skuName"), TITLE_MAX),
                seller=clean_text(dig(stock, "D", "shopName"), SELLER_MAX),
                gtin=upc if upc and _GTIN.match(upc) else None,
                model=clean_text(dig(product, "model"), 64),
                available=str(dig(stock, "StockState")) != _JD_NO_STOCK,
                extra={"jd_sku": sku or ""},
            )
        ]

    def follow_up(self, page: Selector, url: str) -> str | None:
        offers = self.read(page, url, "CNY")
        offer = offers[0]
        sku = offer.extra.get("jd_sku", "")
        if not _JD_SKU.match(sku) or offer.candidates or not offer.available:
            return None
        return f"{self.price_api}?{urlencode({'skuIds': f'J_{sku}'})}"

    def _floor_candidates(self, floor: Any, box: str | None, currency: str) -> list[PriceCandidate]:
        """The price shown (the state's `priceFloor.price`, else the price box `#main_price` when its
        digits are digits) with its label, and the JD price."""
        shown = _plain_price(dig(floor, "price"))
        label = str(dig(floor, "afterDesc", "text") or "")[:40]
        if shown is None and (m := _SHOWN_PRICE.match(box or "")) is not None:
            shown, label = amount_of(m.group(1)), m.group(2).strip() or label
        shelf = _plain_price(dig(floor, "ext", "jdPrice"))
        if shelf is None:
            shelf = _plain_price(dig(floor, "ext", "realPriceExt", "ORIGINAL", "salePrice"))
        out = []
        kind: PriceKind = "coupon" if _labelled_kind(label) == "coupon" else "sale"
        if shown is not None:
            raw = f"priceFloor.price={dig(floor, 'price')}" + (f" {label}" if label else "")
            out.append(PriceCandidate(shown, currency, kind, self.method, raw, PROFILE_CONFIDENCE))
        if shelf is not None and (shown is None or kind == "coupon" or shelf > shown):
            shelf_kind: PriceKind = "list" if shown is not None and kind == "sale" else "sale"
            raw = f"jdPrice={shelf}"
            out.append(PriceCandidate(shelf, currency, shelf_kind, self.method, raw, PROFILE_CONFIDENCE))
        return out

    @staticmethod
    def _price_box(page: Selector) -> str | None:
        text = page.xpath("normalize-space(string(//*[@id='priceFloor']//*[@id='main_price']))").get()
        return text[:80] if text else None

    @staticmethod
    def _mobile_sku(url: str, *states: Any) -> str | None:
        for state in states:
            sku = str(dig(state, "skuId") or "").strip()
            if _JD_SKU.match(sku):
                return sku
        m = _JD_URL_SKU.search(url.split("#", 1)[0])
        return (m.group(1) or m.group(2)) if m is not None else None


# -- Pinduoduo ----------------------------------------------------------------------------------------


def _sale_or_range(method: str, low: Decimal, high: Decimal | None, currency: str, shown: str = "") -> PriceCandidate:
    """A price in yuan read from page state: a range up to `high` when that is above `low`, else the price
    (`shown`: how the state wrote it, when not as "¥low")."""
    ranged = high is not None and high > low
    raw = f"¥{low}-{high}" if ranged else shown or f"¥{low}"
    kind: PriceKind = "range" if ranged else "sale"
    return PriceCandidate(low, currency, kind, method, raw, PROFILE_CONFIDENCE, high=high if ranged else None)


def _list_price(method: str, listed: Decimal, currency: str) -> PriceCandidate:
    return PriceCandidate(listed, currency, "list", method, f"¥{listed}", PROFILE_CONFIDENCE)


def _priced(
    method: str, low: Decimal | None, high: Decimal | None, listed: Decimal | None, currency: str, shown: str
) -> list[PriceCandidate]:
    """The price (`_sale_or_range`) and the struck list price, read only when it is above the price or the
    range's top; none without a price."""
    if low is None:
        return []
    price = _sale_or_range(method, low, high, currency, shown)
    if listed is not None and listed > (price.high or low):
        return [price, _list_price(method, listed, currency)]
    return [price]


class PinduoduoProfile(ScriptStateProfile):
    """Pinduoduo goods page: `window.rawData = {...}` (`store.initDataObj.goods`, or `store.goods`,
    `store.data.ssrData.goods` / `.storeInfo.goods`, or `goods`; the shop in `mall` beside it or
    `ssrData.mallInfo`), one offer per SKU; the group price (拼单价) is the price, `marketPrice`/
    `linePrice` the list price, `minGroupPrice`..`maxGroupPrice` (or `minOnSaleGroupPrice`..
    `maxOnSaleGroupPrice`) a range when no SKU says better.

    Pages write prices either in yuan (strings such as "89.9", like the shown `ui.new_price_section`)
    or in fen (integers): integers are fen unless the shown price says they are yuan.

    Goods taken off sale keep their SKUs, prices and stock: `goods.isOnSale` false (or a SKU's own
    `isOnSale` 0) or a `statusExplain` such as "商品已下架" says nothing can be bought.
    """

    name = "pinduoduo"
    platforms = frozenset({"pinduoduo"})
    state = re.compile(r"window\.rawData\s*=\s*(?=\{)")
    state_word = "rawData"
    price_divisor = Decimal(100)

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        data = state_json(page, self.state)
        init = dig(data, "store", "initDataObj")
        ssr = dig(data, "store", "data", "ssrData")
        goods = next(
            (
                g
                for g in (
                    dig(init, "goods"),
                    dig(data, "store", "goods"),
                    dig(ssr, "goods"),
                    dig(ssr, "storeInfo", "goods"),
                    dig(data, "goods"),
                )
                if isinstance(g, dict)
            ),
            None,
        )
        if goods is None:
            return []
        mall = next(
            (
                m
                for m in (
                    dig(init, "mall"),
                    dig(data, "store", "mall"),
                    dig(ssr, "mallInfo"),
                    dig(ssr, "mall"),
                    goods.get("mall"),
                )
                if isinstance(m, dict)
            ),
            {},
        )
        skus = (
            [s for s in goods.get("skus") or [] if isinstance(s, dict)][:200]
            if isinstance(goods.get("skus"), list)
            else []
        )
        divisor = self._divisor(goods, skus)
        low = self._yuan(_group_price(goods, "min"), divisor)
        high = self._yuan(_group_price(goods, "max"), divisor)
        if low is None:
            low = amount_of(dig(goods, "ui", "new_price_section", "price"))
        listed = self._yuan(goods.get("marketPrice"), divisor) or self._yuan(goods.get("linePrice"), divisor)
        on_sale = _pdd_on_sale(goods)
        common = OfferRead(
            title=clean_text(goods.get("goodsName"), TITLE_MAX),
            seller=clean_text(mall.get("mallName") or goods.get("mallName"), SELLER_MAX),
            sku=clean_text(goods.get("outerGoodsId"), IDENTIFIER_MAX),
            available=on_sale,
        )
        if not skus:
            return [replace(common, candidates=self._candidates(low, high, listed, currency))]
        offers = []
        for sku in skus:
            price = self._yuan(sku.get("groupPrice"), divisor)
            own = clean_text(sku.get("outerSkuId"), IDENTIFIER_MAX)
            stock = sku.get("quantity")
            offers.append(
                replace(
                    common,
                    candidates=self._candidates(price, None, listed, currency)
                    if price is not None
                    else self._candidates(low, high, listed, currency),
                    key=own or clean_text(str(sku.get("skuId") or ""), IDENTIFIER_MAX) or "",
                    sku=own or common.sku,
                    gtin=clean_text(sku.get("barcode"), IDENTIFIER_MAX),
                    available=on_sale
                    and _flag(sku.get("isOnSale")) is not False
                    and not (isinstance(stock, int) and not isinstance(stock, bool) and stock <= 0),
                )
            )
        return offers

    def _candidates(
        self, low: Decimal | None, high: Decimal | None, listed: Decimal | None, currency: str
    ) -> tuple[PriceCandidate, ...]:
        out = [] if low is None else [_sale_or_range(self.method, low, high, currency)]
        if listed is not None:
            out.append(_list_price(self.method, listed, currency))
        return tuple(out)

    @staticmethod
    def _divisor(goods: dict[str, Any], skus: list[dict[str, Any]]) -> Decimal:
        shown = amount_of(dig(goods, "ui", "new_price_section", "price"))
        lowest = _group_price(goods, "min")
        if shown is not None and shown > 0 and _whole(lowest) and lowest > 0:
            # The shown price may be another price than the lowest group price (券后, a coupon price), but
            # never a hundred times off it: the ratio tells fen from yuan.
            ratio = Decimal(lowest) / shown
            if ratio == 100 or 20 <= ratio <= 1000:
                return Decimal(100)
            if Decimal("0.05") <= ratio <= 5:
                return Decimal(1)
        for sku in skus:  # a SKU's price as shown (`priceDisplay.price`, yuan) or in fen (`skuPrice`)
            group, fen = sku.get("groupPrice"), sku.get("skuPrice")
            display = amount_of(dig(sku, "priceDisplay", "price"))
            if not isinstance(group, int) or isinstance(group, bool) or group <= 0:
                continue
            if (_whole(fen) and fen == group * 100) or display == group:
                return Decimal(1)
            if (_whole(fen) and fen == group) or (display is not None and display * 100 == group):
                return Decimal(100)
        values = [_group_price(goods, "min"), _group_price(goods, "max")]
        values += [goods.get(k) for k in ("marketPrice", "linePrice")]
        values += [s.get("groupPrice") for s in skus]
        present = [v for v in values if v is not None]
        fen = bool(present) and all(isinstance(v, int) and not isinstance(v, bool) for v in present)
        return Decimal(100) if fen else Decimal(1)

    @staticmethod
    def _yuan(value: Any, divisor: Decimal) -> Decimal | None:
        amount = amount_of(value)
        if amount is None or divisor == 1:
            return amount
        return amount_of((amount / divisor).quantize(Decimal("0.01")))


_PDD_OFF_SALE = re.compile(r"下架|商品已失效|停售|已删除")  # not 售罄: "部分规格已售罄" is said of some SKUs


def _pdd_on_sale(goods: dict[str, Any]) -> bool:
    """Whether the goods can be bought: not `isOnSale` false and no `statusExplain` of goods taken off
    sale ("商品已下架"; an empty one says nothing). Sold-out goods are told by their SKUs' stock."""
    explain = goods.get("statusExplain")
    off = isinstance(explain, str) and _PDD_OFF_SALE.search(explain[:80]) is not None
    return _flag(goods.get("isOnSale")) is not False and not off


def _flag(value: Any) -> bool | None:
    """A flag as page states write it (true, 1, "true", "1"; false, 0, "false", "0"); None for anything else."""
    if not isinstance(value, bool | int | str):
        return None
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in ("false", "0") else None


_COUNT = re.compile(r"^[0-9]{1,12}$")


def _whole_count(value: Any) -> int | None:
    """A count (of fen, of pieces) as a state writes it: a JSON integer or a string of digits; None otherwise."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = str(value).strip()
    return int(text) if _COUNT.match(text) else None


def _fen_price(fen: int | None) -> Decimal | None:
    """A count of fen (7900) as the price in yuan it is (¥79.00); None for none, 0 or an insane amount."""
    return amount_of((Decimal(fen) / 100).quantize(Decimal("0.01"))) if fen else None


def _whole(value: Any) -> bool:
    """An integer as JSON writes it (not a string, not a boolean)."""
    return isinstance(value, int) and not isinstance(value, bool)


def _group_price(goods: dict[str, Any], end: str) -> Any:
    """`minGroupPrice`/`maxGroupPrice`, or the on-sale ones (`minOnSaleGroupPrice`) some pages write instead."""
    value = goods.get(f"{end}GroupPrice")
    return value if value is not None else goods.get(f"{end}OnSaleGroupPrice")


# -- Youzan -------------------------------------------------------------------------------------------


class YouzanGoodsDataProfile(PageProfile):
    """Youzan (有赞) goods page state: `window.globalData = {"goodsData": {...}}` (or `window._global`).
    Some pages write `_global.goodsData` as a string: the goods JSON escaped as JavaScript's `escape()`
    writes it (`%7B%22goods%22...%u5C71`), which the page script reads with `JSON.parse(unescape(...))`;
    it is read the same way (see `_youzan_goods_data`), and a string that is no JSON object is not read.

    `goodsData.goods.title`, `goodsData.shop.shopName`, prices in fen in `skuInfo.skuPrices[]`
    (`{skuId, price}`; or `skuInfo.spuPrice.price` without SKUs), stock in `skuStocks[]`
    (`{skuId, stockNum, disable}`) / `spuStock.stockNum`, the struck 划线价 as written in
    `goods.origin`, the postage in fen in `delivery.postage` (`min`..`max`).

    The price (or range) is that of the SKUs one can buy: a sold-out SKU's price is nobody's price
    today. A promotion price the page loads afterwards is not in this state. Nothing can be bought
    from goods taken off the shelf (`goods.isDisplay` 0, "商品已下架") or from a shop that is closed
    (`isCloseBusiness` true at the root of the state, "店铺打烊中"), whatever the stock says.
    """

    name = "youzan-goods"
    platforms = frozenset({"youzan"})
    state: ClassVar[re.Pattern[str]] = re.compile(r"window\.(?:globalData|_global)\s*=\s*(?=\{)")

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform) or not script_assigns(page, self.state, "goodsData", with_word=True):
            return False
        return _youzan_goods_data(state_json(page, self.state, "goodsData")) is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        state = state_json(page, self.state, "goodsData")
        found = _youzan_goods_data(state)
        if found is None:
            return []
        goods, info = dig(found, "goods") or {}, dig(found, "skuInfo") or {}
        rows = dig(info, "skuPrices")
        rows = [r for r in rows[:500] if isinstance(r, dict)] if isinstance(rows, list) else []
        buyable = self._buyable(info)
        prices = [a for r in rows if (a := amount_of(r.get("price"))) is not None]
        if buyable:  # none buyable: the page is sold out, its prices are kept for the record
            prices = [a for r in rows if str(r.get("skuId")) in buyable and (a := amount_of(r.get("price")))] or prices
        prices = prices or [a for a in [amount_of(dig(info, "spuPrice", "price"))] if a]
        candidates = []
        if prices:
            low, high = (min(prices) / 100).quantize(Decimal("0.01")), (max(prices) / 100).quantize(Decimal("0.01"))
            ranged = high > low
            kind: PriceKind = "range" if ranged else "sale"
            raw = f"{min(prices)}-{max(prices)} / 100" if ranged else f"{min(prices)} / 100"
            if amount_of(low) is not None:
                candidates.append(
                    PriceCandidate(
                        low, currency, kind, self.method, raw, PROFILE_CONFIDENCE, high=high if ranged else None
                    )
                )
        origin = dig(goods, "origin")
        listed = text_candidate(str(origin), "list", self.method, currency) if isinstance(origin, str | int) else None
        candidates += [listed] if listed is not None else []
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(dig(goods, "title"), TITLE_MAX),
                seller=clean_text(dig(found, "shop", "shopName"), SELLER_MAX),
                available=self._in_stock(info) and self._open(state, goods),
                shipping=self._postage(dig(found, "delivery", "postage")),
            )
        ]

    @staticmethod
    def _buyable(info: Any) -> set[str]:
        """The ids of the SKUs in stock (`skuStocks[].stockNum` above 0, not `disable`d, and not
        switched off in `skus[].disableStatus`); empty when the stock rows name no SKU."""
        stocks, skus = dig(info, "skuStocks"), dig(info, "skus")
        rows = [s for s in stocks[:500] if isinstance(s, dict)] if isinstance(stocks, list) else []
        skus = [s for s in skus[:500] if isinstance(s, dict)] if isinstance(skus, list) else []
        off = {str(s.get("skuId")) for s in skus if s.get("disableStatus")}
        return {
            str(s["skuId"])
            for s in rows
            if s.get("skuId") is not None and _whole(s.get("stockNum")) and s["stockNum"] > 0
            and s.get("disable") is not True and str(s["skuId"]) not in off
        }  # fmt: skip

    @staticmethod
    def _open(state: Any, goods: Any) -> bool:
        """Whether the goods are on the shelf and the shop open (see the class docstring)."""
        return _flag(dig(goods, "isDisplay")) is not False and _flag(dig(state, "isCloseBusiness")) is not True

    @staticmethod
    def _postage(postage: Any) -> Decimal | None:
        """The postage when it is one amount (`min` == `max`, in fen; 0: 免运费)."""
        low, high = dig(postage, "min"), dig(postage, "max")
        if not _whole(low) or low != high or low < 0 or dig(postage, "isDelivery") is False:
            return None
        return (Decimal(low) / 100).quantize(Decimal("0.01"))

    @staticmethod
    def _in_stock(info: Any) -> bool:
        stocks = dig(info, "skuStocks")
        counts = [dig(s, "stockNum") for s in stocks[:500]] if isinstance(stocks, list) else []
        counts = [c for c in counts if isinstance(c, int) and not isinstance(c, bool)]
        if not counts:
            total = dig(info, "spuStock", "stockNum")
            counts = [total] if isinstance(total, int) and not isinstance(total, bool) else []
        return not counts or sum(counts) > 0


_YOUZAN_ESCAPE = re.compile(r"%u([0-9A-Fa-f]{4})|%([0-9A-Fa-f]{2})")
_YOUZAN_SOLD_OUT = re.compile(r"售罄|下架|抢光|卖光|打烊|暂停营业|停售|不可购买")
_YOUZAN_BUY = re.compile(r"立即购买|加入购物车|立即抢购|马上抢|去购买|我要购买")


def _js_unescape(text: str) -> str | None:
    """`text` decoded as JavaScript's `unescape()` does (%uXXXX a UTF-16 unit, %XX a Latin-1 character; any
    other % kept); None when the units leave half of a surrogate pair."""
    decoded = _YOUZAN_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    try:
        return decoded.encode("utf-16-le", "surrogatepass").decode("utf-16-le")
    except UnicodeError:
        return None


def _youzan_goods_data(state: Any) -> dict[str, Any] | None:
    """The state's `goodsData` object, or the object its escaped string holds; None for anything else."""
    found = dig(state, "goodsData")
    if isinstance(found, str) and found.startswith(("%7B", "{")):
        text = _js_unescape(found[:STATE_MAX])
        try:
            found = json.loads(text, parse_float=Decimal) if text is not None else None
        except (ValueError, RecursionError):
            found = None
    return found if isinstance(found, dict) else None


class YouzanProfile(SelectorProfile):
    """Youzan (有赞) micro-store goods page as rendered: the sandbox's shape (`.goods-price .current-price`,
    the struck `.origin-price`, `.goods-postage .postage-price`, `.goods-sold-out`) and the real page
    as the goods script renders it with Vant (h5.youzan.com/v2/goods/<alias>): the price in the goods
    header's `.goods-price__current .goods-price__current-price-text` (yuan, as shown), the title in
    `.goods-title__main` (the subtitle `.goods-title__sub` beside it is not part of it), the shop in
    `.goods-shop__title`, the postage in the first `.goods-stock__postage` ("¥10.00"; "免运费" is 0.00).
    The buy bar (`.van-goods-action`) that offers no purchase but says 已售罄, 商品已下架 or 店铺打烊中
    makes the page sold out; a word of some SKUs' stock beside the buy buttons does not. The SKU popup's
    price and the shop's recommendations are never read.
    """

    name = "youzan"
    platforms = frozenset({"youzan"})
    marker = ".goods-header .goods-price"
    selectors = Selectors(
        title=(".goods-header .goods-title__main", ".goods-header .goods-title"),
        seller=(".shop-info .shop-name", ".goods-shop .goods-shop__title"),
        sku=".goods-header::attr(data-goods-sku)",
        prices={
            "sale": (
                ".goods-price .current-price",
                ".goods-header .goods-price__current .goods-price__current-price-text",
            ),
            "list": ".goods-price .origin-price",
        },
        shipping=".goods-postage .postage-price",
        sold_out=".goods-sold-out",
    )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        offers = super().read(page, url, currency)
        fee = _postage(_first_text(page, ".goods-stock .goods-stock__postage"), self.method, currency)
        bar = _first_text(page, ".van-goods-action") or ""
        closed = bool(_YOUZAN_SOLD_OUT.search(bar[:200])) and not _YOUZAN_BUY.search(bar[:200])
        return [
            replace(o, available=o.available and not closed)
            if o.shipping is not None or fee is None
            else replace(o, shipping=fee[0], shipping_currency=fee[1], available=o.available and not closed)
            for o in offers
        ]


# -- Douyin shop (抖音商城) ------------------------------------------------------------------------------

_DOUYIN_STATE = re.compile(r"\bwindow\.__INITIAL_STATE__\s*=\s*(?=\{)")
_DOUYIN_SHOWN = re.compile(r"^[0-9]{1,9}\.[0-9]{1,2}$")
_DOUYIN_PRICE_KEYS = ("discount_price", "spec_prices", "price_info")
_DOUYIN_OFF_SHELF = ("1", "2")  # `status`: 0 on sale, 1 taken off the shelf (下架), 2 deleted
_DOUYIN_BANNED = "5"  # `check_status`: 3 approved, 5 banned (封禁)
_DOUYIN_DEPTH = 6
_DOUYIN_NODES = 2000


def _douyin_price(value: Any) -> Decimal | None:
    """A price of Douyin's product model, whose price keys count fen (分, as the shop's product service
    documents them): a whole number (45900, or "45900" as some answers write it) is fen, ¥459.00; a
    number written with a fraction ("129.00", as the newer page writes the price it shows) is yuan, as
    no count of fen has one. The form decides, never the size; anything else (a sign, words, a list)
    is no price."""
    if (fen := _whole_count(value)) is not None:
        return _fen_price(fen)
    if isinstance(value, str):
        text = value.strip()
        return amount_of(Decimal(text)) if _DOUYIN_SHOWN.match(text) else None
    return amount_of(value) if isinstance(value, Decimal) else None


def _douyin_product(state: Any) -> dict[str, Any] | None:
    """The product of a Douyin page state: the first object, nearest the root, with a `product_id`, a
    name (`name`, or `title` on the newer page), a shop (`shop_name`, or `shop_info.shop_name`) and the
    model's prices (`discount_price`, `spec_prices`, or `price_info` on the newer page). Objects in
    lists are never it: the shop's recommendations are lists of products of the same shape."""
    queue: list[tuple[Any, int]] = [(state, 0)]
    for node, depth in queue:
        if len(queue) > _DOUYIN_NODES:
            break
        if not isinstance(node, dict):
            continue
        if (
            node.get("product_id") is not None
            and isinstance(node.get("name") or node.get("title"), str)
            and isinstance(node.get("shop_name") or dig(node, "shop_info", "shop_name"), str)
            and any(k in node for k in _DOUYIN_PRICE_KEYS)
        ):
            return node
        if depth < _DOUYIN_DEPTH:
            queue += [(v, depth + 1) for v in list(node.values())[:200] if isinstance(v, dict)]
    return None


def _douyin_states(page: Selector) -> Iterator[Any]:
    """The page's states: `window.__INITIAL_STATE__ = {...}`, and the newer page's
    `<script id="RENDER_DATA" type="application/json">`, which holds its JSON URL-encoded."""
    if script_assigns(page, _DOUYIN_STATE, "__INITIAL_STATE__"):
        yield state_json(page, _DOUYIN_STATE)
    for text in page.xpath("//script[@id='RENDER_DATA']/text()").getall()[:2]:
        try:
            yield json.loads(unquote(text[:STATE_MAX]), parse_float=Decimal)
        except (ValueError, RecursionError):
            continue


class DouyinProfile(PageProfile):
    """Douyin's shop (抖音商城) product page (haohuo.jinritemai.com `ecommerce/trade/detail`, the earlier
    `views/product/item2`): the product as the shop's product service writes it, in the page state
    (`window.__INITIAL_STATE__`, or the newer page's URL-encoded `RENDER_DATA` script), found by its
    shape wherever the page keeps it (see `_douyin_product`).

    Prices in fen, or as shown in yuan (see `_douyin_price`): `spec_prices[]` (the newer page's
    `sku_list[]`) one offer a SKU, its `price`, `stock_num`, `sku_id` (the offer's key) and the shop's
    own `code` (the SKU); `market_price` the struck list price; without SKUs `min_price`..`max_price`
    (in `price_info` on the newer page) a range, else `discount_price` the price. Nothing can be bought
    from a product taken off the shelf or deleted (`status` 1 or 2, "已下架") or banned (`check_status`
    5), whatever its stock; a SKU without stock is sold out.
    """

    name = "douyin"
    platforms = frozenset({"douyin"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform) or source_lacks(page, "product_id"):
            return False
        return self._product(page) is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        product = self._product(page)
        if product is None:
            return []
        prices = product.get("price_info") if isinstance(product.get("price_info"), dict) else product
        low, high = _douyin_price(dig(prices, "min_price")), _douyin_price(dig(prices, "max_price"))
        shown = _douyin_price(product.get("discount_price"))
        listed = _douyin_price(dig(prices, "market_price")) or _douyin_price(product.get("market_price"))
        on_sale = (
            str(product.get("status")).strip() not in _DOUYIN_OFF_SHELF
            and str(product.get("check_status")).strip() != _DOUYIN_BANNED
        )
        common = OfferRead(
            title=clean_text(product.get("name") or product.get("title"), TITLE_MAX),
            seller=clean_text(product.get("shop_name") or dig(product, "shop_info", "shop_name"), SELLER_MAX),
            available=on_sale,
        )
        whole = self._candidates(low if low is not None else shown, high, listed, currency)
        rows = product.get("spec_prices") if "spec_prices" in product else product.get("sku_list")
        skus = [s for s in rows[:200] if isinstance(s, dict)] if isinstance(rows, list) else []
        if not skus:
            return [replace(common, candidates=whole)]
        offers = []
        for sku in skus:
            price = _douyin_price(sku.get("price"))
            stock = sku.get("stock_num")
            offers.append(
                replace(
                    common,
                    candidates=self._candidates(price, None, listed, currency) if price is not None else whole,
                    key=clean_text(str(sku.get("sku_id") or ""), IDENTIFIER_MAX) or "",
                    sku=clean_text(sku.get("code"), IDENTIFIER_MAX) if isinstance(sku.get("code"), str) else None,
                    available=on_sale and not (isinstance(stock, int) and not isinstance(stock, bool) and stock <= 0),
                )
            )
        return offers

    def _candidates(
        self, low: Decimal | None, high: Decimal | None, listed: Decimal | None, currency: str
    ) -> tuple[PriceCandidate, ...]:
        if low is None:
            return ()
        out = [_sale_or_range(self.method, low, high, currency)]
        if listed is not None:
            out.append(_list_price(self.method, listed, currency))
        return tuple(out)

    @staticmethod
    def _product(page: Selector) -> dict[str, Any] | None:
        return next((p for s in _douyin_states(page) if (p := _douyin_product(s)) is not None), None)


# -- 1688 ---------------------------------------------------------------------------------------------

_1688_STATE = re.compile(r"\bwindow\.__(?:INIT_DATA|GLOBAL_DATA)\s*=\s*(?=\{)")
_1688_DETAIL_DATA = re.compile(r"\biDetailData\s*=\s*(?=\{)")
_1688_COMPANY = re.compile(r"""['"]companyName['"]\s*:\s*(['"])((?:\\.|(?!\1).){1,200})\1""")
_1688_QUANTITY = re.compile(r"^\s*[0-9]{1,9}\s*$")
_1688_TIER_CELLS = "#mod-detail-price [data-range]::attr(data-range)"
# `window.context=(function(b,d){...})(window.contextPath,{"result":...})`: the model is the call's second argument
_1688_CONTEXT = re.compile(
    r"\bwindow\.context\s*=\s*\(\s*function\s*\([^)]{0,40}\)\s*\{[\s\S]{0,3000}?\}\s*\)\s*"
    r"\(\s*window\.contextPath\s*,\s*(?=\{)"
)


def _quantity(value: Any) -> int | None:
    """A number of pieces as the state writes it (2, "2"); None for anything else."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return None
    text = str(value)
    return int(text) if _1688_QUANTITY.match(text) else None


def _fewest_pieces_price(tiers: list[tuple[Any, Any]]) -> Decimal | None:
    """The price of the tier with the fewest pieces, of (pieces from, price) pairs: what a buyer of the
    smallest quantity the seller sells pays. A tier whose quantity or price is not a plain number is
    passed over."""
    read = [
        (pieces, amount)
        for begin, price in tiers[:50]
        if (pieces := _quantity(begin)) is not None and (amount := _plain_price(price)) is not None
    ]
    return min(read, key=lambda t: t[0])[1] if read else None


class Alibaba1688Profile(PageProfile):
    """1688 offer page (detail.1688.com/offer/<id>.html): wholesale prices by quantity (价格区间 by 起批量).

    The current page keeps its model in `window.__INIT_DATA = {"globalData": {...}}` (or, later,
    `window.__GLOBAL_DATA = {...}`): `tempModel.companyName` the seller, `tempModel.offerTitle`,
    `orderParamModel.orderParam.skuParam.skuRangePrices` the tiers (`beginAmount`, `price` in yuan)
    and `canBookedAmount` what is left to book; `skuPriceType` "skuPrice" prices each SKU
    (`skuModel.skuInfoMap.*.price`/`discountPrice`, or the `skuModel.skuPriceScale` "32.00-38.00"
    they span). The page of 2025 passes its model as the second argument of a call,
    `window.context=(function(b,d){...})(window.contextPath,{"result": {"data": {...}}})` (a JavaScript literal:
    some keys are bare numbers): `result.data.Root.fields.dataJson` is the same model, and the page's components
    beside it give the tiers shown (`mainPrice.fields.priceModel.currentPrices`, `beginAmount` and `price`) when
    the model has none, the title (`productTitle.fields.title`) and the company (`productTitle.fields.shopInfo`);
    `result.global.globalData.model` gives them too (`tradeModel.offerPriceModel.currentPrices`,
    `offerDetail.subject`, `sellerModel.companyName`), and is read alone when the literal has no `Root`.
    The classic page writes `iDetailData.sku.priceRange` ([pieces from, price] pairs;
    `canBookCount`), the seller in `iDetailConfig.companyName`, and the same tiers as the cells of its
    price table (`#mod-detail-price [data-range]`).

    Quantity tiers are read at the smallest quantity sold, as Shopware's block prices are: its tier's
    price is the price, and the larger quantities' lower prices are no price of this offer. SKUs priced
    apart make the offer a range of their prices. Nothing left to book is sold out.
    """

    name = "1688"
    platforms = frozenset({"1688", "website"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform):
            return False
        if script_assigns(page, _1688_STATE, "orderParamModel", with_word=True):
            return self._model(page) is not None
        if script_assigns(page, _1688_CONTEXT, "contextPath"):
            return self._context(page) is not None
        return script_assigns(page, _1688_DETAIL_DATA, "iDetailData") or bool(page.css(_1688_TIER_CELLS))

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        model = self._model(page)
        if model is not None:
            return [self._current(model, currency)]
        if (context := self._context(page)) is not None:
            model = dig(context, "data", "Root", "fields", "dataJson")
            return [self._current(model if isinstance(model, dict) else {}, currency, context)]
        sku = dig(_loose_state(page, _1688_DETAIL_DATA, ("sku",)), "sku")
        ranges = dig(sku, "priceRange")
        tiers = (
            [(r[0], r[1]) for r in ranges[:50] if isinstance(r, list) and len(r) == 2]
            if isinstance(ranges, list)
            else []
        )
        if not tiers:
            cells = [_json_object(c) for c in page.css(_1688_TIER_CELLS).getall()[:20]]
            tiers = [(c.get("begin"), c.get("price")) for c in cells if c is not None]
        price = _fewest_pieces_price(tiers)
        candidates = [self._candidate(price, f"¥{price}", "sale", currency)] if price is not None else []
        if not candidates and (c := text_candidate(str(dig(sku, "price") or ""), "range", self.method, currency)):
            candidates.append(c)
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(_first_text(page, ("#mod-detail-title h1.d-title", "h1")), TITLE_MAX),
                seller=clean_text(self._classic_company(page), SELLER_MAX),
                available=_quantity(dig(sku, "canBookCount")) != 0,
            )
        ]

    def _current(self, model: dict[str, Any], currency: str, context: dict[str, Any] | None = None) -> OfferRead:
        """The offer of the model; `context`, the `result` of a `window.context` page it came with."""
        order = dig(model, "orderParamModel", "orderParam")
        page_model, offer = dig(context, "global", "globalData", "model"), dig(model, "tempModel")
        tiers = (
            _tiers(dig(order, "skuParam", "skuRangePrices"))
            or _tiers(_shown_prices(dig(context, "data")))
            or _tiers(dig(page_model, "tradeModel", "offerPriceModel", "currentPrices"))
        )
        scale = dig(model, "skuModel", "skuPriceScale")
        candidates: list[PriceCandidate] = []
        if dig(order, "skuParam", "skuPriceType") == "skuPrice":
            prices = self._sku_prices(dig(model, "skuModel", "skuInfoMap"))
            if prices:
                low, high = min(prices), max(prices)
                kind: PriceKind = "range" if high > low else "sale"
                raw = f"¥{low}-{high}" if high > low else f"¥{low}"
                candidates.append(self._candidate(low, raw, kind, currency, high if high > low else None))
            elif isinstance(scale, str) and (c := text_candidate(scale, "range", self.method, currency)):
                candidates.append(c)
        if not candidates and (price := _fewest_pieces_price(tiers)) is not None:
            candidates.append(self._candidate(price, f"¥{price}", "sale", currency))
        if not candidates and isinstance(scale, str) and (c := text_candidate(scale, "range", self.method, currency)):
            candidates.append(c)
        heading = dig(context, "data", "productTitle", "fields")
        shop = dig(heading, "shopInfo")
        shop = _json_object(shop) if isinstance(shop, str) else shop
        title = dig(offer, "offerTitle") or dig(heading, "title") or dig(page_model, "offerDetail", "subject")
        company = dig(offer, "companyName") or dig(shop, "companyName") or dig(page_model, "sellerModel", "companyName")
        return OfferRead(
            candidates=tuple(candidates),
            title=clean_text(title, TITLE_MAX),
            seller=clean_text(company, SELLER_MAX),
            available=_quantity(dig(order, "canBookedAmount")) != 0,
        )

    def _candidate(
        self, amount: Decimal, raw: str, kind: PriceKind, currency: str, high: Decimal | None = None
    ) -> PriceCandidate:
        return PriceCandidate(amount, currency, kind, self.method, raw, PROFILE_CONFIDENCE, high=high)

    @staticmethod
    def _sku_prices(table: Any) -> list[Decimal]:
        """The SKUs' prices (`discountPrice`, else `price`), of the SKUs left to book when any are."""
        rows = [r for r in list(table.values())[:500] if isinstance(r, dict)] if isinstance(table, dict) else []
        priced = [(r, p) for r in rows if (p := _plain_price(r.get("discountPrice")) or _plain_price(r.get("price")))]
        left = [p for r, p in priced if _quantity(r.get("canBookCount")) != 0]
        return left or [p for _, p in priced]

    @staticmethod
    def _model(page: Selector) -> dict[str, Any] | None:
        value = state_json(page, _1688_STATE)
        model = dig(value, "globalData") if isinstance(dig(value, "globalData"), dict) else value
        if isinstance(model, dict) and isinstance(dig(model, "orderParamModel", "orderParam"), dict):
            return model
        return None

    @staticmethod
    def _context(page: Selector) -> dict[str, Any] | None:
        """`result` of the `window.context` call's model when it holds the offer's (`data.Root.fields.dataJson`,
        or the trade model of `global.globalData.model`)."""
        result = dig(_loose_state(page, _1688_CONTEXT, ("result",)), "result")
        if isinstance(dig(result, "data", "Root", "fields", "dataJson"), dict):
            return result
        return result if isinstance(dig(result, "global", "globalData", "model", "tradeModel"), dict) else None

    @staticmethod
    def _classic_company(page: Selector) -> str | None:
        for script in page.css("script::text").getall():
            at = script.find("iDetailConfig", 0, STATE_MAX)
            if at >= 0 and (m := _1688_COMPANY.search(script, at, at + 20_000)) is not None:
                return m.group(2)
        return _first_text(page, ("a.company-name::attr(title)", ".company-name"))


def _tiers(rows: Any) -> list[tuple[Any, Any]]:
    """(pieces from, price) of tier rows (`{"beginAmount": 2, "price": "25.00"}`)."""
    if not isinstance(rows, list):
        return []
    return [(r.get("beginAmount"), r.get("price")) for r in rows[:50] if isinstance(r, dict)]


def _shown_prices(components: Any) -> Any:
    """The tiers a `window.context` page shows: the first component's `fields.priceModel.currentPrices`
    (the component is `mainPrice` on the pages seen, named otherwise on others)."""
    for component in list(components.values())[:80] if isinstance(components, dict) else []:
        rows = dig(component, "fields", "priceModel", "currentPrices")
        if isinstance(rows, list):
            return rows
    return None


def _json_object(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text[:2000])
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


# -- Vipshop (唯品会) --------------------------------------------------------------------------------------

_VIP_ITEM_NUMBER = re.compile(r"商品编码\s*[:：]?\s*(\S.{0,63}?)\s*$")
_VIP_SOLD_OUT = re.compile(r"售罄|抢光|售完|下架|缺货")
_VIP_BUY = re.compile(r"加入购物袋|加入购物车|立即购买|立即抢购")


class VipshopProfile(SelectorProfile):
    """Vipshop (唯品会) detail page (detail.vip.com/detail-<brand>-<id>.html): the special price (特卖价)
    in `#J-specialPrice-wrap .sp-price`, the struck 市场价 (`del.marketPrice`) the list price, 券后价
    (`.pi-coupon .coupon-price`) a coupon price; the brand store `.re-store-name`, 商品编码 (the brand's
    item number, like 货号 the model) from `#J_detail_barCode` or the parameters table. The item is sold
    out when its buy button says 已售罄/已抢光/已下架 and offers no purchase; a size marked 已抢光 among
    the sizes is not. Recommendations below the item are never read."""

    name = "vipshop"
    platforms = frozenset({"vipshop", "website"})
    marker = "#J-specialPrice-wrap .sp-price"
    selectors = Selectors(
        title=("#J_detail_info_mation .pib-title-detail::attr(title)", "#J_detail_info_mation .pib-title-detail"),
        seller=".re-store .re-store-name",
        prices={
            "sale": "#J-specialPrice-wrap .sp-price",
            "list": ("#J-specialPrice-wrap del.marketPrice", "#J-specialPrice-wrap .J-mPrice"),
            "coupon": "#J-specialPrice-wrap .pi-coupon .coupon-price",
        },
    )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        buttons = _first_text(page, ("#J_detail_info_mation .pi-btn", ".pi-btn")) or ""
        sold_out = bool(_VIP_SOLD_OUT.search(buttons)) and not _VIP_BUY.search(buttons)
        model = clean_text(self._item_number(page), 64)
        return [
            replace(o, model=model, available=o.available and not sold_out) for o in super().read(page, url, currency)
        ]

    @staticmethod
    def _item_number(page: Selector) -> str | None:
        line = _first_text(page, "#J_detail_barCode") or ""
        if (m := _VIP_ITEM_NUMBER.search(line[:120])) is not None:
            return m.group(1)
        for row in page.css(".dc-table-content tr")[:80]:
            if row.xpath("normalize-space(string(th))").get() == "商品编码":
                return row.xpath("normalize-space(string(td))").get() or None
        return None


# -- Weidian (微店) ------------------------------------------------------------------------------------------

_WEIDIAN_STATE = "script#__rocker-render-inject__::attr(data-obj)"


class WeidianProfile(PageProfile):
    """Weidian (微店) item page (weidian.com/item.html?itemID=<id>): the model the server renders into
    `<script id="__rocker-render-inject__" data-obj="...">` (HTML-escaped JSON), `result.default_model`:
    `item_info.item_name` the title, `shop_info.shopName` the seller, `item_info.itemLowPrice` the lowest
    price in fen (a count of fen: a whole number; written otherwise it is not read), `item_info.origin_price`
    (yuan, as shown) the struck list price when above it, `item_info.stock` what is left, and
    `sku_properties.sku` the SKUs (`{<id>: {price, stock, ...}}`, `price` in yuan as shown), read only when
    the lowest of their prices is the item's lowest price: the price is then the range of the SKUs in
    stock. Without SKUs read, `item_info.itemHighPrice` (fen, as the lowest) above the lowest price makes
    the price the range the page shows. `delivery_info.expressFeeDesc` is the postage line ("免运费" 0.00).
    No stock left, on the item or on every SKU, is sold out. The same script carries the model of
    Weidian's other pages (a refund list, a shop): without `item_info` the page is not this shape.
    """

    name = "weidian"
    platforms = frozenset({"weidian", "website"})
    marker = "#__rocker-render-inject__"

    def applies(self, page: Selector, platform: str | None) -> bool:
        return super().applies(page, platform) and self._model(page) is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        model = self._model(page)
        if model is None:
            return []
        item, shop = model["item_info"], dig(model, "shop_info")
        fen = _whole_count(item.get("itemLowPrice"))
        low = _fen_price(fen)
        skus = self._skus(dig(model, "sku_properties", "sku"))
        priced = [(p, _whole_count(s.get("stock"))) for s in skus if (p := _plain_price(s.get("price")))]
        high = None
        if low is not None and priced and min(p for p, _ in priced) == low:
            left = [p for p, stock in priced if stock != 0] or [p for p, _ in priced]
            low, high = min(left), max(left)
        elif low is not None:
            # the page's own range: a highest price above the lowest (a range only when above it)
            high = _fen_price(_whole_count(item.get("itemHighPrice")))
        listed = _plain_price(item.get("origin_price"))
        candidates = _priced(self.method, low, high, listed, currency, f"itemLowPrice={fen} / 100")
        stocks = [_whole_count(s.get("stock")) for s in skus]
        counted = [c for c in stocks if c is not None]
        sold_out = _whole_count(item.get("stock")) == 0 or (bool(counted) and not any(c > 0 for c in counted))
        postage = dig(model, "delivery_info", "expressFeeDesc")
        fee = _postage(postage[:80], self.method, currency) if isinstance(postage, str) else None
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(item.get("item_name"), TITLE_MAX),
                seller=clean_text(dig(shop, "shopName") or dig(shop, "shop_name"), SELLER_MAX),
                available=not sold_out,
                shipping=fee[0] if fee else None,
                shipping_currency=fee[1] if fee else None,
            )
        ]

    @staticmethod
    def _skus(table: Any) -> list[dict[str, Any]]:
        rows = list(table.values())[:500] if isinstance(table, dict) else table[:500] if isinstance(table, list) else []
        return [r for r in rows if isinstance(r, dict)]

    @staticmethod
    def _model(page: Selector) -> dict[str, Any] | None:
        text = page.css(_WEIDIAN_STATE).get()
        if not text or len(text) > STATE_MAX:
            return None
        try:
            value = json.loads(text, parse_float=Decimal)
        except (ValueError, RecursionError):
            return None
        model = dig(value, "result", "default_model")
        return model if isinstance(model, dict) and isinstance(model.get("item_info"), dict) else None


# -- Dangdang (当当) ------------------------------------------------------------------------------------------

_HIDDEN = re.compile(r"display\s*:\s*none", re.IGNORECASE)


def _shown(page: Selector, css: str) -> bool:
    """Whether the page has an element `css` finds that its own style does not hide."""
    return any(not _HIDDEN.search(e.attrib.get("style", "")) for e in page.css(css)[:5])


class DangdangProfile(SelectorProfile):
    """Dangdang (当当) product page (product.dangdang.com/<id>.html, served in GBK): the price box
    `#pc-price` holds 当当价 in `#dd-price` and the struck 定价 (list price) in `#original-price`; the
    手机专享价 box beside it (`#mobile-price .pr`, shown when the app sells the item for less) is a price
    for app buyers only, a coupon price, and so is not the price of the page. The e-book price
    (`#e-book-price`) is another product's. The title is the `h1` of `.name_info` (its `title` attribute
    holds it whole), the seller a shop's name (`a[dd_name="店铺名称"]`) or Dangdang's own (`.dang_red`,
    "当当自营"). The item is sold out when the 到货通知 button (`#sign_no_stock`) is shown and the
    加入购物车 button (`#part_buy_button`) is not."""

    name = "dangdang"
    platforms = frozenset({"website"})
    marker = "#pc-price #dd-price"
    selectors = Selectors(
        title=(".name_info h1::attr(title)", ".name_info h1"),
        seller=('a[dd_name="店铺名称"]', "#service-more .title_name .dang_red"),
        prices={
            "sale": "#pc-price #dd-price",
            "list": "#pc-price #original-price",
            "coupon": "#mobile-price .pr",
        },
    )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        sold_out = _shown(page, "#sign_no_stock") and not _shown(page, "#part_buy_button")
        offers = super().read(page, url, currency)
        return [replace(o, available=False) for o in offers] if sold_out else offers


# -- Suning (苏宁易购) -------------------------------------------------------------------------------------

_SN_FIELD = re.compile(r'"(partNumber|vendorCode|itemDisplayName|flagshipName)"\s*:\s*"((?:\\.|[^"\\]){0,300})"')
_SN_PART = re.compile(r"^\d{9,18}$")
_SN_VENDOR = re.compile(r"^\d{10}$")
_JSONP = re.compile(r"^\s*[A-Za-z_$][\w$.]{0,60}\s*\((?P<body>.*)\)\s*;?\s*$", re.DOTALL)
_SN_DIGIT = re.compile(r"\d")
_SN_NOT_SOLD = frozenset({"2", "3"})  # invStatus: 1 有货, 4 备货中 (can be ordered), 2 无货, 3 暂不销售


class SuningProfile(PageProfile):
    """Suning (苏宁易购) product page (product.suning.com/<shop>/<item>.html): the server sends no price;
    the page script writes the item into `var sn = {...}` (a JavaScript literal: `"partNumber"` the
    18-digit item code, `"vendorCode"` the seller's code, `"itemDisplayName"` the title, `"flagshipName"`
    the shop) and fetches its price from the price service, `pas.suning.com/nspcsale_0_<partNumber>_
    <partNumber>_<vendorCode>_<area>.html?callback=pcData`, which answers in JSONP:
    `pcData({"data": {"price": {"saleInfo": [{"promotionPrice", "netPrice", "refPrice", "invStatus",
    "noPriceCausation"}]}}})`. The promotion price (促销价, "599.00-699.00" a range) is the price when
    there is one, else the net price (易购价); the reference price (参考价, struck), else a net price above
    the promotion price, is the list price. A reason for no price (`noPriceCausation`: 已下架 ...) without
    a price, or `invStatus` 2 (无货) or 3 (暂不销售), is sold out. A page saved with its price drawn
    (`dl.price-promo .mainprice`) is not this shape: the text reader reads the price it shows. Suning has
    no platform name of its own: its pages are crawled as `website`."""

    name = "suning"
    platforms = frozenset({"website"})
    price_api: ClassVar[str] = "https://pas.suning.com/nspcsale_0_{part}_{part}_{vendor}_10_010_0100101.html"

    def applies(self, page: Selector, platform: str | None) -> bool:
        if not self.serves(platform) or _SN_DIGIT.search(_first_text(page, "dl.price-promo .mainprice") or ""):
            return False  # a page saved with its price drawn is read as the page shows it
        return self._item(page) is not None

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        item = self._item(page) or {}
        title = _first_text(page, "h1#itemDisplayName") or item.get("itemDisplayName")
        return [
            OfferRead(
                title=clean_text(title, TITLE_MAX),
                seller=clean_text(item.get("flagshipName"), SELLER_MAX),
                sku=clean_text(item.get("partNumber", "").lstrip("0"), IDENTIFIER_MAX),
                extra={"suning_part": item.get("partNumber", "")},
            )
        ]

    def follow_up(self, page: Selector, url: str) -> str | None:
        item = self._item(page)
        if item is None:
            return None
        part = item["partNumber"].zfill(18)
        return f"{self.price_api.format(part=part, vendor=item['vendorCode'])}?callback=pcData"

    def read_follow_up(self, body: bytes, url: str, offers: list[OfferRead], currency: str) -> list[OfferRead]:
        text = body[:5_000_000].decode("utf-8", "replace")
        m = _JSONP.match(text)
        data = json_body((m.group("body") if m else text).encode("utf-8"))
        base = offers[0] if offers else OfferRead()
        rows = dig(data, "data", "price", "saleInfo")
        rows = [r for r in rows[:50] if isinstance(r, dict)] if isinstance(rows, list) else []
        wanted = base.extra.get("suning_part", "")
        row = next((r for r in rows if r.get("partNumber") == wanted), rows[0] if len(rows) == 1 else None)
        if row is None:
            return offers
        candidates: list[PriceCandidate] = []
        promotion = row.get("promotionPrice")
        shown = text_candidate(promotion if isinstance(promotion, str) else None, "sale", self.method, currency)
        net = _plain_price(row.get("netPrice"))
        if shown is None and net is not None:
            shown = text_candidate(f"{net}", "sale", self.method, currency)
        if shown is not None:
            candidates.append(shown)
            top = shown.high or shown.amount
            listed = _plain_price(row.get("refPrice"))
            if listed is None or listed <= top:
                listed = net
            if listed is not None and listed > top:
                candidates.append(_list_price(self.method, listed, currency))
        reason = row.get("noPriceCausation")
        off = (not candidates and isinstance(reason, str) and bool(reason.strip())) or (
            str(row.get("invStatus", "")).strip() in _SN_NOT_SOLD
        )
        return [replace(base, candidates=tuple(candidates), available=base.available and not off)]

    @staticmethod
    def _item(page: Selector) -> dict[str, str] | None:
        """The item's fields in the `sn` literal: None unless it names a well-formed item and seller code."""
        if source_lacks(page, "vendorCode") or source_lacks(page, "partNumber"):
            return None
        for script in page.css("script::text").getall():
            text = script[:STATE_MAX]
            if "vendorCode" not in text or "partNumber" not in text:
                continue
            fields: dict[str, str] = {}
            for m in _SN_FIELD.finditer(text):
                fields.setdefault(m.group(1), _js_string(m.group(2)))
            if _SN_PART.match(fields.get("partNumber", "")) and _SN_VENDOR.match(fields.get("vendorCode", "")):
                return fields
        return None


# -- NetEase Yanxuan (网易严选) ------------------------------------------------------------------------------

_YANXUAN_STATE = re.compile(r"\bJSON_DATA_FROMFTL\s*=\s*(?=\{)")
_YANXUAN_SELLER = "网易严选"  # Yanxuan sells its own goods only
_YANXUAN_ID = re.compile(r"^[0-9]{1,20}$")


class YanxuanProfile(PageProfile):
    """NetEase Yanxuan (网易严选) item page (you.163.com/item/detail?id=<id>): the server writes the item into a
    script, `var JSON_DATA_FROMFTL = {"item": {...}, "commentCount": 1286, "commentGoodRates": '98.7%', ...};`
    (a JavaScript literal: some values in single quotes), and the page script draws the page from it.

    `item.name` the title, `item.id` the SKU; `item.retailPrice` (yuan, as shown) the price and the struck
    `item.counterPrice` the list price when above it. SKUs at several prices (`skuList[].retailPrice`; the page
    then shows the lowest with 起) make the price their range, the list price then read only above its top.
    `item.soldOut` or `item.underShelf` (taken off the shelf) is sold out. Yanxuan sells its own goods: the
    seller is 网易严选. It has no platform name of its own: its pages are crawled as `website`.
    """

    name = "yanxuan"
    platforms = frozenset({"website"})

    def applies(self, page: Selector, platform: str | None) -> bool:
        return (
            self.serves(platform)
            and script_assigns(page, _YANXUAN_STATE, "JSON_DATA_FROMFTL")
            and self._item(page) is not None
        )

    def read(self, page: Selector, url: str, currency: str) -> list[OfferRead]:
        item = self._item(page)
        if item is None:
            return []
        skus = item.get("skuList")
        rows = [r for r in skus[:200] if isinstance(r, dict)] if isinstance(skus, list) else []
        prices = [p for r in rows if (p := _plain_price(r.get("retailPrice"))) is not None]
        shown = _plain_price(item.get("retailPrice"))
        low, high = (min(prices), max(prices)) if prices else (shown, None)
        listed = _plain_price(item.get("counterPrice"))
        candidates = _priced(self.method, low, high, listed, currency, f"retailPrice={low}")
        item_id = str(item.get("id") or "")
        off = _flag(item.get("soldOut")) is True or _flag(item.get("underShelf")) is True
        return [
            OfferRead(
                candidates=tuple(candidates),
                title=clean_text(item.get("name"), TITLE_MAX),
                seller=_YANXUAN_SELLER,
                sku=item_id if _YANXUAN_ID.match(item_id) else None,
                available=not off,
            )
        ]

    @staticmethod
    def _item(page: Selector) -> dict[str, Any] | None:
        item = dig(_loose_state(page, _YANXUAN_STATE, ("item",)), "item")
        return item if isinstance(item, dict) else None


def _js_string(raw: str) -> str:
    """A string literal's text ("\\u9752" read as 青); the text as written when it does not decode."""
    try:
        value = json.loads(f'"{raw}"')
    except ValueError:
        return raw
    return value if isinstance(value, str) else raw


CHINA_PROFILES: tuple[PageProfile, ...] = (
    TmallProfile(),
    TaobaoProfile(),
    TaobaoDetailProfile(),
    TmallMobileProfile(),
    _ICE_PROFILE,
    JdProfile(),
    JdCurrentProfile(),
    JdMobileProfile(),
    PinduoduoProfile(),
    YouzanGoodsDataProfile(),
    YouzanProfile(),
    DouyinProfile(),
    Alibaba1688Profile(),
    VipshopProfile(),
    WeidianProfile(),
    DangdangProfile(),
    SuningProfile(),
    YanxuanProfile(),
)
