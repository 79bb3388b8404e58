"""Chinese pages as served, eleventh round: JD's item service answering that the item is out of stock, and
NetEase Yanxuan (网易严选) item pages, whose item the server writes into a script.

JD's item page asks the item service (`item-soa.jd.com/getWareBusiness?skuId=<id>`, now `api.m.jd.com`
`functionId=pc_detailpage_wareBusiness`) for the price and the stock of the visitor's area: besides
`price.p`/`op` it answers `stockInfo` (`stockState` 33 现货, 34 无货 with `stockDesc` "<strong>无货</strong>，
此商品暂时售完", 36 采购中, 40 可配货), as the answers public JD stock monitors and buying scripts print show.
`jd/ware_business_no_stock.json` is trimmed from such an answer, with this project's item, shop and prices.

A Yanxuan item page (you.163.com/item/detail?id=<id>) is drawn by its script from
`var JSON_DATA_FROMFTL = {"item": {...}, "commentCount": ..., "commentGoodRates": '99.9%', ...};`, a
JavaScript literal (some values in single quotes, so not JSON as a whole), as public Yanxuan scrapers read
it: `item.name`, `retailPrice`, `counterPrice`, `soldOut`, `underShelf`, `skuList[].retailPrice`.
`yanxuan/item_detail.html` is trimmed to that script and the page's empty frame, with an invented item.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from saved_pages import html, page, price_of
from saved_pages import replaced as _replaced
from saved_pages import sold_out as _sold_out

from crawlers.extraction import ExtractionStatus, extract

# -- JD: the item service's stock answer ----------------------------------------------------------------

JD = "jd/item_price_api.html"
JD_URL = "https://item.jd.com/555610491.html"
NO_STOCK = "jd/ware_business_no_stock.json"


def test_a_jd_item_the_item_service_says_is_out_of_stock_is_sold_out() -> None:
    # stockInfo.stockState 34 (无货): sold out, the price it answers kept for the record
    got = extract(page(JD), JD_URL, follow_up_body=page(NO_STOCK))
    _sold_out(got, "jd")
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("529.00"), "sale"), (Decimal("599.00"), "list")}
    assert (got.title, got.seller_name) == ("山屿 日行 30L 双肩包 黑", "北极星运动旗舰店")
    # 36 (采购中, on order) and 40 (可配货) can still be ordered: the price stands
    for state in ('"stockState":36', '"stockState":40'):
        answer = _replaced(page(NO_STOCK).decode("utf-8"), '"stockState":34', state).encode("utf-8")
        assert price_of(extract(page(JD), JD_URL, follow_up_body=answer)) == (Decimal("529.00"), "CNY", "sale", None)


# -- NetEase Yanxuan item page (you.163.com/item/detail?id=<id>) ----------------------------------------

YANXUAN = "yanxuan/item_detail.html"
YANXUAN_URL = "https://you.163.com/item/detail?id=1516026"


def _yanxuan(old: str = "", new: str = "") -> bytes:
    text = html(YANXUAN)
    return (_replaced(text, old, new) if old else text).encode("utf-8")


@pytest.mark.parametrize("platform", ["website", None])
def test_a_yanxuan_item_is_priced_from_the_item_the_server_writes(platform: str | None) -> None:
    # retailPrice 299 the price, the struck counterPrice 399.00 the list price; '98.7%' in single quotes is read past
    got = extract(page(YANXUAN), YANXUAN_URL, platform=platform)
    assert price_of(got) == (Decimal("299"), "CNY", "sale", None)
    assert got.profile == "yanxuan"
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("299"), "sale"), (Decimal("399.00"), "list")}
    assert (got.title, got.seller_name, got.sku) == ("全棉水洗四件套 1.8m床", "网易严选", "1516026")


def test_yanxuan_skus_at_several_prices_make_a_range() -> None:
    body = _yanxuan(
        '"id":1600119,"counterPrice":399.00,"retailPrice":299,"calcPrice":299.00',
        '"id":1600119,"counterPrice":459.00,"retailPrice":349,"calcPrice":349.00',
    )
    got = extract(body, YANXUAN_URL, platform="website")
    assert price_of(got) == (Decimal("299"), "CNY", "range", Decimal("349"))
    assert (Decimal("399.00"), "list") in {(c.amount, c.kind) for c in got.candidates}


@pytest.mark.parametrize("flag", ['"soldOut":false', '"underShelf":false'])
def test_a_yanxuan_item_sold_out_or_taken_off_the_shelf_is_sold_out(flag: str) -> None:
    body = _yanxuan(flag, flag.replace("false", "true"))
    got = extract(body, YANXUAN_URL, platform="website")
    _sold_out(got, "yanxuan")
    assert got.status is ExtractionStatus.NO_PRICE and got.title == "全棉水洗四件套 1.8m床"


def test_a_yanxuan_value_in_single_quotes_holding_quotes_is_read_past() -> None:
    # '\'好评\' "99%"': an escaped apostrophe and double quotes inside a single-quoted value
    body = _yanxuan("'98.7%'", "'\\'好评\\' \"99%\"'")
    assert price_of(extract(body, YANXUAN_URL, platform="website")) == (Decimal("299"), "CNY", "sale", None)
