"""Search result pages of the real marketplaces: JD, Taobao (script state and cards), Tmall, Amazon, eBay.

The saved pages below keep the structure (class names, attributes, JSON keys) of real search
pages, cut to a few results, with invented products and shops.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from saved_pages import result_row as _row
from scrapy.http import HtmlResponse, Request

from crawlers.discovery import (
    ALL_SHAPES,
    AMAZON_SEARCH,
    EBAY_CARDS,
    EBAY_ITEMS,
    JD_SEARCH,
    SEARCH_SHAPES,
    TAOBAO_CARDS,
    TAOBAO_SEARCH,
    TAOBAO_STATE,
    TMALL_SEARCH,
    point_price,
    read_search_page,
    search_shapes,
)
from crawlers.spiders.discover import DiscoveredItem, DiscoverSpider
from oneprice.settings.loader import load_config

ROOT = Path(__file__).resolve().parents[3]


# -- JD ----------------------------------------------------------------------------------------------

JD_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>山屿 冲锋衣 - 商品搜索 - 京东</title></head><body>
<div id="J_searchWrap"><div id="J_goodsList" class="goods-list-v2 gl-type-1 J-goods-list">
<ul class="gl-warp clearfix" data-tpl="1">
  <li data-sku="100012345678" data-spu="100012345678" ware-type="10" class="gl-item">
    <div class="gl-i-wrap">
      <div class="p-img"><a target="_blank" title="" href="//item.jd.com/100012345678.html"
        onclick="searchlog(1,'100012345678','0','2','','flagsClk=1')"><img width="220" height="220"
        data-img="1" data-lazy-img="//img10.360buyimg.example/n7/a.jpg" /></a></div>
      <div class="p-price"><strong class="J_100012345678" data-done="1"><em>￥</em><i>1299.00</i></strong></div>
      <div class="p-name p-name-type-2"><a target="_blank" title="防风防水，轻量收纳"
        href="//item.jd.com/100012345678.html"><em><font class="skcolor_ljg">山屿</font> 岚峰 GORE-TEX
        <font class="skcolor_ljg">冲锋衣</font> 男款</em><i class="promo-words">防风防水，轻量收纳</i></a></div>
      <div class="p-commit"><strong><a id="J_comment_100012345678" target="_blank"
        href="//item.jd.com/100012345678.html#comment">2万+</a>条评价</strong></div>
      <div class="p-shop" data-dongdian="" data-selfware="1" data-score="5" data-reputation="96"><span
        class="J_im_icon"><a target="_blank" class="curr-shop hd-shopname"
        href="//mall.jd.com/index-1000012345.html?from=pc"
        title="山屿户外京东自营旗舰店">山屿户外京东自营旗舰店</a></span></div>
    </div>
  </li>
  <li data-sku="100023456789" class="gl-item">
    <div class="gl-i-wrap">
      <div class="p-price"><strong class="J_100023456789" data-price="899.00"><em>￥</em><i></i></strong></div>
      <div class="p-name p-name-type-2"><a target="_blank"
        href="//ccc-x.jd.com/dsp/nc?ext=aHR0cHM6Ly9pdGVtLmpkLmNvbS8xMDAwMjM0NTY3ODkuaHRtbA&amp;log=abc"><em>山屿
        踏云 中帮防水徒步鞋<script>alert(1)</script></em></a><span class="p-promo-flag">广告</span></div>
      <div class="p-shop"><span class="J_im_icon"><a target="_blank" class="curr-shop hd-shopname"
        href="//mall.jd.com/index-2000023456.html">云杉运动专营店</a></span></div>
    </div>
  </li>
  <li data-sku="" class="gl-item"><div class="gl-i-wrap"><div class="p-name"><a
    href="javascript:;"><em>猜你喜欢</em></a></div></div></li>
</ul></div>
<div id="J_bottomPage" class="page clearfix"><span class="p-num"><a
  class="pn-prev disabled"><em>&lt;</em><i>上一页</i></a><a
  href="javascript:;" class="curr">1</a><a onclick="SEARCH.page(3, true)" href="javascript:;">2</a><a class="pn-next"
  onclick="SEARCH.page(3, true)" href="javascript:;"
  title="使用方向键右键也可翻到下一页哦！"><em>下一页</em><i>&gt;</i></a></span></div>
</div></body></html>"""

JD_URL = "https://search.jd.com/Search?keyword=%E5%B1%B1%E5%B1%BF&enc=utf-8&page=1"


def test_jd_search_reads_items_builds_ad_links_from_the_sku_and_pages_on_by_two() -> None:
    found, nxt = read_search_page(JD_PAGE.encode(), JD_URL, search_shapes("jd"))
    assert [_row(r) for r in found] == [
        (
            "https://item.jd.com/100012345678.html",
            "山屿 岚峰 GORE-TEX 冲锋衣 男款",
            "山屿户外京东自营旗舰店",
            Decimal("1299.00"),
        ),
        # an ad: its link is a click redirect, its listing is the item page of its sku; the price
        # is not in the HTML text yet, only in `data-price`; the script in its title is text
        (
            "https://item.jd.com/100023456789.html",
            "山屿 踏云 中帮防水徒步鞋alert(1)",
            "云杉运动专营店",
            Decimal("899.00"),
        ),
    ]
    assert nxt == "https://search.jd.com/Search?keyword=%E5%B1%B1%E5%B1%BF&enc=utf-8&page=3"
    _, after = read_search_page(JD_PAGE, nxt, JD_SEARCH)
    assert after is not None and after.endswith("page=5")


def test_jd_last_page_has_no_next_page() -> None:
    last = JD_PAGE.replace(
        '<a class="pn-next"\n  onclick="SEARCH.page(3, true)" href="javascript:;"', '<a class="pn-next disabled"'
    )
    assert last != JD_PAGE
    found, nxt = read_search_page(last, JD_URL, JD_SEARCH)
    assert len(found) == 2 and nxt is None


def test_a_gbk_search_page_is_decoded_from_its_meta_or_its_header() -> None:
    gbk = JD_PAGE.replace('charset="utf-8"', 'charset="gbk"').encode("gbk")
    found, _ = read_search_page(gbk, JD_URL, search_shapes("jd"))
    assert found[0].title == "山屿 岚峰 GORE-TEX 冲锋衣 男款"
    assert found[0].seller_name == "山屿户外京东自营旗舰店" and found[0].price == Decimal("1299.00")
    no_meta = JD_PAGE.replace('<meta charset="utf-8">', "").encode("gbk")
    by_header, _ = read_search_page(no_meta, JD_URL, JD_SEARCH, content_type="text/html; charset=GBK")
    assert [_row(r) for r in by_header] == [_row(r) for r in found]


def test_jd_results_linking_to_mobile_item_pages_keep_their_links() -> None:
    # item.m.jd.com pages are read by the jd-mobile profile: a result linking there is kept, not
    # replaced by the desktop page built from its sku
    mobile = JD_PAGE.replace("//item.jd.com/100012345678.html", "//item.m.jd.com/product/100012345678.html")
    assert mobile != JD_PAGE
    found, _ = read_search_page(mobile, JD_URL, JD_SEARCH)
    assert [r.url for r in found] == [
        "https://item.m.jd.com/product/100012345678.html",
        "https://item.jd.com/100023456789.html",
    ]


# -- Taobao: the script state ------------------------------------------------------------------------

TAOBAO_STATE_PAGE = r"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>山屿_淘宝搜索</title>
<script>
    g_page_config = {"pageName":"mainsrp","mods":{"shopcombotip":{"status":"hide"},
    "itemlist":{"status":"show","data":{"postFeeText":"运费","trace":"msrp_auction","auctions":[
      {"p4p":1,"p4pSameHeight":true,"nid":"610000000001","category":"","pid":"",
       "title":"\u003cspan class\u003dH\u003e山屿\u003c/span\u003e 岚峰 冲锋衣",
       "raw_title":"山屿 岚峰 冲锋衣 男款",
       "pic_url":"//g-search1.alicdn.example/img/a.jpg",
       "detail_url":"https://click.simba.taobao.com/cc_im?p\u003d%C9%BD\u0026s\u003d47933492\u0026k\u003d673",
       "view_price":"1299.00","view_fee":"0.00","item_loc":"浙江 杭州","view_sales":"126人付款",
       "nick":"山屿户外官方旗舰店","shopcard":{"isTmall":true}},
      {"i2iTags":{"samestyle":{"url":""}},"nid":"610000000002","category":"50009860",
       "title":"山屿 踏云 \u003cspan class\u003dH\u003e徒步鞋\u003c/span\u003e",
       "raw_title":"\u003cimg src\u003dx onerror\u003dalert(1)\u003e山屿 踏云 徒步鞋",
       "detail_url":"//detail.tmall.com/item.htm?id\u003d610000000002\u0026ad_id\u003d\u0026am_id\u003d\u0026abbucket\u003d1",
       "view_price":"599.00","nick":"云端登山用品","shopLink":"//store.taobao.com/shop/view_shop.htm?user_number_id\u003d1"},
      {"nid":"610000000003","title":"山屿 \u003cspan class\u003dH\u003e抓绒\u003c/span\u003e 外套",
       "detail_url":"//item.taobao.com/item.htm?id\u003d610000000003\u0026ns\u003d1\u0026abbucket\u003d7#detail",
       "view_price":"259.00-299.00","nick":"清仓小铺"},
      {"nid":"not-a-number","raw_title":"没有链接","detail_url":"javascript:void(0)"}
    ]}},
    "pager":{"pageName":"pager","status":"show","data":{"pageSize":44,"totalPage":3,"currentPage":1,"totalCount":120}},
    "remainMods":[]},"feature":{"webpOff":false,"retinaOff":false,"shopcardOff":false}};
    g_srp_loadCss();
</script></head><body><div id="mainsrp-itemlist"></div></body></html>"""

TAOBAO_URL = "https://s.taobao.com/search?q=%E5%B1%B1%E5%B1%BF&imgfile=&ie=utf8"


def test_taobao_script_state_gives_items_item_pages_and_the_next_offset() -> None:
    found, nxt = read_search_page(TAOBAO_STATE_PAGE.encode(), TAOBAO_URL, search_shapes("taobao"))
    assert [_row(r) for r in found] == [
        # an ad's click redirect: the listing is the item page of its nid
        (
            "https://item.taobao.com/item.htm?id=610000000001",
            "山屿 岚峰 冲锋衣 男款",
            "山屿户外官方旗舰店",
            Decimal("1299.00"),
        ),
        # markup in a title is kept as inert text, never read as markup
        (
            "https://detail.tmall.com/item.htm?id=610000000002",
            "<img src=x onerror=alert(1)>山屿 踏云 徒步鞋",
            "云端登山用品",
            Decimal("599.00"),
        ),
        # no raw_title: the highlighted title without its tags; a price range is no one price
        ("https://item.taobao.com/item.htm?id=610000000003", "山屿 抓绒 外套", "清仓小铺", None),
    ]
    assert nxt == "https://s.taobao.com/search?q=%E5%B1%B1%E5%B1%BF&imgfile=&ie=utf8&s=44"
    _, third = read_search_page(TAOBAO_STATE_PAGE.replace('"currentPage":1', '"currentPage":2'), nxt, TAOBAO_STATE)
    assert third is not None and third.endswith("&s=88")
    _, last = read_search_page(TAOBAO_STATE_PAGE.replace('"currentPage":1', '"currentPage":3'), nxt, TAOBAO_STATE)
    assert last is None


@pytest.mark.parametrize(
    "pager",
    ['"currentPage":"²"', '"currentPage":true', '"currentPage":-1', '"pageSize":0', '"totalPage":"many"'],
)
def test_a_strange_pager_gives_the_results_and_no_next_page(pager: str) -> None:
    key = pager.split(":")[0]
    page = TAOBAO_STATE_PAGE.replace(
        {'"currentPage"': '"currentPage":1', '"pageSize"': '"pageSize":44', '"totalPage"': '"totalPage":3'}[key], pager
    )
    assert page != TAOBAO_STATE_PAGE
    found, nxt = read_search_page(page, TAOBAO_URL, TAOBAO_STATE)
    assert len(found) == 3 and nxt is None


@pytest.mark.parametrize(
    "state",
    [
        'g_page_config = {"pageName":"mainsrp","mods":{"itemlist":{"data":{"auctions":[{"nid":"1"',  # cut off
        'g_page_config = {"pageName":"mainsrp","mods":{"itemlist":{"data":{"auctions":"none"}}}};',
        'g_page_config = {"mods":{"itemlist":{"data":{"auctions":[1, null, "x", {"nid": true}]}}}};',
        "g_page_config = " + "[" * 5000 + "]" * 5000 + ";",
        "var other = 1;",
    ],
)
def test_broken_or_strange_script_state_gives_no_results(state: str) -> None:
    page = f"<html><head><script>{state}</script></head><body></body></html>"
    assert read_search_page(page, TAOBAO_URL, search_shapes("taobao")) == ([], None)


# -- Taobao: the current cards -------------------------------------------------------------------------

TAOBAO_CARDS_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>山屿_淘宝搜索</title></head><body>
<div id="content_items_wrapper" class="Content--contentWrapper--AHyXBNh">
  <div class="Content--contentInner--QVTcU0M">
    <a class="Card--doubleCardWrapper--L2XFE73"
      href="//item.taobao.com/item.htm?id=620000000001&amp;ns=1&amp;abbucket=12"
       target="_blank" data-spm-act-id="620000000001">
      <div class="Card--doubleCard--wznk5U4">
        <div class="MainPic--mainPicWrapper--iv9Yv90"><img class="MainPic--mainPic--rcLNaCv" src="x.jpg"/></div>
        <div class="Title--descWrapper--HqxzYq0"><div class="Title--title--jCOPvpf"><span>山屿 岚峰 冲锋衣</span><span
          class="Title--highlight">男款</span></div></div>
        <div class="Price--priceWrapper--Q0Dn7pN"><span class="Price--unit--VNGKLAP">¥</span><span
          class="Price--priceInt--ZlsSi_M">1,299</span><span class="Price--priceFloat--h2RR0RK">.00</span><span
          class="Price--realSales--FhTZc7U">300+人付款</span><div class="Price--procity--_7Vt3mX">浙江</div></div>
        <div class="ShopInfo--shopInfo--ORFs6rK"><a class="ShopInfo--shopName--rg6mGmy"
          href="//store.taobao.com/shop/view_shop.htm?appUid=x"><div
            class="ShopInfo--TextAndPic--yH0AZfx">山屿户外官方旗舰店</div></a></div>
      </div>
    </a>
    <a class="doubleCardWrapperAdapt--mEcC7olq" id="item_id_620000000002"
       href="https://click.simba.taobao.com/cc_im?p=%C9%BD&amp;s=1&amp;k=2" target="_blank">
      <div class="title--qJ7Xg_90"><span>山屿 踏云 徒步鞋</span></div>
      <div class="priceWrapper--dBtPZ2K"><span class="unit--MP6C5vn">¥</span><span
        class="priceInt--yqqZMJ5a">459</span><span
        class="priceFloat--XpixvyQ">.9</span></div>
      <div class="shopInfo--ZOcmTEc"><a class="shopName--hdF527QA" href="//store.taobao.com/x"><span
        class="shopNameText--DmtlsDKm">清仓小铺</span></a></div>
    </a>
  </div>
</div>
<div class="Pagination--pgWrap--kfPsaVv"><div class="next-pagination next-medium"><div class="next-pagination-pages">
  <button type="button" disabled
    class="next-btn next-medium next-btn-normal next-pagination-item next-prev">上一页</button>
  <button type="button" class="next-btn next-medium next-btn-normal next-pagination-item next-current">1</button>
  <button type="button" class="next-btn next-medium next-btn-normal next-pagination-item next-next">下一页</button>
</div></div></div>
</body></html>"""


def test_taobao_cards_join_split_prices_keep_only_the_item_id_and_page_on() -> None:
    url = "https://s.taobao.com/search?page=1&q=%E5%B1%B1%E5%B1%BF&tab=all"
    found, nxt = read_search_page(TAOBAO_CARDS_PAGE, url, search_shapes("taobao"))
    assert [_row(r) for r in found] == [
        (
            "https://item.taobao.com/item.htm?id=620000000001",
            "山屿 岚峰 冲锋衣男款",  # highlighted words are spans of their own, side by side
            "山屿户外官方旗舰店",
            Decimal("1299.00"),
        ),
        ("https://item.taobao.com/item.htm?id=620000000002", "山屿 踏云 徒步鞋", "清仓小铺", Decimal("459.9")),
    ]
    assert nxt == "https://s.taobao.com/search?page=2&q=%E5%B1%B1%E5%B1%BF&tab=all"
    last = TAOBAO_CARDS_PAGE.replace('next-pagination-item next-next"', 'next-pagination-item next-next" disabled')
    assert last != TAOBAO_CARDS_PAGE and read_search_page(last, url, TAOBAO_CARDS)[1] is None


# -- Tmall's own search ----------------------------------------------------------------------------------

TMALL_PAGE = """<html><head><meta charset="utf-8"></head><body>
<div id="J_ItemList" class="view grid-nosku">
  <div class="product item-1111" data-id="630000000001" data-atp="a!1-3,,,,,,,">
    <div class="product-iWrap">
      <div class="productImg-wrap"><a
        href="//detail.tmall.com/item.htm?id=630000000001&amp;skuId=1&amp;user_id=2&amp;is_b=1&amp;rn=abc"
        class="productImg" target="_blank"><img src="x.jpg"/></a></div>
      <p class="productPrice"><em title="1299.00"><b>&yen;</b>1299.00</em></p>
      <p class="productTitle"><a
        href="//detail.tmall.com/item.htm?id=630000000001&amp;skuId=1&amp;user_id=2&amp;is_b=1&amp;rn=abc"
        target="_blank" title="山屿 岚峰 冲锋衣|SY-JK01"
        data-p="1-11">山屿 岚峰 <span class="H">冲锋衣</span>|SY-JK01</a></p>
      <div class="productShop" data-atp="b!1-3,{user_id},,,,,,"><a class="productShop-name"
        href="//store.taobao.com/search.htm?user_number_id=2" target="_blank">山屿户外官方旗舰店 </a></div>
      <p class="productStatus"><span>月成交 <em>967笔</em></span></p>
    </div>
  </div>
</div>
<div class="ui-page"><div class="ui-page-wrap"><b class="ui-page-num"><b class="ui-page-cur">1</b><a
  class="ui-page-next" href="?page_size=20&amp;q=%C9%BD%D3%EC&amp;s=60&amp;type=pc">下一页&gt;&gt;</a></b></div></div>
</body></html>"""


def test_tmall_list_reads_products_and_its_pager() -> None:
    url = "https://list.tmall.com/search_product.htm?q=%C9%BD%D3%EC&type=pc"
    found, nxt = read_search_page(TMALL_PAGE, url, search_shapes("tmall"))
    assert [_row(r) for r in found] == [
        (
            "https://detail.tmall.com/item.htm?id=630000000001",
            "山屿 岚峰 冲锋衣|SY-JK01",
            "山屿户外官方旗舰店",
            Decimal("1299.00"),
        )
    ]
    assert nxt == "https://list.tmall.com/search_product.htm?page_size=20&q=%C9%BD%D3%EC&s=60&type=pc"
    assert read_search_page(TMALL_PAGE, url, TMALL_SEARCH)[0] == found


# -- Amazon -------------------------------------------------------------------------------------------------

AMAZON_PAGE = """<!doctype html><html lang="en-gb"><head><meta
  charset="utf-8"><title>Amazon.co.uk : shanyu jacket</title></head>
<body><div id="search"><div class="s-main-slot s-result-list s-search-results sg-row">
  <div data-asin="" data-index="0" data-component-type="s-result-info-bar" class="s-result-item"></div>
  <div data-asin="B0SHANYU01" data-index="2" data-uuid="u1" data-component-type="s-search-result"
       class="sg-col-4-of-24 s-result-item s-asin AdHolder">
    <div class="puis-card-container s-card-container">
      <span class="a-declarative"><a class="a-link-normal s-no-outline"
        href="/sspa/click?ie=UTF8&amp;spc=MTox&amp;url=%2Fdp%2FB0SHANYU01%2Fref%3Dsr_1_1_sspa"><img class="s-image"
          src="x.jpg"/></a></span>
      <div data-cy="title-recipe"><a class="a-link-normal s-line-clamp-2 s-link-style a-text-normal"
        href="/sspa/click?ie=UTF8&amp;spc=MTox&amp;url=%2Fdp%2FB0SHANYU01"><h2
          aria-label="Sponsored Ad - Shanyu Ridge Waterproof Jacket"
        class="a-size-base-plus a-spacing-none a-color-base a-text-normal"><span>Shanyu Ridge Waterproof Jacket,
        Men's</span></h2></a></div>
      <div data-cy="price-recipe"><a class="a-link-normal s-no-hover s-underline-text" href="/dp/B0SHANYU01">
        <span class="a-price a-text-price" data-a-size="b" data-a-strike="true"><span
          class="a-offscreen">£159.99</span><span aria-hidden="true">£159.99</span></span>
        <span class="a-price" data-a-size="xl" data-a-color="base"><span class="a-offscreen">£129.99</span><span
          aria-hidden="true"><span
          class="a-price-symbol">£</span><span class="a-price-whole">129<span
            class="a-price-decimal">.</span></span><span class="a-price-fraction">99</span></span></span>
      </a></div>
    </div>
  </div>
  <div data-asin="B0SHANYU02" data-index="3" data-component-type="s-search-result" class="s-result-item s-asin">
    <div class="s-card-container">
      <h2 class="a-size-mini a-spacing-none a-color-base s-line-clamp-2"><a
        class="a-link-normal s-underline-text a-text-normal"
        href="/Shanyu-Trail-Hiking-Boots/dp/B0SHANYU02/ref=sr_1_2?keywords=shanyu&amp;qid=1700000000&amp;sr=8-2"><span
        class="a-size-medium a-color-base a-text-normal">Shanyu Trail Hiking Boots</span></a></h2>
      <span class="a-price a-text-price"><span class="a-offscreen">£89.00</span></span>
    </div>
  </div>
</div>
<span class="s-pagination-strip">
  <span class="s-pagination-item s-pagination-previous s-pagination-disabled">Previous</span>
  <span class="s-pagination-item s-pagination-selected">1</span>
  <a href="/s?k=shanyu+jacket&amp;page=2&amp;qid=1700000000&amp;ref=sr_pg_1"
     class="s-pagination-item s-pagination-next s-pagination-button s-pagination-separator">Next</a></span>
</div></body></html>"""


def test_amazon_results_are_dp_pages_of_their_asin_with_the_current_price() -> None:
    url = "https://www.amazon.co.uk/s?k=shanyu+jacket"
    found, nxt = read_search_page(AMAZON_PAGE, url, search_shapes("amazon"))
    assert [_row(r) for r in found] == [
        # sponsored: /sspa/click is no listing; the struck "list" price is not the price
        ("https://www.amazon.co.uk/dp/B0SHANYU01", "Shanyu Ridge Waterproof Jacket, Men's", None, Decimal("129.99")),
        # only a struck price shown: no current price
        ("https://www.amazon.co.uk/dp/B0SHANYU02", "Shanyu Trail Hiking Boots", None, None),
    ]
    assert nxt == "https://www.amazon.co.uk/s?k=shanyu+jacket&page=2&qid=1700000000&ref=sr_pg_1"
    # the last page's "Next" is a span, not a link
    last = AMAZON_PAGE.replace('<a href="/s?k=shanyu+jacket&amp;page=2', '<span class="s-pagination-next" data-x="')
    assert last != AMAZON_PAGE and read_search_page(last, url, AMAZON_SEARCH)[1] is None


# -- eBay ----------------------------------------------------------------------------------------------------

EBAY_ITEMS_PAGE = """<!DOCTYPE html><html lang="en"><head><meta
  charset="utf-8"><title>shanyu jacket for sale | eBay</title></head>
<body><div id="srp-river-results" class="srp-river-results clearfix"><ul class="srp-results srp-list clearfix">
  <li class="s-item s-item__pl-on-bottom" data-viewport="{}"><div class="s-item__wrapper clearfix"><div
    class="s-item__info clearfix">
    <a class="s-item__link" href="https://ebay.com/itm/123456?itmmeta=01&amp;hash=item1e240"><div
      class="s-item__title"><span
      role="heading" aria-level="3">Shop on eBay</span></div></a>
    <div class="s-item__details clearfix"><div class="s-item__detail s-item__detail--primary"><span
      class="s-item__price">$20.00</span></div></div>
  </div></div></li>
  <li class="s-item s-item__pl-on-bottom" data-viewport="{}" id="item3a1b2c"><div
    class="s-item__wrapper clearfix"><div class="s-item__info clearfix">
    <a class="s-item__link"
      href="https://www.ebay.com/itm/335500000001?epid=1&amp;hash=item4e1d:g:abc&amp;amdata=enc%3AAQ"><div
      class="s-item__title"><span role="heading" aria-level="3">Shanyu Ridge Waterproof Jacket Mens L</span></div></a>
    <div class="s-item__subtitle"><span class="SECONDARY_INFO">Pre-Owned</span></div>
    <div class="s-item__details clearfix"><div class="s-item__detail s-item__detail--primary"><span
      class="s-item__price">$84.99</span></div>
      <div class="s-item__detail s-item__detail--primary"><span
        class="s-item__shipping s-item__logisticsCost">+$12.00 shipping</span></div>
      <div class="s-item__detail s-item__detail--secondary"><span class="s-item__seller-info"><span
        class="s-item__seller-info-text">ridgeline-deals (1,234) 99.5%</span></span></div></div>
  </div></div></li>
  <li class="s-item s-item__pl-on-bottom" data-viewport="{}"><div class="s-item__wrapper clearfix"><div
    class="s-item__info clearfix">
    <a class="s-item__link" href="https://www.ebay.com/itm/335500000002?var=0&amp;hash=item4e1e"><div
      class="s-item__title"><span
      role="heading" aria-level="3">Shanyu Fleece Jacket - choose size</span></div></a>
    <div class="s-item__details clearfix"><div class="s-item__detail s-item__detail--primary"><span
      class="s-item__price"><span class="POSITIVE">$10.00</span><span class="DEFAULT"> to </span><span
        class="POSITIVE">$15.00</span></span></div>
      <div class="s-item__detail s-item__detail--secondary"><span
        class="s-item__seller-info-text">pinecrest_gear (87) 100%</span></div></div>
  </div></div></li>
</ul></div>
<nav class="pagination" role="navigation"><a class="pagination__previous" aria-disabled="true" href="#"></a><ol
  class="pagination__items"><li><a class="pagination__item" aria-current="page" href="#">1</a></li></ol><a
    class="pagination__next icon-link"
  href="https://www.ebay.com/sch/i.html?_nkw=shanyu+jacket&amp;_pgn=2" type="next"
  aria-label="Go to next search page"></a></nav>
</body></html>"""


def test_ebay_items_skip_the_placeholder_strip_tracking_and_feedback() -> None:
    url = "https://www.ebay.com/sch/i.html?_nkw=shanyu+jacket"
    found, nxt = read_search_page(EBAY_ITEMS_PAGE, url, search_shapes("ebay"))
    assert [_row(r) for r in found] == [
        (
            "https://www.ebay.com/itm/335500000001",
            "Shanyu Ridge Waterproof Jacket Mens L",
            "ridgeline-deals",
            Decimal("84.99"),
        ),
        # a price range ("$10.00 to $15.00") is no one price
        ("https://www.ebay.com/itm/335500000002", "Shanyu Fleece Jacket - choose size", "pinecrest_gear", None),
    ]
    assert nxt == "https://www.ebay.com/sch/i.html?_nkw=shanyu+jacket&_pgn=2"
    assert read_search_page(EBAY_ITEMS_PAGE, url, EBAY_ITEMS)[0] == found


EBAY_CARDS_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>
<ul class="srp-results srp-list clearfix">
  <li class="s-card s-card--horizontal" data-listingid="123456" id="item1"><div class="su-card-container"><div
    class="su-card-container__content">
    <a class="su-link s-card__link" href="https://ebay.com/itm/123456"><div class="s-card__title"><span
      class="su-styled-text primary default">Shop on eBay</span></div></a></div></div></li>
  <li class="s-card s-card--horizontal s-card--dark-solt-links-blue" data-listingid="336600000001"
    data-view="mi:1686|iid:1"
      id="item4e5f6a"><div class="su-card-container su-card-container--horizontal">
    <div class="su-card-container__media"><a class="su-link"
      href="https://www.ebay.com/itm/336600000001?_skw=shanyu&amp;hash=item4e5f"><img
      class="s-card__image" src="x.jpg"/></a></div>
    <div class="su-card-container__content"><div class="su-card-container__header">
      <a class="su-link" href="https://www.ebay.com/itm/336600000001?_skw=shanyu&amp;hash=item4e5f" target="_blank"><div
        class="s-card__title" role="heading" aria-level="3"><span
          class="su-styled-text primary default">Shanyu Trail Hiking Boots Size 10</span><span
        class="clipped">Opens in a new window or tab</span></div></a>
      <div class="s-card__subtitle-row"><div class="s-card__subtitle"><span
        class="su-styled-text secondary default">Brand New</span></div></div></div>
      <div class="su-card-container__attributes"><div class="su-card-container__attributes__primary">
        <div class="s-card__attribute-row"><span
          class="su-styled-text primary bold large-1 s-card__price">$119.00</span></div>
        <div class="s-card__attribute-row"><span
          class="su-styled-text secondary large">+$9.95 delivery</span></div></div>
        <div class="su-card-container__attributes__secondary"><div class="s-card__attribute-row"><span
          class="su-styled-text primary large">trailhead_outlet</span><span
            class="su-styled-text primary large"> 99.3% positive (154.8K)</span></div></div>
      </div></div></div></li>
</ul>
<nav class="pagination" role="navigation"><a class="pagination__next icon-link" type="next"
  href="/sch/i.html?_nkw=shanyu&amp;_pgn=2" aria-label="Go to next search page"></a></nav></body></html>"""


def test_ebay_cards_use_the_listing_id_and_the_first_seller_row() -> None:
    url = "https://www.ebay.com/sch/i.html?_nkw=shanyu"
    found, nxt = read_search_page(EBAY_CARDS_PAGE, url, search_shapes("ebay"))
    assert [_row(r) for r in found] == [
        (
            "https://www.ebay.com/itm/336600000001",
            "Shanyu Trail Hiking Boots Size 10",
            "trailhead_outlet",
            Decimal("119.00"),
        )
    ]
    assert nxt == "https://www.ebay.com/sch/i.html?_nkw=shanyu&_pgn=2"
    assert read_search_page(EBAY_CARDS_PAGE, url, EBAY_CARDS)[0] == found


# -- every shape -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "url"),
    [
        (JD_PAGE, JD_URL),
        (TAOBAO_STATE_PAGE, TAOBAO_URL),
        (TAOBAO_CARDS_PAGE, TAOBAO_URL),
        (TMALL_PAGE, "https://list.tmall.com/search_product.htm?q=x"),
        (AMAZON_PAGE, "https://www.amazon.co.uk/s?k=x"),
        (EBAY_ITEMS_PAGE, "https://www.ebay.com/sch/i.html?_nkw=x"),
        (EBAY_CARDS_PAGE, "https://www.ebay.com/sch/i.html?_nkw=x"),
    ],
)
def test_a_platform_not_named_tries_every_shape(page: str, url: str) -> None:
    assert read_search_page(page, url)[0]  # ALL_SHAPES by default
    assert read_search_page(page, url, search_shapes("website")) == read_search_page(page, url)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"\x00\xff\xfe",
        b"<html><body><h1>No results for your search</h1><ul><li class='item'>x</li></ul></body></html>",
        b"<div id='J_goodsList'><ul><li class='gl-item' data-sku='abc'><div class='p-name'>"
        b"<a href='javascript:alert(1)'>x</a></div></li></ul></div>",
        b"<div data-component-type='s-search-result' data-asin='not an asin'><h2>x</h2></div>",
        b"<li class='s-item'><a class='s-item__link' href='data:text/html,x'>x</a></li>",
        b"<html><body><div class='m-itemlist'><div class='items'></div></div>"
        b"<div class='pager'><a class='next' href='?page=2'>2</a></div>",
        b"<a class='doubleCardWrapperAdapt--x' id='item_id_' href='//evil.example/" + b"a" * 5000 + b"'>x</a>",
    ],
)
def test_a_page_of_no_known_shape_gives_nothing_and_no_crash(body: bytes) -> None:
    for platform in (*SEARCH_SHAPES, "website"):
        assert read_search_page(body, "https://s.example/search?q=x", search_shapes(platform)) == ([], None)


def test_every_platform_keeps_the_sandbox_shape_last() -> None:
    for shapes in (*SEARCH_SHAPES.values(), ALL_SHAPES):
        assert shapes[-1] is TAOBAO_SEARCH
    assert search_shapes("website") == ALL_SHAPES
    assert len({s.name for s in ALL_SHAPES}) == len(ALL_SHAPES)


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("¥1,299.00", Decimal("1299.00")),
        ("￥ 899", Decimal("899")),
        ("US $29.99", Decimal("29.99")),
        ("EUR 12,99", Decimal("12.99")),
        ("¥99-129", None),
        ("¥99 ~ ¥129", None),
        ("$10.00 to $15.00", None),
        ("EUR 12,99 bis EUR 15,99", None),
        ("¥99起", None),
        ("from £20.00", None),
        ("", None),
        (None, None),
        ("免费", None),
    ],
)
def test_a_result_price_is_one_point_price_or_none(text: str | None, amount: Decimal | None) -> None:
    assert point_price(text) == amount


# -- the spider ------------------------------------------------------------------------------------------------


def test_discover_spider_reads_a_gbk_jd_page_by_its_platform_and_follows_the_built_next_page() -> None:
    spider = DiscoverSpider(config=load_config(ROOT / "config" / "demo.yaml"))
    spider.settings_ = spider.settings_.model_copy(
        update={"search": {"jd": "https://search.jd.com/Search?keyword={query}&enc=utf-8&page={page}"}, "max_pages": 2}
    )
    [start] = list(spider.start_requests())
    assert start.url == JD_URL
    body = JD_PAGE.replace('<meta charset="utf-8">', "").encode("gbk")
    response = HtmlResponse(start.url, body=body, request=start, headers={"Content-Type": "text/html; charset=GBK"})
    out = list(spider.parse(response))
    items = [o for o in out if isinstance(o, DiscoveredItem)]
    assert [(i.platform, i.url, i.seller_name) for i in items] == [
        ("jd", "https://item.jd.com/100012345678.html", "山屿户外京东自营旗舰店"),
        ("jd", "https://item.jd.com/100023456789.html", "云杉运动专营店"),
    ]
    [follow] = [o for o in out if isinstance(o, Request)]
    assert follow.url.endswith("&page=3")
