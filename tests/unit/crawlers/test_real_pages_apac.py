"""Shapes seen on Asia-Pacific marketplaces where resellers of Chinese brands sell.

Coupang's product page (`coupang.com/vp/products/<id>?itemId=...&vendorItemId=...`), as saved pages of it show, draws
the buy box in `.prod-buy`: `.prod-buy-header__title` the name, `.prod-price-container .prod-price` with the struck
price (`.prod-origin-price .origin-price` "20,000원"), the price paid (`.prod-sale-price .total-price strong`
"7,300원"), then the member or coupon price (`.prod-coupon-price .total-price`, empty and hidden when none runs; a WOW
member's price when it does), the cash reward line (`.reward-cash-txt` "최대 73원 적립"), the seller
(`판매자: <a class="prod-sale-vendor-name">`), the product number (`쿠팡상품번호: <product> - <item>`) and, hidden
while the item can be bought, `.prod-buy-quantity-and-footer__oos-or-unavailable` ("품절"); public Coupang scrapers
read `.prod-sale-price .total-price strong` as the price and `.prod-coupon-price` as the member price.
`coupang/vp_sale_coupon_vendor.html` is cut down from that shape with an invented product. The extractor already reads
it right from its text (the sale price in won, not the member price, the struck price or the reward; the seller; the
sold-out line): the Coupang tests pin that and are no fix.

A Naver Smart Store product page (`smartstore.naver.com/<store>/products/<id>`) carries its product in
`window.__PRELOADED_STATE__={"product":{"A":{...}}}`, as public Smart Store scrapers read it: `name`, `salePrice`
(the price before the seller's immediate discount), `discountedSalePrice` and `benefitsView.discountedSalePrice`
(the price paid), `stockQuantity`, `productStatusType`, `channel.channelName` (the store), `optionCombinations` (each
option's `price` is what it adds), `productDeliveryInfo.baseFee`. `naver/smartstore_preloaded_state.html` is cut down
to that state with an invented product; the page drew its price only from it, and no price was read. The
`naver_smartstore` profile reads it. The state names no currency: the store prices in won, which the crawl takes from
the site's address (`smartstore.naver.com`); the tests read the page in won.

A Yahoo!ショッピング item page (`store.shopping.yahoo.co.jp/<seller>/<item>.html`) is rendered by Next.js: the item in
`<script id="__NEXT_DATA__">` at `props.pageProps.item` (`name`, `applicablePrice` the price with tax,
`taxExcludedApplicablePrice`, `regularPrice`, `sellerManagedItemId`, `janCode`, `stock.isAvailable`,
`individualItemList[]` with each SKU's `stock.isAvailable` and a `price` of `{"applicablePrice", "immediatePrice"}` or
null), `props.pageProps.seller.id`, the `product:price:amount` tag and a JSON-LD `Product`, as a public Japanese
reseller's scraper reads it. With JSON-LD the page is read right; without it, nothing was read: the
`yahoo_shopping` profile reads the state.

A Rakuten Ichiba item page in a shop's own layout (`item.rakuten.co.jp/<shop>/<item>/`, served in EUC-JP) writes the
price `span.price2` ("12,980円"), the name `span.item_name`, the item number `span.item_number`, and posts its cart
form to `basket.step.rakuten.co.jp` with the shop's name in `input[name=shopname]`; the regular price, the points
(129ポイント) and the coupon price are written beside it in the shop's own markup. Read as text the price was right but
no seller was read; the `rakuten` profile reads the shop and the item number. A sold-out item keeps the form with
"売り切れました" where the button was. `rakuten/item_legacy_price2.html` is cut down from that shape with an invented
product and kept in UTF-8; the tests read it in EUC-JP as well.

Amazon.co.jp prints its price as the other Amazon sites do (`.a-offscreen` "￥3,980", `.a-price-symbol` "￥",
`.a-price-whole` "3,980" with no fraction): read at an amazon.co.jp address it is yen, not yuan.

A Tokopedia product page names its parts by `data-testid`, as public Tokopedia scrapers read them:
`h1[data-testid=lblPDPDetailProductName]`, `[data-testid=lblPDPDetailProductPrice]` ("Rp1.249.000"),
`lblPDPDetailOriginalPrice` and `lblPDPDetailDiscountPercentage`, `[data-testid=stock-label] b` (the stock count),
`a[data-testid=llbPDPFooterShopName] h2` (the shop). Read as text the price was right in rupiah but no shop was read;
the `tokopedia` profile reads the shop and a stock of 0 as sold out. The saved page writes "Rp 1.249.000" (with a
space, a form Indonesian shops write too); the tests read the form without it as well.

A Flipkart product page writes the price in `div._30jeq3._16Jk6d` ("₹8,499") inside `.dyC4hf ._25b18c`, the name in
`h1.yhB1nd span.B_NuCI`, the "Special price" label `._1V_ZGU`, as public Flipkart price checkers read them; the offers
below (bank offer, no-cost EMI) write other rupee amounts. The extractor already reads the price right: the test pins
it.

A Shopify store selling in yen or won keeps its prices in hundredths like any other (¥3,980 is `"price":398000` in the
analytics state and the selected variant's JSON) and writes the price tag without decimals (`og:price:amount`
"3,980"): it is read as 3980 in the store's currency.

A Lazada product page may be served with SKUs that carry no price (`skuInfos` without `price`: the price is loaded
later) and a JSON-LD `Product` whose offer states only `availability`, the shown SKU's price kept in the tracking data
(`tracking.pdt_price` "RM1,299.00", `tracking.pdt_sku`, `tracking.seller_name`), as a public Lazada stock checker
calibrated on lazada.com.my reads it. No price was read; the `lazada` profile now reads the tracking price of the shown
SKU, and JSON-LD stating the offer out of stock without a price makes the page sold out (it had been dropped with the
missing price, so the tracking price would have been read).

A Myntra product page carries its product in `window.__myx = {"pdpData": {...}}`, as public Myntra scrapers read it:
`name`, `id`, `price.mrp` and `price.discounted`, `analytics.brand`, `sizes[].available`. No price was read; the
`myntra` profile reads the state. It names no currency: the site prices in rupees, which the crawl takes from the
site's address (`myntra.com`); the tests read the page in rupees.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import amounts, html, page, price_of, replaced, sold_out

from crawlers.extraction import ExtractionStatus, extract

# -- Coupang: the sale price, not the member price -----------------------------------------------------------

COUPANG = "coupang/vp_sale_coupon_vendor.html"
COUPANG_URL = "https://www.coupang.com/vp/products/7410238856?itemId=18822047315&vendorItemId=85964482561"


def test_coupang_sale_price_in_won_not_the_member_price_or_the_struck_price() -> None:
    got = extract(html(COUPANG), COUPANG_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("69900"), "KRW", "sale", None)
    assert got.seller_name == "루미엘 공식스토어"
    # not the WOW member price 64,900, the struck 89,000, the cash reward 699 nor the recommended filter's 12,900
    assert amounts(got) == {Decimal("69900")}


def test_coupang_sold_out_footer_shown_is_sold_out() -> None:
    body = replaced(
        html(COUPANG),
        '<div class="prod-buy-quantity-and-footer__oos-or-unavailable" style="display: none;">',
        '<div class="prod-buy-quantity-and-footer__oos-or-unavailable">',
    )
    body = replaced(
        body, '<div class="prod-onetime-order " style="">', '<div class="prod-onetime-order " style="display: none;">'
    )
    got = extract(body, COUPANG_URL, site_currency_first=True)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)


# -- Naver Smart Store: __PRELOADED_STATE__ ------------------------------------------------------------------

NAVER = "naver/smartstore_preloaded_state.html"
NAVER_URL = "https://smartstore.naver.com/lumiel/products/10362987654"


def test_naver_state_gives_the_discounted_price_the_store_and_the_product_number() -> None:
    got = extract(html(NAVER), NAVER_URL, default_currency="KRW", site_currency_first=True)
    assert price_of(got) == (Decimal("119000"), "KRW", "sale", None)
    assert (got.profile, got.seller_name, got.sku) == ("naver_smartstore", "루미엘 공식스토어", "10362987654")
    assert got.title == "루미엘 무선 핸디 청소기 V12 화이트"
    # the price before the immediate discount is the struck one; an option's 5,000 surcharge and the review
    # points are no price
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("119000"), "sale"), (Decimal("149000"), "list")}


def test_naver_price_outside_benefits_view_is_read() -> None:
    body = replaced(html(NAVER), '"benefitsView":{"discountedSalePrice":119000,', '"benefitsView":{')
    got = extract(body, NAVER_URL, default_currency="KRW", site_currency_first=True)
    assert price_of(got) == (Decimal("119000"), "KRW", "sale", None)


def test_naver_out_of_stock_status_or_no_stock_is_sold_out() -> None:
    body = replaced(html(NAVER), '"productStatusType":"SALE"', '"productStatusType":"OUTOFSTOCK"')
    sold_out(extract(body, NAVER_URL, default_currency="KRW", site_currency_first=True), "naver_smartstore")
    body = replaced(html(NAVER), '"stockQuantity":87,', '"stockQuantity":0,')
    sold_out(extract(body, NAVER_URL, default_currency="KRW", site_currency_first=True), "naver_smartstore")


def test_naver_like_state_of_another_site_is_left_alone() -> None:
    body = replaced(html(NAVER), '"product":{"A":', '"goods":{"A":')
    got = extract(body, NAVER_URL, default_currency="KRW", site_currency_first=True)
    assert got.profile is None and got.price is None


# -- Yahoo!ショッピング: __NEXT_DATA__ ---------------------------------------------------------------------------

YAHOO = "yahoo_shopping/item_next_data_jsonld.html"
YAHOO_URL = "https://store.shopping.yahoo.co.jp/lumiel-store/lmv12-wh.html"


def _yahoo_state_only() -> str:
    """The page as served without JSON-LD and price tags (the state alone)."""
    body = html(YAHOO)
    start = body.index('<script type="application/ld+json">')
    body = body[:start] + body[body.index("</script>", start) + len("</script>") :]
    for tag in ("amount", "currency"):
        start = body.index(f'<meta property="product:price:{tag}"')
        body = body[:start] + body[body.index(">", start) + 2 :]
    return body


def test_yahoo_jsonld_gives_the_price_with_tax_in_yen() -> None:
    got = extract(html(YAHOO), YAHOO_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("12980"), "JPY", "sale", None)
    assert (got.sku, got.gtin, got.seller_name) == ("lmv12-wh", "4573102987651", "ルミエル公式ストア")
    # not the price before tax (11,800) nor the regular price
    assert amounts(got) == {Decimal("12980")}


def test_yahoo_state_alone_gives_the_price_with_tax_not_before_tax() -> None:
    got = extract(_yahoo_state_only(), YAHOO_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("12980"), "JPY", "sale", None)
    assert (got.profile, got.sku, got.gtin) == ("yahoo_shopping", "lmv12-wh", "4573102987651")
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("12980"), "sale"), (Decimal("16500"), "list")}


def test_yahoo_state_alone_unavailable_is_sold_out() -> None:
    body = replaced(_yahoo_state_only(), '"stock":{"isAvailable":true}', '"stock":{"isAvailable":false}')
    sold_out(extract(body, YAHOO_URL, site_currency_first=True), "yahoo_shopping")


def test_yahoo_every_sku_unavailable_is_sold_out() -> None:
    skus = (
        '"individualItemList":[{"skuId":"lmv12-wh-a","optionList":[{"name":"カラー","choiceName":"ホワイト"}],'
        '"price":null,"stock":{"isAvailable":false}},{"skuId":"lmv12-wh-b","optionList":[{"name":"カラー",'
        '"choiceName":"グレー"}],"price":{"applicablePrice":13980,"immediatePrice":13480},"stock":{"isAvailable":false}}]'
    )
    body = replaced(_yahoo_state_only(), '"individualItemList":[]', skus)
    sold_out(extract(body, YAHOO_URL, site_currency_first=True), "yahoo_shopping")
    got = extract(body.replace('"isAvailable":false}}]', '"isAvailable":true}}]'), YAHOO_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("12980"), "JPY", "sale", None)


# -- Rakuten Ichiba: the shop's own layout -------------------------------------------------------------------

RAKUTEN = "rakuten/item_legacy_price2.html"
RAKUTEN_URL = "https://item.rakuten.co.jp/lumiel-r/lmv12-wh/"


def _rakuten_in_euc_jp(text: str) -> bytes:
    """The page as Rakuten serves it: in EUC-JP, declared so."""
    return replaced(text, "charset=UTF-8", "charset=EUC-JP").encode("euc-jp")


def test_rakuten_price2_in_yen_with_the_shop_not_the_points_coupon_or_regular_price() -> None:
    for body in (page(RAKUTEN), _rakuten_in_euc_jp(html(RAKUTEN))):
        got = extract(body, RAKUTEN_URL, site_currency_first=True)
        assert price_of(got) == (Decimal("12980"), "JPY", "sale", None)
        assert (got.profile, got.seller_name, got.sku) == ("rakuten", "ルミエル楽天市場店", "lmv12-wh")
        assert got.title == "ルミエル コードレス ハンディクリーナー V12 ホワイト"
        # not the regular 16,500円, the 129 points nor the coupon's 10,384円
        assert amounts(got) == {Decimal("12980")}


def test_rakuten_sold_out_in_place_of_the_cart_button_is_sold_out() -> None:
    body = replaced(
        html(RAKUTEN),
        '個数 <input type="text" name="units" value="1" size="3">\n'
        '<input type="submit" value="買い物かごに入れる" name="cartinsert">',
        '<font color="#ff0000"><b>売り切れました</b></font>',
    )
    sold_out(extract(_rakuten_in_euc_jp(body), RAKUTEN_URL, site_currency_first=True), "rakuten")
    # a page that drops its cart form for the message is left to the text reader, which reads it sold out as well
    start, end = body.index("<form"), body.index("</form>") + len("</form>")
    body = body[:start] + '<font color="#ff0000"><b>売り切れました</b></font>' + body[end:]
    got = extract(_rakuten_in_euc_jp(body), RAKUTEN_URL, site_currency_first=True)
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)


# -- Amazon.co.jp: yen --------------------------------------------------------------------------------------

AMAZON = "amazon/detail_apex_sold_by_amazon.html"


def _amazon_in_yen() -> str:
    body = html(AMAZON)
    for old, new in (
        ('"priceAmount":89.99,"currencySymbol":"$"', '"priceAmount":3980,"currencySymbol":"￥"'),
        (
            '<span class="a-offscreen">$89.99</span><span aria-hidden="true"><span class="a-price-symbol">$</span>'
            '<span class="a-price-whole">89<span class="a-price-decimal">.</span></span>'
            '<span class="a-price-fraction">99</span></span>',
            '<span class="a-offscreen">￥3,980</span><span aria-hidden="true"><span class="a-price-symbol">￥</span>'
            '<span class="a-price-whole">3,980</span></span>',
        ),
        ("$89.99 with 25 percent savings", "￥3,980 with 27 percent savings"),
        ("$80.99", "￥3,781"),
        ("$119.99", "￥5,480"),
        ("Save $10.00 with coupon", "￥500 OFF クーポン"),
        ("$79.99", "￥3,480"),
        ("$149.95", "￥6,980"),
        ("$24.99", "￥1,280"),
        ("$59.00", "￥2,480"),
    ):
        body = replaced(body, old, new)
    return body


def test_amazon_co_jp_price_is_yen_not_yuan() -> None:
    for url in ("https://www.amazon.co.jp/dp/B0RDGSMT02", "https://www.amazon.co.jp/-/en/dp/B0RDGSMT02"):
        got = extract(_amazon_in_yen(), url, site_currency_first=True)
        assert price_of(got) == (Decimal("3980"), "JPY", "sale", None)
        assert got.sku == "B0RDGSMT02"
        assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("3980"), "sale"), (Decimal("5480"), "list")}


# -- Tokopedia: data-testid ---------------------------------------------------------------------------------

TOKOPEDIA = "tokopedia/pdp_testid_price.html"
TOKOPEDIA_URL = "https://www.tokopedia.com/lumiel-official/lumiel-vacuum-cleaner-cordless-v12-putih"


def test_tokopedia_price_in_rupiah_with_the_shop_not_the_struck_price_shipping_or_a_recommendation() -> None:
    got = extract(html(TOKOPEDIA), TOKOPEDIA_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("1249000"), "IDR", "sale", None)
    assert (got.profile, got.seller_name) == ("tokopedia", "Lumiel Official Store")
    assert got.title == "Lumiel Vacuum Cleaner Cordless V12 Putih"
    # the struck Rp1.499.000 is the list price; the shipping's Rp9.000 and the recommendation's Rp89.000 are no price
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("1249000"), "sale"), (Decimal("1499000"), "list")}


def test_tokopedia_price_written_without_a_space_after_rp_reads_the_same() -> None:
    got = extract(html(TOKOPEDIA).replace("Rp ", "Rp"), TOKOPEDIA_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("1249000"), "IDR", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("1249000"), "sale"), (Decimal("1499000"), "list")}


def test_tokopedia_stock_of_nought_is_sold_out() -> None:
    body = replaced(html(TOKOPEDIA), "Stok: <b>42</b>", "Stok: <b>0</b>")
    sold_out(extract(body, TOKOPEDIA_URL, site_currency_first=True), "tokopedia")


# -- Flipkart: the price box ---------------------------------------------------------------------------------

FLIPKART = "flipkart/pdp_30jeq3_price.html"
FLIPKART_URL = (
    "https://www.flipkart.com/lumiel-v12-cordless-handheld-vacuum-cleaner/p/itm3f5c2a9e1b7d4?pid=VCLGZ3HYKQ8TXWRN"
)


def test_flipkart_special_price_in_rupees_not_the_mrp_emi_or_bank_offer() -> None:
    got = extract(html(FLIPKART), FLIPKART_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("8499"), "INR", "sale", None)
    assert got.title == "Lumiel V12 Cordless Handheld Vacuum Cleaner (White)"
    # not the struck ₹11,999, the ₹1,417/month EMI, the bank offer's ₹1,250 / ₹5,000 nor the filter's ₹599
    assert amounts(got) == {Decimal("8499")}


# -- Shopify stores in yen and won ----------------------------------------------------------------------------

SHOPIFY = "shopify/dawn_on_sale_no_jsonld.html"


def _shopify_in(code: str, sign: str) -> str:
    """The Dawn page of a store selling in `code`: Shopify keeps prices in hundredths whatever the currency
    (¥3,980 is `"price":398000` in the analytics state), and writes the price tag without decimals."""
    body = html(SHOPIFY)
    for old, new in (
        ('content="59.00"', 'content="3,980"'),
        ('content="GBP"', f'content="{code}"'),
        ('"active":"GBP"', f'"active":"{code}"'),
        ('"price":5900', '"price":398000'),
        ('"compare_at_price":7900', '"compare_at_price":498000'),
        ("£59.00 GBP", f"{sign}3,980 {code}"),
        ("£79.00 GBP", f"{sign}4,980 {code}"),
        ("£24.00 GBP", f"{sign}1,500 {code}"),
        ("Free UK delivery over £50", f"{sign}5,000以上で送料無料"),
    ):
        body = replaced(body, old, new)
    return body


def test_shopify_store_in_yen_or_won_reads_the_whole_amount() -> None:
    for code, sign, url in (
        ("JPY", "¥", "https://lumiel-jp.myshopify.com/products/v12-cordless"),
        ("JPY", "¥", "https://www.lumiel.jp/products/v12-cordless"),
        ("KRW", "₩", "https://www.lumiel.co.kr/products/v12-cordless"),
    ):
        got = extract(_shopify_in(code, sign), url, site_currency_first=True)
        # "3,980" is three thousand nine hundred and eighty, not 3.98; the state's 398000 is in hundredths
        assert price_of(got) == (Decimal("3980"), code, "sale", None)


# -- Lazada: SKUs without a price, JSON-LD stating the stock ---------------------------------------------------

LAZADA = "lazada/pdp_jsonld_stock_tracking_price.html"
LAZADA_URL = (
    "https://www.lazada.com.my/products/lumiel-v12-cordless-handheld-vacuum-cleaner-i4123456789-s21987654321.html"
)


def test_lazada_skus_without_a_price_give_the_tracking_price_of_the_shown_sku() -> None:
    got = extract(html(LAZADA), LAZADA_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("1299.00"), "MYR", "sale", None)
    assert (got.profile, got.seller_name, got.sku) == ("lazada", "Lumiel Official Store", "4123456789")
    # not the recommendation's RM29.90
    assert amounts(got) == {Decimal("1299.00")}


def test_lazada_tracking_price_of_another_sku_is_not_the_shown_skus() -> None:
    body = replaced(
        html(LAZADA),
        '"primaryKey":{"itemId":"4123456789","skuId":"21987654321"}',
        '"primaryKey":{"itemId":"4123456789","skuId":"21987654322"}',
    )
    got = extract(body, LAZADA_URL.replace("s21987654321", "s21987654322"), site_currency_first=True)
    assert (got.status, got.price, got.profile) == (ExtractionStatus.NO_PRICE, None, "lazada")


def test_lazada_jsonld_out_of_stock_without_a_price_is_sold_out() -> None:
    body = replaced(
        html(LAZADA), '"availability":"https://schema.org/InStock"', '"availability":"https://schema.org/OutOfStock"'
    )
    got = extract(body, LAZADA_URL, site_currency_first=True)
    # JSON-LD states the stock and no price; the tracking data's price is no offer anyone can take
    assert (got.status, got.reason, got.price) == (ExtractionStatus.NO_PRICE, "sold_out", None)
    assert got.title == "Lumiel V12 Cordless Handheld Vacuum Cleaner"


def test_yahoo_item_in_the_dehydrated_queries_is_read() -> None:
    # some stores' pages keep the item in react-query's dehydrated state instead of `pageProps.item`
    body = _yahoo_state_only()
    start = body.index('"item":{"name"')
    end = body.index(',"seller":{', start)
    item = body[start + len('"item":') : end]
    body = (
        body[:start]
        + '"dehydratedState":{"queries":[{"state":{"data":{"itemData":{"item":'
        + item
        + "}}}}]}"
        + body[end:]
    )
    got = extract(body, YAHOO_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("12980"), "JPY", "sale", None)
    assert (got.profile, got.sku) == ("yahoo_shopping", "lmv12-wh")


# -- Myntra: window.__myx ------------------------------------------------------------------------------------

MYNTRA = "myntra/pdp_myx_state.html"
MYNTRA_URL = "https://www.myntra.com/jackets/lumiel/lumiel-women-quilted-puffer-jacket/30581234/buy"


def test_myntra_state_gives_the_discounted_price_not_the_mrp() -> None:
    # the state names no currency: the site prices in rupees
    got = extract(html(MYNTRA), MYNTRA_URL, default_currency="INR", site_currency_first=True)
    assert price_of(got) == (Decimal("2249"), "INR", "sale", None)
    assert (got.profile, got.sku, got.title) == ("myntra", "30581234", "Lumiel Women Quilted Puffer Jacket")
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("2249"), "sale"), (Decimal("4999"), "list")}


def test_myntra_every_size_unavailable_is_sold_out() -> None:
    body = html(MYNTRA).replace('"available":true', '"available":false')
    sold_out(extract(body, MYNTRA_URL, default_currency="INR", site_currency_first=True), "myntra")
