"""Shapes seen on store pages abroad (2023–2025 markup), ninth round.

Amazon detail pages carry the buy box's offers as hidden JSON (`.twister-plus-buying-options-price-data`, in
`#twisterPlusWWDesktop`): when the visible price block is empty (drawn later by script), the new offer's
price is read from it; a used offer's row there is never the price. WooCommerce's block themes print the single
product's price in the Product Price block (`.wp-block-woocommerce-product-price`), with no `p.price` and, when the
template has no Product Summary block, no JSON-LD: the block is the product's price box, the related products' copies
of the block are not.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import html, price_of, replaced, sold_out

from crawlers.extraction import ExtractionStatus, extract

# -- Amazon: the buying options' hidden price data -----------------------------------------------------------

TWISTER = "https://www.amazon.es/Cuaderno-campo-Ridgeline-Edicion-especial/dp/8441500001"
TWISTER_PAGE = "amazon/detail_twister_price_data_only.html"
NEW_ROW = '"locale":"es-ES","buyingOptionType":"NEW"'


def test_amazon_twister_price_data_gives_the_new_offers_price_when_the_price_block_is_empty() -> None:
    got = extract(html(TWISTER_PAGE), TWISTER)
    # not the related book's 24,90 EUR in the carousel: the buy box's new offer, 37,95 EUR
    assert price_of(got) == (Decimal("37.95"), "EUR", "sale", None)
    assert (got.profile, got.seller_name, got.sku) == ("amazon-product", "Amazon.es", "8441500001")
    assert [c.raw for c in got.candidates] == ["37,95 €"]


def test_amazon_twister_price_data_with_a_code_and_a_no_break_space() -> None:
    # amazon.sa writes "SAR\xa05,299.00" with `"priceAmount":5299.00`
    body = replaced(
        html(TWISTER_PAGE),
        '"displayPrice":"37,95 €","priceAmount":37.95',
        '"displayPrice":"SAR\u00a05,299.00","priceAmount":5299.00',
    )
    got = extract(body, "https://www.amazon.sa/dp/8441500001")
    assert price_of(got) == (Decimal("5299.00"), "SAR", "sale", None)


def test_amazon_twister_price_data_with_only_a_used_row_is_no_price() -> None:
    got = extract(replaced(html(TWISTER_PAGE), NEW_ROW, NEW_ROW.replace("NEW", "USED")), TWISTER)
    assert (got.status, got.profile, got.price) == (ExtractionStatus.NO_PRICE, "amazon-product", None)


def test_amazon_twister_price_data_used_row_first_reads_the_new_row() -> None:
    used = (
        '{"displayPrice":"21,40 €","priceAmount":21.40,"currencySymbol":"€","locale":"es-ES",'
        '"buyingOptionType":"USED","aapiBuyingOptionIndex":1},'
    )
    body = replaced(html(TWISTER_PAGE), '{"desktop_buybox_group_1":[', '{"desktop_buybox_group_1":[' + used)
    assert price_of(extract(body, TWISTER)) == (Decimal("37.95"), "EUR", "sale", None)


def test_amazon_twister_price_data_in_the_older_bare_list_with_a_pickup_row() -> None:
    body = replaced(html(TWISTER_PAGE), '{"desktop_buybox_group_1":[', "[")
    body = replaced(
        body,
        '"aapiBuyingOptionIndex":0}]}',
        '"aapiBuyingOptionIndex":0},{"displayPrice":"35,00 €",'
        '"priceAmount":35.00,"offerListingId":null,"locale":"es-ES","buyingOptionType":"PICKUP"}]',
    )
    assert price_of(extract(body, TWISTER)) == (Decimal("37.95"), "EUR", "sale", None)


def test_amazon_twister_price_data_whose_amounts_disagree_is_not_read() -> None:
    body = replaced(html(TWISTER_PAGE), '"priceAmount":37.95', '"priceAmount":3.79')
    assert extract(body, TWISTER).status is ExtractionStatus.NO_PRICE


def test_amazon_visible_price_block_stands_over_the_twister_price_data() -> None:
    block = (
        '<div id="corePrice_feature_div" class="celwidget" data-feature-name="corePrice" data-csa-c-asin="8441500001">'
    )
    visible = (
        '<div class="a-section a-spacing-micro"><span class="a-price aok-align-center" data-a-size="l">'
        '<span class="a-offscreen">36,05 €</span></span></div>'
    )
    body = replaced(html(TWISTER_PAGE), block + "</div>", block + visible + "</div>")
    assert price_of(extract(body, TWISTER)) == (Decimal("36.05"), "EUR", "sale", None)


def test_amazon_twister_price_data_is_not_read_when_the_price_shows_only_in_the_cart() -> None:
    cart = (
        '<span class="a-size-small" data-a-popover=\'{"name":"map_help_pop_8441500001"}\'>Ver precio en la cesta</span>'
    )
    body = replaced(html(TWISTER_PAGE), '<div id="availability"', cart + '<div id="availability"')
    got = extract(body, TWISTER)
    assert (got.status, got.reason) == (ExtractionStatus.NO_PRICE, "price_in_cart")


def test_amazon_twister_price_data_is_not_read_beside_a_buy_box_without_a_featured_offer() -> None:
    see_all = (
        '<span class="a-button a-button-primary" id="buybox-see-all-buying-choices"><span class="a-button-inner">'
        '<a href="/gp/offer-listing/8441500001" class="a-button-text">Ver todas las opciones de compra</a>'
        "</span></span>"
    )
    body = replaced(html(TWISTER_PAGE), '<div id="availability"', see_all + '<div id="availability"')
    assert extract(body, TWISTER).status is ExtractionStatus.NO_PRICE


# -- WooCommerce block theme: the Product Price block ---------------------------------------------------------

WOO_BLOCKS = "https://fernhollowhome.example/product/hearthside-wool-throw-blanket/"
WOO_BLOCKS_PAGE = "woocommerce/block_theme_single_product_no_jsonld.html"


def test_woocommerce_block_theme_price_block_is_the_products_price_box() -> None:
    got = extract(html(WOO_BLOCKS_PAGE), WOO_BLOCKS)
    # not the struck £89.00 nor a related product's £24.00 / £96.00: the sale price in the product's own block
    assert price_of(got) == (Decimal("71.20"), "GBP", "sale", None)
    assert {c.kind: c.amount for c in got.candidates} == {"sale": Decimal("71.20"), "list": Decimal("89.00")}
    assert (got.profile, got.sku, got.seller_name) == ("woocommerce", "FH-HWT-OAT", "Fernhollow Home")
    assert got.title == "Hearthside Wool Throw Blanket"


def test_woocommerce_block_theme_price_block_without_its_template_attribute() -> None:
    # later WooCommerce releases print the block's wrapper without `data-is-descendent-of-…` attributes
    body = replaced(html(WOO_BLOCKS_PAGE), 'data-is-descendent-of-single-product-template="true" ', "")
    body = body.replace('data-is-descendent-of-query-loop="true" ', "")
    got = extract(body, WOO_BLOCKS)
    assert price_of(got) == (Decimal("71.20"), "GBP", "sale", None)
    assert got.profile == "woocommerce"


OWN_BLOCK = '<div data-block-name="woocommerce/product-price" data-is-descendent-of-single-product-template="true"'
PRICE_HTML = '<div class="wc-block-components-product-price wc-block-grid__product-price" >'


def woo_blocks_price_html() -> str:
    """The price HTML inside the product's own Product Price block."""
    own = html(WOO_BLOCKS_PAGE).split(OWN_BLOCK, 1)[1]
    return own.split(PRICE_HTML, 1)[1].split("</div></div>", 1)[0]


def test_woocommerce_block_theme_variable_product_range_in_the_price_block() -> None:
    amount = (
        '<span class="woocommerce-Price-amount amount" aria-hidden="true"><bdi>'
        '<span class="woocommerce-Price-currencySymbol">&pound;</span>{}</bdi></span>'
    )
    ranged = (
        amount.format("64.00")
        + ' <span aria-hidden="true">&ndash;</span> '
        + amount.format("89.00")
        + '<span class="screen-reader-text">Price range: &pound;64.00 through &pound;89.00</span>'
    )
    got = extract(replaced(html(WOO_BLOCKS_PAGE), woo_blocks_price_html(), ranged), WOO_BLOCKS)
    assert price_of(got) == (Decimal("64.00"), "GBP", "range", Decimal("89.00"))


def test_woocommerce_block_theme_sold_out_product() -> None:
    out = '<p class="stock out-of-stock">Out of stock</p>'
    body = replaced(html(WOO_BLOCKS_PAGE), '<p class="stock in-stock">7 in stock</p>', out)
    sold_out(extract(body, WOO_BLOCKS), "woocommerce")


def test_woocommerce_block_theme_page_without_its_price_block_reads_no_related_products_price() -> None:
    own = OWN_BLOCK + html(WOO_BLOCKS_PAGE).split(OWN_BLOCK, 1)[1].split("</div></div>", 1)[0] + "</div></div>"
    got = extract(replaced(html(WOO_BLOCKS_PAGE), own, ""), WOO_BLOCKS)
    assert got.price is None or got.price.amount not in {Decimal("24.00"), Decimal("96.00"), Decimal("120.00")}
