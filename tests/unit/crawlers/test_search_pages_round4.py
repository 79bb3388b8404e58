"""Search pages of the store software resellers run on besides Shopify, WooCommerce and Magento (PrestaShop,
Shopware 6, OpenCart, BigCommerce's Cornerstone), Mercado Libre's result cards, and the search states of Walmart
and AliExpress.

The saved pages in tests/fixtures/pages/search/ keep the structure of real pages (class names, data
attributes, the order of the price parts), cut to a few results, with invented products, stores, sellers,
prices and ids.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from saved_pages import result_row as _row
from saved_pages import search_page as _page

from crawlers import discovery
from crawlers.discovery import SEARCH_SHAPES, read_search_page, search_shapes


def _text(name: str) -> str:
    return _page(name).decode("utf-8")


def _swap(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


# -- PrestaShop (classic theme) ------------------------------------------------------------------------------

PS_URL = "https://www.refuge-montagne.example/recherche?controller=search&s=shanyu"
PS_STORE = "refuge-montagne.example"  # the page names no site: the store is its host


def test_prestashop_miniatures_give_product_pages_the_shown_titles_and_the_price_after_discount() -> None:
    found, nxt = read_search_page(_page("prestashop_classic_search.html"), PS_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # the combination in the fragment is dropped (the path names it); the struck regular price
        # and the discount are no price; the title is cut to 30 characters as the page shows it
        (
            "https://www.refuge-montagne.example/vestes/21-87-veste-impermeable-shanyu-ridge.html",
            "Veste imperméable Shanyu...",
            PS_STORE,
            Decimal("127.92"),
        ),
        # a relative link; a French price with a narrow no-break space between thousands
        (
            "https://www.refuge-montagne.example/chaussures/34-chaussures-randonnee-shanyu-trail.html",
            "Chaussures randonnée Shan...",
            PS_STORE,
            Decimal("1099.00"),
        ),
        # no price block (a price the store hides): no price
        ("https://www.refuge-montagne.example/accessoires/40-gourde-shanyu.html", "Gourde Shanyu", PS_STORE, None),
        # the "Popular products" block below the list draws the same miniature and is no result
    ]
    assert nxt == "https://www.refuge-montagne.example/recherche?controller=search&page=2&s=shanyu"


def test_prestashop_last_page_has_a_disabled_next_link() -> None:
    page = _swap(
        _text("prestashop_classic_search.html"),
        'rel="next" href="https://www.refuge-montagne.example/recherche?controller=search&amp;page=2&amp;s=shanyu" '
        'class="next js-search-link"',
        'rel="next" href="https://www.refuge-montagne.example/recherche?controller=search&amp;page=2&amp;s=shanyu" '
        'class="next disabled js-search-link"',
    )
    found, nxt = read_search_page(page, PS_URL + "&page=2", search_shapes("website"))
    assert len(found) == 3 and nxt is None


def test_prestashop_without_friendly_urls_keeps_the_product_id() -> None:
    page = _swap(
        _text("prestashop_classic_search.html"),
        'href="https://www.refuge-montagne.example/accessoires/40-gourde-shanyu.html" content',
        'href="https://www.refuge-montagne.example/index.php?id_product=40&amp;rewrite=gourde-shanyu'
        '&amp;controller=product&amp;search_query=shanyu&amp;results=14" content',
    )
    found, _ = read_search_page(page, PS_URL, search_shapes("website"))
    assert found[2].url == "https://www.refuge-montagne.example/index.php?id_product=40&controller=product"


# -- Shopware 6 (Storefront) -----------------------------------------------------------------------------------

SW_URL = "https://www.alpenhaus-outdoor.example/search?search=shanyu"
SW_STORE = "Alpenhaus Outdoor"  # og:site_name


def test_shopware_boxes_give_the_price_of_the_linked_product() -> None:
    found, nxt = read_search_page(_page("shopware6_search.html"), SW_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # the list price inside the price and the lowest price of the last 30 days after it are no price
        (
            "https://www.alpenhaus-outdoor.example/Shanyu-Ridge-Waterproof-Jacket/SY10001.2",
            "Shanyu Ridge Waterproof Jacket",
            SW_STORE,
            Decimal("129.95"),
        ),
        # "From €89.95*": graduated prices, a "from" price; a relative link
        (
            "https://www.alpenhaus-outdoor.example/Shanyu-Trail-Hiking-Boot/SY10002",
            "Shanyu Trail Hiking Boot",
            SW_STORE,
            None,
        ),
        # "Variants from €59.95*" prices another variant: the card's variant costs €69.95
        (
            "https://www.alpenhaus-outdoor.example/Shanyu-Fleece-Midlayer/SY10003.1",
            "Shanyu Fleece Midlayer",
            SW_STORE,
            Decimal("69.95"),
        ),
        # the price per kilogram above the price is no price
        (
            "https://www.alpenhaus-outdoor.example/Shanyu-Camp-Fuel-Canister-450-g/SY10004",
            "Shanyu Camp Fuel Canister 450 g",
            SW_STORE,
            Decimal("7.95"),
        ),
    ]
    # the pager is radio buttons: the next page is p= plus one
    assert nxt == SW_URL + "&p=2"
    _, third = read_search_page(_page("shopware6_search.html"), nxt, search_shapes("website"))
    assert third == SW_URL + "&p=3"


def test_shopware_last_page_disables_its_next_button() -> None:
    page = _swap(
        _text("shopware6_search.html"), '<li class="page-item page-next">', '<li class="page-item page-next disabled">'
    )
    found, nxt = read_search_page(page, SW_URL + "&p=2", search_shapes("website"))
    assert len(found) == 4 and nxt is None


def test_shopware_cheapest_variant_alone_in_the_line_still_leaves_the_price() -> None:
    # the "Variants from" block is left out of the line's words only where it is: a "From" of the
    # product's own price still reads as a "from" price
    page = _swap(
        _text("shopware6_search.html"),
        '<div class="product-cheapest-price"><div>Variants from<span class="product-cheapest-price-price"> '
        "€59.95*</span></div></div>",
        '<div class="product-cheapest-price"><div>Variants from<span class="product-cheapest-price-price"> '
        "€59.95*</span></div></div> From",
    )
    found, _ = read_search_page(page, SW_URL, search_shapes("website"))
    assert found[2].price is None


# -- OpenCart -------------------------------------------------------------------------------------------------

OC_URL = "https://peakline-gear.example/index.php?route=product/search&language=en-gb&search=shanyu"
OC_STORE = "peakline-gear.example"


def test_opencart_thumbs_give_the_special_or_the_price_not_the_price_before_tax() -> None:
    found, nxt = read_search_page(_page("opencart_search.html"), OC_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # on special: the new price, not the struck one, nor "Ex Tax: $100.00"; the search words are dropped
        # from the link, the route kept as written
        (
            "https://peakline-gear.example/index.php?route=product/product&language=en-gb&product_id=50",
            "Shanyu Ridge Waterproof Jacket",
            OC_STORE,
            Decimal("122.00"),
        ),
        # a search engine friendly link; the price is the text of the price block itself
        (
            "https://peakline-gear.example/en-gb/product/shanyu-trail-hiking-boot",
            "Shanyu Trail Hiking Boot",
            OC_STORE,
            Decimal("1299.99"),
        ),
        # a relative link
        (
            "https://peakline-gear.example/index.php?route=product/product&language=en-gb&product_id=52",
            "Shanyu Insulated Bottle",
            OC_STORE,
            Decimal("24.00"),
        ),
    ]
    # the pager's arrows are icons: the next page is the link to page 2
    assert nxt == OC_URL + "&page=2"
    _, third = read_search_page(_page("opencart_search.html"), OC_URL + "&page=2", search_shapes("website"))
    assert third == OC_URL + "&page=3"
    _, after_last = read_search_page(_page("opencart_search.html"), OC_URL + "&page=3", search_shapes("website"))
    assert after_last is None


def test_opencart_module_thumbs_outside_the_results_are_no_results() -> None:
    module = (
        '<div id="column-right"><h3>Bestsellers</h3><div class="row"><div class="col mb-3">'
        '<div class="product-thumb transition"><div class="image"><a href="index.php?route=product/product'
        '&amp;product_id=7"><img src="x.jpg" alt="Tent"/></a></div><div class="caption"><h4><a href="index.php?'
        'route=product/product&amp;product_id=7">Tent</a></h4><div class="price">$399.00</div></div></div>'
        "</div></div></div>"
    )
    page = _swap(_text("opencart_search.html"), "</body>", module + "</body>")
    found, _ = read_search_page(page, OC_URL, search_shapes("website"))
    assert len(found) == 3 and "Tent" not in {r.title for r in found}


# -- BigCommerce (Cornerstone) --------------------------------------------------------------------------------

BC_URL = "https://summit-supply.example/search.php?search_query=shanyu&section=product"
BC_STORE = "summit-supply.example"


def test_bigcommerce_cards_give_the_sale_price_and_no_price_for_a_range() -> None:
    found, nxt = read_search_page(_page("bigcommerce_cornerstone_search.html"), BC_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # "Was: $159.99" is the price before the sale
        (
            "https://summit-supply.example/shanyu-ridge-waterproof-jacket/",
            "Shanyu Ridge Waterproof Jacket",
            BC_STORE,
            Decimal("129.99"),
        ),
        # variants priced apart: "$89.99 - $109.99", no one price; a relative link
        ("https://summit-supply.example/shanyu-trail-hiking-boot/", "Shanyu Trail Hiking Boot", BC_STORE, None),
        # the MSRP is no price
        (
            "https://summit-supply.example/shanyu-insulated-bottle-750-ml/",
            "Shanyu Insulated Bottle 750 ml",
            BC_STORE,
            Decimal("24.50"),
        ),
    ]
    assert nxt == "https://summit-supply.example/search.php?page=2&section=product&search_query=shanyu"


def test_bigcommerce_store_showing_prices_with_tax_gives_that_price() -> None:
    page = _swap(
        _text("bigcommerce_cornerstone_search.html"),
        '<span data-product-price-without-tax class="price price--withoutTax">$24.50</span>',
        '<span data-product-price-with-tax class="price price--withTax">$26.95</span>'
        '<span data-product-price-without-tax class="price price--withoutTax price-section--minor">$24.50</span>',
    )
    found, _ = read_search_page(page, BC_URL, search_shapes("website"))
    assert found[2].price == Decimal("26.95")


def test_bigcommerce_last_page_has_no_next_item() -> None:
    page = _text("bigcommerce_cornerstone_search.html")
    start = page.index('<li class="pagination-item pagination-item--next">')
    page = page[:start] + page[page.index("</li>", start) + len("</li>") :]
    found, nxt = read_search_page(page, BC_URL + "&page=2", search_shapes("website"))
    assert len(found) == 3 and nxt is None


# -- every store page reads the same under the store platforms ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "url"),
    [
        ("prestashop_classic_search.html", PS_URL),
        ("shopware6_search.html", SW_URL),
        ("opencart_search.html", OC_URL),
        ("bigcommerce_cornerstone_search.html", BC_URL),
    ],
)
def test_other_store_pages_read_the_same_under_shopify_woocommerce_and_website(name: str, url: str) -> None:
    website = read_search_page(_page(name), url, search_shapes("website"))
    assert website[0] and website[1]
    for platform in ("shopify", "woocommerce"):
        assert read_search_page(_page(name), url, search_shapes(platform)) == website


def test_the_other_stores_come_after_magento_and_mercado_libre_before_the_stores() -> None:
    names = [s.name for s in search_shapes("website")]
    assert names[-1] == "taobao_itemlist"
    assert names.index("magento") < names.index("prestashop") < names.index("bigcommerce") < len(names) - 1
    marketplaces = ("mercadolibre", "walmart_next_data", "aliexpress_init_data")
    assert max(names.index(n) for n in marketplaces) < names.index("shopify")
    assert [s.name for s in SEARCH_SHAPES["shopify"]][:3] == ["shopify", "shopify_cards", "woocommerce"]


# -- Mercado Libre / Mercado Livre --------------------------------------------------------------------------

ML_URL = "https://lista.mercadolivre.com.br/shanyu"


def test_mercadolivre_cards_give_items_sellers_and_the_current_price() -> None:
    found, nxt = read_search_page(_page("mercadolivre_poly_cards.html"), ML_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # a catalogue page narrowed to the seller's item (pdp_filters kept, the fragment's tracking
        # dropped); the official store's name without "Por"; "R$ 1.299,90" (the cents in their own element),
        # not the struck "R$ 1.599" nor the instalment "10x R$ 129,99"
        (
            "https://www.mercadolivre.com.br/jaqueta-impermeavel-shanyu-ridge-masculina/p/MLB41234567"
            "?pdp_filters=item_id%3AMLB5123456789",
            "Jaqueta Impermeável Shanyu Ridge Masculina",
            "Shanyu",
            Decimal("1299.90"),
        ),
        # the sponsored card before it links a click redirect: no listing. This is the same item's
        # own card, by a seller the brand does not know
        (
            "https://produto.mercadolivre.com.br/MLB-2874132177-bota-de-trilha-shanyu-trail-impermeavel-_JM",
            "Bota De Trilha Shanyu Trail Impermeável",
            "Aventura Sul",
            Decimal("459"),
        ),
        # a card naming no seller
        (
            "https://produto.mercadolivre.com.br/MLB-3011223344-fleece-shanyu-midlayer-unissex-_JM",
            "Fleece Shanyu Midlayer Unissex",
            None,
            Decimal("54.99"),
        ),
    ]
    assert nxt == "https://lista.mercadolivre.com.br/shanyu_Desde_49_NoIndex_True"


def test_mercadolivre_last_page_has_no_next_button() -> None:
    page = _swap(
        _text("mercadolivre_poly_cards.html"),
        '<li class="andes-pagination__button andes-pagination__button--next">',
        '<li class="andes-pagination__button andes-pagination__button--next andes-pagination__button--disabled">',
    )
    found, nxt = read_search_page(page, ML_URL, search_shapes("website"))
    assert len(found) == 3 and nxt is None


@pytest.mark.parametrize(
    ("href", "url"),
    [
        ("https://articulo.mercadolibre.com.ar/MLA-1402345678-campera-shanyu-_JM", None),
        ("https://www.mercadolibre.com.mx/campera-shanyu/p/MLM2345678#wid=MLM1", None),
        ("https://click1.mercadolibre.com.ar/mclics/clicks/external/MLA/count?a=x", "no listing"),
        ("javascript:void(0)", "no listing"),
        ("https://www.mercadolibre.com.ar/ofertas", "no listing"),
    ],
)
def test_mercadolibre_links_other_than_items_are_no_listings(href: str, url: str | None) -> None:
    page = _swap(
        _text("mercadolivre_poly_cards.html"),
        "https://produto.mercadolivre.com.br/MLB-3011223344-fleece-shanyu-midlayer-unissex-_JM#polycard_client="
        "search-nordic&amp;position=4&amp;search_layout=grid&amp;type=item",
        href,
    )
    found, _ = read_search_page(page, ML_URL, search_shapes("website"))
    if url is None:
        assert found[-1].title == "Fleece Shanyu Midlayer Unissex"
        assert found[-1].url == href.split("#")[0]
    else:
        assert [r.title for r in found] == [
            "Jaqueta Impermeável Shanyu Ridge Masculina",
            "Bota De Trilha Shanyu Trail Impermeável",
        ]


@pytest.mark.parametrize(
    ("seller", "name"),
    [
        ("Vendido por Loja Trekking", "Loja Trekking"),
        ("por Casa Andina", "Casa Andina"),
        ("Porto Aventura", "Porto Aventura"),  # a name that starts with "Por" keeps it
        ("Por", "Por"),
    ],
)
def test_mercadolibre_seller_line_loses_its_preposition(seller: str, name: str | None) -> None:
    page = _swap(
        _text("mercadolivre_poly_cards.html"),
        '<span class="poly-component__seller">Por Aventura Sul</span>\n          <div class="poly-component__price">\n'
        '            <div class="poly-price__current"><span class="andes-money-amount andes-money-amount--cents-'
        'superscript" style="font-size:24px" role="img" aria-label="459 reais" aria-roledescription="Valor"><span '
        'class="andes-money-amount__currency-symbol" aria-hidden="true">R$</span><span class="andes-money-amount__'
        'fraction" aria-hidden="true">459</span></span></div>\n            <span',
        f'<span class="poly-component__seller">{seller}</span>\n          <div class="poly-component__price">\n'
        '            <div class="poly-price__current"><span class="andes-money-amount andes-money-amount--cents-'
        'superscript" style="font-size:24px" role="img" aria-label="459 reais" aria-roledescription="Valor"><span '
        'class="andes-money-amount__currency-symbol" aria-hidden="true">R$</span><span class="andes-money-amount__'
        'fraction" aria-hidden="true">459</span></span></div>\n            <span',
    )
    found, _ = read_search_page(page, ML_URL, search_shapes("website"))
    assert found[1].seller_name == name


def test_a_hostile_seller_line_is_bounded() -> None:
    page = _swap(
        _text("mercadolivre_poly_cards.html"), "Por Aventura Sul</span>\n          <div", "Por " * 20000 + "</span><div"
    )
    found, _ = read_search_page(page, ML_URL, search_shapes("website"))
    seller = found[1].seller_name
    assert seller is not None and len(seller) <= discovery.SELLER_MAX


# -- the shape options these pages need ---------------------------------------------------------------------


def test_kept_query_parameters_keep_their_writing_and_drop_the_rest() -> None:
    shape = replace(discovery.OPENCART_SEARCH, keep_query=("route", "product_id", "q"))
    page = (
        '<div id="product-list"><div class="product-thumb"><h4><a href="/index.php?route=product/product&amp;'
        'search=a%20b&amp;product_id=7&amp;q=%E5%B1%B1+x&amp;utm_source=s#top">T</a></h4></div></div>'
    )
    [found], _ = read_search_page(page, "https://s.example/", shape)
    assert found.url == "https://s.example/index.php?route=product/product&product_id=7&q=%E5%B1%B1+x"


def test_a_long_price_line_skip_is_bounded() -> None:
    skips = "".join(f'<div class="product-cheapest-price">Variants from €{i}.00*</div>' for i in range(2000))
    box = (
        '<div class="cms-listing-row"><div class="product-box"><a class="product-name" href="/p/1" title="P">P</a>'
        f'<div class="product-price-wrapper">{skips}<span class="product-price">€9.00*</span></div></div></div>'
    )
    [found], _ = read_search_page(f"<html><body>{box}</body></html>", "https://s.example/search?search=p")
    assert found.price is None  # the skipped blocks past the first few still say "from"


# -- Walmart (www.walmart.com/search, the Next.js state) ---------------------------------------------------

WM_URL = "https://www.walmart.com/search?q=shanyu"


def test_walmart_state_gives_item_pages_marketplace_sellers_and_the_shown_price() -> None:
    found, nxt = read_search_page(_page("walmart_search_next_data.html"), WM_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # the item page without how it was found; the shown $129.00, not "price": 129 nor the was price
        (
            "https://www.walmart.com/ip/Shanyu-Ridge-Waterproof-Jacket-Men-s-Black/5012345671",
            "Shanyu Ridge Waterproof Jacket, Men's, Black",
            "Walmart.com",
            Decimal("129.00"),
        ),
        # a sponsored item by a marketplace seller, and later its own entry: one result
        (
            "https://www.walmart.com/ip/Shanyu-Trail-Hiking-Boot-Waterproof/5012345672",
            "Shanyu Trail Hiking Boot Waterproof",
            "TrailNest Outfitters",
            Decimal("84.50"),
        ),
        # variants priced apart ("$39.99 - $54.99"): no one price
        (
            "https://www.walmart.com/ip/Shanyu-Fleece-Midlayer-Multiple-Colors/5012345673",
            "Shanyu Fleece Midlayer, Multiple Colors",
            "Peak Deals LLC",
            None,
        ),
        # "price": 7 is cut to whole dollars: the shown $7.48; the price per ounce is no price
        (
            "https://www.walmart.com/ip/Shanyu-Camp-Stove-Fuel-8-oz/5012345674",
            "Shanyu Camp Stove Fuel, 8 oz",
            "Walmart.com",
            Decimal("7.48"),
        ),
    ]
    assert nxt == WM_URL + "&page=2"
    _, third = read_search_page(_page("walmart_search_next_data.html"), nxt, search_shapes("website"))
    assert third == WM_URL + "&page=3"
    _, after_last = read_search_page(
        _page("walmart_search_next_data.html"), WM_URL + "&page=3", search_shapes("website")
    )
    assert after_last is None


def _walmart(items: str, pagination: str = '{"maxPage": 1}') -> str:
    return (
        '<html><body><script id="__NEXT_DATA__" type="application/json">{"props":{"pageProps":{"initialData":'
        f'{{"searchResult":{{"itemStacks":[{{"items":[{items}]}}],"paginationV2":{pagination}}}}}}}}}}}'
        "</script></body></html>"
    )


@pytest.mark.parametrize(
    ("item", "row"),
    [
        # no canonical address: the item page of its id on the host searched
        (
            '{"__typename":"Product","usItemId":"42","name":"A","priceInfo":{"linePrice":"$5.00"}}',
            ("https://www.walmart.com/ip/42", "A", None, Decimal("5.00")),
        ),
        # a canonical address off Walmart is no item page
        (
            '{"__typename":"Product","usItemId":"43","canonicalUrl":"https://evil.example/ip/x/43"}',
            ("https://www.walmart.com/ip/43", None, None, None),
        ),
        # a line price the state writes as a number
        (
            '{"__typename":"Product","usItemId":"44","priceInfo":{"linePrice":12.5}}',
            ("https://www.walmart.com/ip/44", None, None, Decimal("12.5")),
        ),
        (
            '{"__typename":"Product","usItemId":"45","priceInfo":{"linePrice":"-$3.00"}}',
            ("https://www.walmart.com/ip/45", None, None, None),
        ),
        (
            '{"__typename":"Product","usItemId":"46","priceInfo":"$5.00"}',
            ("https://www.walmart.com/ip/46", None, None, None),
        ),
    ],
)
def test_walmart_items_of_the_state(item: str, row: tuple[str, str | None, str | None, Decimal | None]) -> None:
    [found], nxt = read_search_page(_walmart(item), WM_URL, search_shapes("website"))
    assert _row(found) == row and nxt is None


@pytest.mark.parametrize(
    "items",
    [
        '{"__typename":"AdPlaceholder","usItemId":"47"}',  # no product
        '{"__typename":"Product","usItemId":"../48"}',
        '{"__typename":"Product","usItemId":true}',
        '"Product"',
    ],
)
def test_walmart_entries_that_are_no_items_give_no_results(items: str) -> None:
    assert read_search_page(_walmart(items), WM_URL, search_shapes("website")) == ([], None)


def test_walmart_state_is_bounded() -> None:
    items = ",".join(f'{{"__typename":"Product","usItemId":"{i}"}}' for i in range(1, 300))
    stacks = ",".join(f'{{"items":[{items}]}}' for _ in range(30))
    page = _walmart(items).replace(f'"itemStacks":[{{"items":[{items}]}}]', f'"itemStacks":[{stacks}]')
    found, nxt = read_search_page(page, WM_URL, search_shapes("website"))
    assert len(found) == discovery.MAX_RESULTS_PER_PAGE and nxt is None
    strange = _walmart('{"__typename":"Product","usItemId":"1"}', '{"maxPage":"many"}')
    assert read_search_page(strange, WM_URL, search_shapes("website"))[1] is None


def test_mercadolibre_older_result_cards_read_the_same_way() -> None:
    card = (
        '<section class="ui-search-results"><ol class="ui-search-layout"><li class="ui-search-layout__item">'
        '<div class="ui-search-result__wrapper"><div class="andes-card ui-search-result ui-search-result--core">'
        '<a class="ui-search-item__group__element ui-search-link" href="https://articulo.mercadolibre.com.ar/'
        'MLA-1402345678-campera-shanyu-ridge-_JM#position=1&amp;search_layout=stack">'
        '<h2 class="ui-search-item__title">Campera Shanyu Ridge</h2></a>'
        '<p class="ui-search-official-store-label">por Shanyu</p>'
        '<div class="ui-search-price ui-search-price--size-medium"><div class="ui-search-price__second-line">'
        '<span class="andes-money-amount ui-search-price__part andes-money-amount--cents-superscript" role="img">'
        '<span class="andes-money-amount__currency-symbol">$</span>'
        '<span class="andes-money-amount__fraction">89.999</span></span></div></div></div></div></li></ol></section>'
    )
    [found], _ = read_search_page(f"<html><body>{card}</body></html>", "https://listado.mercadolibre.com.ar/shanyu")
    assert _row(found) == (
        "https://articulo.mercadolibre.com.ar/MLA-1402345678-campera-shanyu-ridge-_JM",
        "Campera Shanyu Ridge",
        "Shanyu",
        Decimal("89999"),  # the dot groups thousands: Argentine pesos have no cents here
    )


# -- AliExpress (www.aliexpress.com/w/wholesale-….html, the _init_data_ state) --------------------------------

AE_URL = "https://www.aliexpress.com/w/wholesale-shanyu.html"


def test_aliexpress_state_gives_item_pages_and_the_shown_sale_price() -> None:
    found, nxt = read_search_page(_page("aliexpress_search_init_data.html"), AE_URL, search_shapes("website"))
    assert [_row(r) for r in found] == [
        # the sale price shown, not the struck original price; the cards name no store
        (
            "https://www.aliexpress.com/item/1005006123456781.html",
            "Shanyu Ridge Waterproof Hiking Jacket Men Outdoor Windbreaker",
            None,
            Decimal("45.90"),
        ),
        # an id written as a number; the same item again further down is one result
        (
            "https://www.aliexpress.com/item/1005006123456782.html",
            "Shanyu Trail Hiking Boots Waterproof Non-slip",
            None,
            Decimal("1099.00"),
        ),
        # no formatted price: the sale price's minPrice, in the state's currency unit
        (
            "https://www.aliexpress.com/item/1005006123456783.html",
            "Shanyu Fleece Midlayer Jacket Unisex",
            None,
            Decimal("18.06"),
        ),
    ]
    assert nxt == AE_URL + "?page=2"


def _aliexpress(items: str, info: str = '{"totalResults": 3}') -> str:
    state = '{"data":{"root":{"fields":{"mods":{"itemList":{"content":[' + items + ']}},"pageInfo":' + info + "}}}}"
    return f"<html><body><script>window._dida_config_._init_data_ = {{ data: {state} }};</script></body></html>"


@pytest.mark.parametrize(
    ("info", "url", "nxt"),
    [
        ('{"totalResults": 120, "pageSize": 60}', AE_URL, AE_URL + "?page=2"),
        ('{"totalResults": 120, "pageSize": 60}', AE_URL + "?page=2", None),
        ('{"totalResults": "many"}', AE_URL, None),
        ('{"totalResults": 120, "pageSize": 100000}', AE_URL, None),
        ('{"totalResults": 99999999}', AE_URL + "?page=10000", None),
    ],
)
def test_aliexpress_next_page_follows_the_total(info: str, url: str, nxt: str | None) -> None:
    page = _aliexpress('{"productId":"1","prices":{"salePrice":{"minPrice":2}}}', info)
    assert read_search_page(page, url, search_shapes("website"))[1] == nxt


@pytest.mark.parametrize(
    "items",
    [
        '{"productId":"../1"}',
        '{"productId":true}',
        '{"productId":1.5}',
        '"1005006123456781"',
        '{"productId":"' + "9" * 40 + '"}',
    ],
)
def test_aliexpress_entries_without_an_item_id_give_no_results(items: str) -> None:
    assert read_search_page(_aliexpress(items), AE_URL, search_shapes("website")) == ([], None)


@pytest.mark.parametrize(
    ("sale", "price"),
    [
        ('{"formattedPrice":"US $3.50 - 7.20"}', None),  # a range
        ('{"formattedPrice":"€ 1.234,56"}', Decimal("1234.56")),
        ('{"minPrice":"-3"}', None),
        ('{"minPrice":true}', None),
        ('"US $3.50"', None),
    ],
)
def test_aliexpress_prices_of_the_state(sale: str, price: Decimal | None) -> None:
    page = _aliexpress(f'{{"productId":"1","title":{{"seoTitle":"s"}},"prices":{{"salePrice":{sale}}}}}')
    [found], _ = read_search_page(page, "https://de.aliexpress.com/w/wholesale-x.html", search_shapes("website"))
    assert (found.url, found.title, found.price) == ("https://de.aliexpress.com/item/1.html", "s", price)
