"""Product pages as served by store platforms (Magento 2, PrestaShop 1.7 / 8) and by bol.com and OTTO.

A Magento 2 product page (Luma and the themes built on it) prints the product's price box in
`.product-info-main`: `<div class="price-box price-final_price" data-role="priceBox" data-product-id=...>`, each
amount in a `price-wrapper` that states it twice, as `data-price-amount="49.9"` and as the shop's formatted
price inside (`<span class="price">49,90 €</span>`), `data-price-type` naming it: `finalPrice` the price paid,
`oldPrice` the regular price beside a special price ("Prezzo predefinito" 5,20 € before "Prezzo speciale"
4,94 € on an Italian store; hidden by `no-display` when none runs). Luma marks the final price's container as a
microdata `Offer` (`itemprop="price"` on the wrapper, no `content`, so the formatted text is the value) inside
the `<body itemtype="http://schema.org/Product" itemscope>`, and states no availability there: the stock line
does, `<div class="stock available" title="Availability"><span>In stock</span></div>`, or `stock unavailable`
("Out of stock", "Non Disponibile" on Italian stores, "품절" on Nintendo's Korean store). The configurable
product's `swatch-renderer` `jsonConfig` (`optionPrices` with `oldPrice`/`basePrice`/`finalPrice` per child)
sits beside it. `magento/luma_special_price_eur.html` is cut down from such a page with an invented product.

A PrestaShop 1.7.8 / 8 product page (the classic theme) prints `.product-prices`: the regular price first when
a discount runs (`.product-discount .regular-price`), then `.product-price.has-discount .current-price
.current-price-value` with the amount in `content`. Its head carries the price tags of `product.tpl`,
`product:pretax_price:amount` (before tax) first, then `product:price:amount`, and a `var prestashop = {...}`
state (`currency.iso_code`); `#product-availability` shows an icon classed `product-available`,
`product-last-items` or `product-unavailable` before the shop's own message, and `#product-details` carries
the product's attributes as JSON in `data-product` (`reference`, `ean13`). A Moroccan store's page writes
"1 080,00 MAD" before "410,85 MAD", with accessories priced below (`.product-accessories`).
`prestashop/classic8_discount_pretax_og.html` is cut down from such a page with an invented product.

A bol.com product page writes the buy block's price with no currency sign, the euros and the cents apart:
`<span class="promo-price" data-test="price">22<sup class="promo-price__fraction" data-test="price-fraction">99</sup>
</span>` (its text "22 99", as public bol.com scrapers note), whole euros with a dash (`promo-price__fraction--dash`,
"-"); the struck recommended price is `del.h-nowrap.buy-block__list-price` (`data-test="list-price"`), the
specifications rows `div.specs__row` with `dt.specs__title` "EAN" and `dd.specs__value` in
`section[data-group-name="ProductSpecification"]`, and a product that cannot be bought shows
`[data-test="not-available"]` ("Niet leverbaar"). `bol/pdp_promo_price_fraction.html` is cut down from that shape;
its seller line and the product are invented.

An OTTO product page (`otto.de/p/<name>-<product id>/?variationId=<id>`) prints the shown variation's price block
`.pdp-frame .pdp_price[data-product-id][data-variation-id][data-is-sold-out]`, the price in a tag
`.js_pdp_price__tag[data-price-cents][data-benefit-id="original"]` around `.pdp_price__retail-price span`, with
`.pdp_price__strike-through-price`, `.pdp_price__norm-price`, `oc-tag-v1[variant="sale"]` and
`.pdp_price__vat-and-shipping-link` beside it, and the ordering block `.pdp_ordering[data-variation-id]`, as public
OTTO price checkers read it. `otto/pdp_price_tag_cents.html` is cut down from that shape with an invented product.
"""

from __future__ import annotations

from decimal import Decimal

from saved_pages import amounts, html, price_of, replaced, sold_out

from crawlers.extraction import ExtractionStatus, extract

# -- Magento 2: the price box and the stock line -------------------------------------------------------------

MAGENTO = "magento/luma_special_price_eur.html"
MAGENTO_URL = "https://www.luceverde-shop.example.it/lampada-scrivania-led-aurora-12w.html"


def _without_microdata(text: str) -> str:
    """The page as themes that print no microdata serve it (the price box alone)."""
    for old in (
        ' itemtype="http://schema.org/Product" itemscope="itemscope"',
        ' itemprop="offers" itemscope itemtype="http://schema.org/Offer"',
        ' itemprop="price"',
        '<meta itemprop="priceCurrency" content="EUR" />',
        ' itemprop="name"',
        ' itemprop="sku"',
    ):
        text = replaced(text, old, "")
    return text


def test_magento_special_price_is_read_not_the_regular_price_or_a_related_products() -> None:
    got = extract(html(MAGENTO), MAGENTO_URL, default_currency="USD")
    # the microdata price written as the shop formats it ("49,90 €"), in euros whatever the brand's currency
    assert price_of(got) == (Decimal("49.90"), "EUR", "sale", None)
    assert (got.method, got.title, got.sku) == ("microdata", "Lampada da scrivania LED Aurora 12W", "LV-AUR-12W")
    # not the regular 59,90 €, the related lamp's 6,50 € nor the free-shipping threshold of 49,00 €
    assert amounts(got) == {Decimal("49.90")}


def test_magento_price_written_with_a_thousands_dot_is_read_whole() -> None:
    body = replaced(
        html(MAGENTO),
        'data-price-amount="49.9" data-price-type="finalPrice" class="price-wrapper " itemprop="price">'
        '<span class="price">49,90 €',
        'data-price-amount="1299" data-price-type="finalPrice" class="price-wrapper " itemprop="price">'
        '<span class="price">1.299,00 €',
    )
    assert price_of(extract(body, MAGENTO_URL)) == (Decimal("1299.00"), "EUR", "sale", None)


def test_magento_out_of_stock_line_in_the_stores_language_is_sold_out() -> None:
    body = replaced(
        html(MAGENTO),
        '<div class="stock available" title="Disponibilità"><span>Disponibile</span></div>',
        '<div class="stock unavailable" title="Disponibilità"><span>Non disponibile</span></div>',
    )
    got = extract(body, MAGENTO_URL)
    # microdata states a price and no availability; the stock line says the product cannot be bought
    assert (got.status, got.reason, got.price, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", None, "magento")
    assert got.sku == "LV-AUR-12W"


def test_magento_price_box_without_microdata_gives_the_final_price_and_the_regular_one_as_list() -> None:
    got = extract(_without_microdata(html(MAGENTO)), MAGENTO_URL)
    assert price_of(got) == (Decimal("49.90"), "EUR", "sale", None)
    assert (got.method, got.profile, got.sku) == ("profile", "magento", "LV-AUR-12W")
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("49.90"), "sale"), (Decimal("59.90"), "list")}
    body = replaced(
        _without_microdata(html(MAGENTO)),
        '<div class="stock available" title="Disponibilità"><span>Disponibile</span></div>',
        '<div class="stock unavailable" title="Disponibilità"><span>Non disponibile</span></div>',
    )
    sold_out(extract(body, MAGENTO_URL), "magento")


def test_magento_final_price_under_an_as_low_as_label_is_a_from_price() -> None:
    body = replaced(
        _without_microdata(html(MAGENTO)),
        '<span class="price-label">Prezzo speciale</span>',
        '<span class="price-label">A partire da</span>',
    )
    got = extract(body, MAGENTO_URL)
    assert price_of(got) == (Decimal("49.90"), "EUR", "range", None)


# -- PrestaShop: the price block, the price tags and the availability icon -------------------------------------

PRESTA = "prestashop/classic8_discount_pretax_og.html"
PRESTA_URL = "https://www.atlas-menage.example.ma/soin-cheveux/1874-seche-cheveux-ionique-2200-w.html"


def test_prestashop_price_tag_gives_the_price_with_tax_not_the_pretax_or_regular_price() -> None:
    got = extract(html(PRESTA), PRESTA_URL, default_currency="EUR")
    assert price_of(got) == (Decimal("410.85"), "MAD", "sale", None)
    # the reference and EAN-13 of `#product-details[data-product]`
    assert (got.method, got.sku, got.gtin) == ("opengraph", "SC-ION-2200", "6111245590127")
    assert got.title == "Sèche-cheveux ionique 2200 W"
    # not the pretax 342.375, the regular 1 080,00, the accessory's 199,00 nor the free-delivery 500,00
    assert amounts(got) == {Decimal("410.85")}


def test_prestashop_pretax_tag_alone_is_no_price_the_price_block_is() -> None:
    body = replaced(html(PRESTA), '<meta property="product:price:amount" content="410.85">', "")
    got = extract(body, PRESTA_URL, default_currency="EUR")
    assert price_of(got) == (Decimal("410.85"), "MAD", "sale", None)
    assert Decimal("342.375") not in amounts(got)


def test_prestashop_price_block_without_price_tags_gives_the_current_price_and_the_regular_one_as_list() -> None:
    body = html(PRESTA)
    for tag in ("pretax_price:amount", "pretax_price:currency", "price:amount", "price:currency"):
        start = body.index(f'<meta property="product:{tag}"')
        body = body[:start] + body[body.index(">", start) + 1 :]
    got = extract(body, PRESTA_URL, default_currency="EUR")
    assert price_of(got) == (Decimal("410.85"), "MAD", "sale", None)
    assert (got.profile, got.sku, got.gtin) == ("prestashop", "SC-ION-2200", "6111245590127")
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("410.85"), "sale"), (Decimal("1080.00"), "list")}


def test_prestashop_unavailable_icon_is_sold_out_whatever_the_message_says() -> None:
    body = replaced(
        html(PRESTA),
        '<i class="material-icons rtl-no-flip product-available">&#xE5CA;</i>En stock',
        '<i class="material-icons product-unavailable">&#xE14B;</i>Bientôt de retour',
    )
    got = extract(body, PRESTA_URL, default_currency="EUR")
    assert (got.status, got.reason, got.price, got.profile) == (
        ExtractionStatus.NO_PRICE,
        "sold_out",
        None,
        "prestashop",
    )
    assert got.sku == "SC-ION-2200"


# -- bol.com: euros and cents written apart --------------------------------------------------------------------

BOL = "bol/pdp_promo_price_fraction.html"
BOL_URL = "https://www.bol.com/nl/nl/p/brightline-airfryer-xl-6-liter-zwart/9300000123456789/"
BOL_WHOLE_EUROS = (
    '<span class="promo-price" data-test="price">69\n'
    '<sup class="promo-price__fraction promo-price__fraction--dash" data-test="price-fraction">-</sup>'
)


def test_bol_price_of_euros_and_cents_apart_is_read_whole_in_euros() -> None:
    body = replaced(
        html(BOL),
        BOL_WHOLE_EUROS,
        '<span class="promo-price" data-test="price">69\n'
        '<sup class="promo-price__fraction" data-test="price-fraction">99</sup>',
    )
    got = extract(body, BOL_URL, default_currency="USD", site_currency_first=True)
    # read as text the price block is "69 99" in no currency: not 69.00 in the brand's currency
    assert price_of(got) == (Decimal("69.99"), "EUR", "sale", None)
    assert (got.profile, got.seller_name, got.sku, got.gtin) == (
        "bol",
        "Keukenhuis Online",
        "9300000123456789",
        "8721234567894",
    )
    assert got.title == "Brightline Airfryer XL 6 liter - zwart"
    # the struck recommended price is the list price; the recommendation's 9,- and the free-shipping 25,- are not
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("69.99"), "sale"), (Decimal("89.99"), "list")}


def test_bol_whole_euro_price_with_a_dash() -> None:
    got = extract(html(BOL), BOL_URL, default_currency="USD", site_currency_first=True)
    assert price_of(got) == (Decimal("69.00"), "EUR", "sale", None)
    assert (got.profile, got.seller_name, got.sku) == ("bol", "Keukenhuis Online", "9300000123456789")
    body = replaced(
        html(BOL),
        BOL_WHOLE_EUROS,
        '<span class="promo-price" data-test="price">1.049\n'
        '<sup class="promo-price__fraction promo-price__fraction--dash" data-test="price-fraction">-</sup>',
    )
    body = replaced(body, 'data-test="list-price">89,99</del>', 'data-test="list-price">1.199,-</del>')
    got = extract(body, BOL_URL, site_currency_first=True)
    assert price_of(got) == (Decimal("1049.00"), "EUR", "sale", None)
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("1049.00"), "sale"), (Decimal("1199"), "list")}


def test_bol_product_that_cannot_be_bought_is_sold_out() -> None:
    start = html(BOL).index('<section class="buy-block__prices"')
    end = html(BOL).index("</section>", start) + len("</section>")
    body = html(BOL)[:start] + '<div class="buy-block__title" data-test="not-available">Niet leverbaar</div>'
    body += html(BOL)[end:]
    got = extract(body, BOL_URL)
    sold_out(got, "bol")
    # the recommendation's price below is no price of this product
    assert got.candidates == ()


# -- OTTO: the price tag in cents and the sold-out flag ----------------------------------------------------------

OTTO = "otto/pdp_price_tag_cents.html"
OTTO_URL = (
    "https://www.otto.de/p/brightline-laminat-eiche-natur-7-mm-2-494-m-pro-paket-S0LMN04B/?variationId=S0LMN04B2FX7"
)


def test_otto_price_tag_of_the_variation_shown() -> None:
    got = extract(html(OTTO), OTTO_URL, default_currency="USD", site_currency_first=True)
    assert price_of(got) == (Decimal("69.99"), "EUR", "sale", None)
    assert (got.profile, got.sku) == ("otto", "S0LMN04B2FX7")
    # the recommended price is the list price; the price per m², the recommendation and the threshold are not
    assert {(c.amount, c.kind) for c in got.candidates} == {(Decimal("69.99"), "sale"), (Decimal("89.99"), "list")}
    assert amounts(got).isdisjoint({Decimal("28.06"), Decimal("19.99"), Decimal("29.99")})


def test_otto_variation_flagged_sold_out_is_sold_out_whatever_its_message() -> None:
    body = replaced(html(OTTO), 'data-is-sold-out="false"', 'data-is-sold-out="true"')
    body = replaced(
        body,
        '<div class="pdp_availability"><span class="js_availabilityMessage_Feature pl_copy100--bold">'
        "lieferbar - in 4-6 Werktagen bei dir</span></div>",
        "",
    )
    got = extract(body, OTTO_URL)
    sold_out(got, "otto")
    assert got.sku == "S0LMN04B2FX7"
