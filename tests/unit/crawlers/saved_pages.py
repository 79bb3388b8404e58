"""The saved pages under tests/fixtures/pages/, for the extraction and profile tests."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from crawlers.discovery import SearchResult
from crawlers.extraction import Extraction, ExtractionStatus

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "pages"


def page(name: str) -> bytes:
    """A saved page's bytes, by its path under tests/fixtures/pages/ ("tmall/detail_coupon.html")."""
    return (FIXTURES / name).read_bytes()


def saved_text(name: str) -> tuple[str, str]:
    """A saved page's text and the charset it is saved in (UTF-8 or GB18030)."""
    body = page(name)
    for charset in ("utf-8", "gb18030"):
        try:
            return body.decode(charset), charset
        except UnicodeDecodeError:
            continue
    raise AssertionError(f"{name} is in neither UTF-8 nor GB18030")


def html(name: str) -> str:
    """A saved UTF-8 page as text, to be edited for a variant of its shape."""
    return page(name).decode("utf-8")


def replaced(text: str, old: str, new: str) -> str:
    """`text` with `old` replaced by `new`; fails when `old` is not in it (the saved page changed)."""
    assert old in text
    return text.replace(old, new)


def sold_out(got: Extraction, profile: str) -> None:
    """The page was read by `profile` as sold out: no price."""
    assert (got.status, got.reason, got.profile) == (ExtractionStatus.NO_PRICE, "sold_out", profile)
    assert got.price is None


def amounts(got: Extraction) -> set[Decimal]:
    """Every candidate amount of an extraction, over all its offers."""
    return {c.amount for offer in (got.offers or (got,)) for c in offer.candidates}


def price_of(got: Extraction) -> tuple[Decimal, str, str | None, Decimal | None]:
    """(amount, currency, kind, top of a range) of a page read with a price; fails with the reason when none."""
    assert got.status is ExtractionStatus.OK, got.reason
    assert got.price is not None
    return got.price.amount, got.price.currency, got.price_kind, got.price_high


def search_page(name: str) -> bytes:
    """A saved search result page, by its name under tests/fixtures/pages/search/."""
    return page(f"search/{name}")


def result_row(r: SearchResult) -> tuple[str, str | None, str | None, Decimal | None]:
    """(listing URL, title, seller, price) of one search result."""
    return (r.url, r.title, r.seller_name, r.price)


# The address each saved page is read at (the one a test reads it at) and the options it is read with.
# A page that is not listed is read at a neutral address.
READ_AT: dict[str, tuple[str, dict[str, Any]]] = {
    "1688/offer_classic.html": ("https://detail.1688.com/offer/586311204517.html", {}),
    "1688/offer_init_data.html": ("https://detail.1688.com/offer/675520138842.html", {}),
    "1688/offer_window_context.html": ("https://detail.1688.com/offer/732255018846.html", {}),
    "aliexpress/item_run_params.html": ("https://www.aliexpress.com/item/1005001234567890.html", {}),
    "aliexpress/item_run_params_components.html": ("https://de.aliexpress.com/item/1005006730849854.html", {}),
    "amazon/aod_pinned_and_list.html": (
        "https://www.amazon.com/gp/product/ajax/ref=aod_page_1?asin=B0RDGSMT02&pc=dp&experienceId=aodAjaxMain",
        {"site_currency_first": True},
    ),
    "amazon/detail_accordion_new_used_sns.html": ("https://www.amazon.ca/dp/B0NFBTL1LG", {"site_currency_first": True}),
    "amazon/detail_ae_book_odf_seller.html": ("https://www.amazon.ae/dp/1847900012", {}),
    "amazon/detail_apex_sns_row_centre.html": ("https://www.amazon.com/dp/B0BRTFLD90", {}),
    "amazon/detail_apex_sold_by_amazon.html": (
        "https://www.amazon.com/Ridgeline-Summit-Ultralight-Backpacking-Tent/dp/B0RDGSMT02/ref=sr_1_1",
        {"site_currency_first": True},
    ),
    "amazon/detail_brazil_visible_digits.html": ("https://www.amazon.com.br/dp/B0RDGBR600", {}),
    "amazon/detail_cdn_dollar_priceblock.html": ("https://www.amazon.ca/dp/B07CALEG01", {"site_currency_first": True}),
    "amazon/detail_core_table_tabular_buybox.html": (
        "https://www.amazon.com/dp/B0ALPGLW60",
        {"site_currency_first": True},
    ),
    "amazon/detail_legacy_priceblock.html": (
        "https://www.amazon.com/gp/product/B0TRHMUG45",
        {"site_currency_first": True},
    ),
    "amazon/detail_price_in_cart.html": ("https://www.amazon.com/dp/B0BQ7R8S9T", {"site_currency_first": True}),
    "amazon/detail_prime_member_price.html": ("https://www.amazon.com/dp/B0RDGHLMP3", {"site_currency_first": True}),
    "amazon/detail_twister_price_data_only.html": (
        "https://www.amazon.es/Cuaderno-campo-Ridgeline-Edicion-especial/dp/8441500001",
        {},
    ),
    "amazon/detail_used_only_buybox.html": (
        "https://www.amazon.com/Cedarline-Pour-Over-Coffee-Kettle-Gooseneck/dp/B0CDRKTL10/ref=sr_1_3",
        {"site_currency_first": True},
    ),
    "amazon/detail_variation_range.html": ("https://www.amazon.com/dp/B0RMSOCKPA", {"site_currency_first": True}),
    "amazon/detail_whole_fraction_third_party.html": (
        "https://www.amazon.co.uk/dp/B0CSCD45LS",
        {"site_currency_first": True},
    ),
    "amazon/offer_listing.html": ("https://www.amazon.cn/gp/offer-listing/B0", {}),
    "amazon/product_detail.html": ("https://www.amazon.cn/dp/B0SYJK01RM", {}),
    "bestbuy/site_pricing_price_json.html": (
        "https://www.bestbuy.com/site/hisense-65-class-u8-series-mini-led-qled-4k-uhd-smart-google-tv/6578123.p"
        "?skuId=6578123",
        {},
    ),
    "bol/pdp_promo_price_fraction.html": (
        "https://www.bol.com/nl/nl/p/brightline-airfryer-xl-6-liter-zwart/9300000123456789/",
        {"default_currency": "USD", "site_currency_first": True},
    ),
    "coupang/vp_sale_coupon_vendor.html": (
        "https://www.coupang.com/vp/products/7410238856?itemId=18822047315&vendorItemId=85964482561",
        {"site_currency_first": True},
    ),
    "dangdang/product_gbk.html": ("http://product.dangdang.com/29801234.html", {}),
    "douyin/trade_detail_render_data.html": (
        "https://haohuo.jinritemai.com/ecommerce/trade/detail/index.html?id=3650027718834561190",
        {},
    ),
    "douyin/trade_detail_state.html": (
        "https://haohuo.jinritemai.com/ecommerce/trade/detail/index.html?id=3581190433921837522&origin_type=604",
        {},
    ),
    "ebay/item.html": ("https://www.ebay.com/itm/2850123456", {}),
    "ebay/item_auction_jsonld.html": ("https://www.ebay.com/itm/146600055577", {"site_currency_first": True}),
    "ebay/item_ca_was_price.html": ("https://www.ebay.ca/itm/395512870011", {"site_currency_first": True}),
    "ebay/item_de_variation_range_bis.html": ("https://www.ebay.de/itm/166600077788", {"site_currency_first": True}),
    "ebay/item_ended.html": ("https://www.ebay.com/itm/256598765432", {"site_currency_first": True}),
    "ebay/item_ended_jsonld.html": ("https://www.ebay.com/itm/256598765432", {"site_currency_first": True}),
    "ebay/item_msku_variations.html": ("https://www.ebay.com/itm/256600011122", {}),
    "ebay/item_out_of_stock.html": ("https://www.ebay.com/itm/276600055566", {}),
    "ebay/item_uk_free_postage.html": ("https://www.ebay.co.uk/itm/395500033344", {}),
    "ebay/item_us_jsonld.html": ("https://www.ebay.com/itm/285012345678", {"site_currency_first": True}),
    "ebay/item_variation_range_to.html": ("https://www.ebay.com/itm/256600011122", {"site_currency_first": True}),
    "ebay/product_page_featured_listing.html": ("https://www.ebay.com/p/2207734519", {"site_currency_first": True}),
    "eushop/euro_text.html": ("https://shop.example.com/item/1", {}),
    "eushop/jsonld_net_price.html": ("https://www.laborbedarf-kraus.de/artikel/magnetruehrer-mr-3000", {}),
    "eushop/opencart4_sold_out.html": ("https://www.bergsteiger-laden.example/de/stirnlampe-trail-400", {}),
    "eushop/prestashop17_sold_out_accessories.html": (
        "https://www.alpenkiosk.example/en/headlamps/27-trail-headlamp-400.html",
        {},
    ),
    "eushop/shopware6_block_prices.html": (
        "https://www.bergwerk-outdoor.example/Trekkingstock-Carbon-Pro-2er-Set/TS-CP-2",
        {},
    ),
    "eushop/text_kronor_se.html": (
        "https://www.hemochtradgard.se/produkt/tradgardsstol-ek",
        {"default_currency": "USD", "site_currency_first": True},
    ),
    "flipkart/pdp_30jeq3_price.html": (
        "https://www.flipkart.com/lumiel-v12-cordless-handheld-vacuum-cleaner/p/itm3f5c2a9e1b7d4?pid=VCLGZ3HYKQ8TXWRN",
        {"site_currency_first": True},
    ),
    "jd/item_2025.html": ("https://item.jd.com/100071864522.html", {}),
    "jd/item_as_served_seckill.html": ("https://item.jd.com/100088120455.html", {}),
    "jd/item_current.html": ("https://item.jd.com/100063517262.html", {}),
    "jd/item_price_api.html": ("https://item.jd.com/555610491.html", {}),
    "jd/risk_slider.html": ("https://item.jd.com/100031406046.html", {}),
    "jd/sold_out.html": ("https://shop.example.com/item/1", {}),
    "lazada/pdp_jsonld_stock_tracking_price.html": (
        "https://www.lazada.com.my/products/lumiel-v12-cordless-handheld-vacuum-cleaner-i4123456789-s21987654321.html",
        {"site_currency_first": True},
    ),
    "lazada/pdp_module_data_only.html": (
        "https://www.lazada.sg/products/cordless-handheld-vacuum-12kpa-i2345678901-s12345678901.html",
        {},
    ),
    "magento/luma_special_price_eur.html": (
        "https://www.luceverde-shop.example.it/lampada-scrivania-led-aurora-12w.html",
        {"default_currency": "USD"},
    ),
    "marketplace/pdp_peso.html": (
        "https://www.lazada.com.ph/products/air-fryer-i3456789012-s17654321098.html",
        {"site_currency_first": True},
    ),
    "marketplace/pdp_ringgit_seller_blocks.html": (
        "https://www.lazada.com.my/products/air-fryer-i3456789012-s17654321098.html",
        {"site_currency_first": True},
    ),
    "marketplace/price_box_discount_badge.html": (
        "https://northfork-market.invalid/uae-en/the-quiet-summit-paperback/N23700001A/p/",
        {"default_currency": "AED"},
    ),
    "marketplace/price_drawn_later.html": ("https://product.suning.com/0070067890/12399887766.html", {}),
    "marketplace/shop_block_before_price.html": ("https://product.suning.com/0070067890/12399887766.html", {}),
    "marketplace/size_sold_out_discount_badge.html": (
        "https://detail.vip.com/detail-1710613857-6919159356746165185.html",
        {},
    ),
    "marketplace/text_range_yuan.html": ("https://weidian.com/item.html?itemID=7711223344", {}),
    "marketplace/vendido_por_pesos.html": (
        "https://articulo.mercadolibre.com.ar/MLA-1456789012-pava-electrica-acero-_JM",
        {"site_currency_first": True},
    ),
    "mercadolibre/pdp_andes_price.html": (
        "https://www.mercadolivre.com.br/fritadeira-air-fryer-brightline-6-l-digital-preta-127v/p/MLB23456789",
        {},
    ),
    "myntra/pdp_myx_state.html": (
        "https://www.myntra.com/jackets/lumiel/lumiel-women-quilted-puffer-jacket/30581234/buy",
        {"default_currency": "INR", "site_currency_first": True},
    ),
    "naver/smartstore_preloaded_state.html": (
        "https://smartstore.naver.com/lumiel/products/10362987654",
        {"default_currency": "KRW", "site_currency_first": True},
    ),
    "otto/pdp_price_tag_cents.html": (
        "https://www.otto.de/p/brightline-laminat-eiche-natur-7-mm-2-494-m-pro-paket-S0LMN04B/?variationId=S0LMN04B2FX7",
        {"default_currency": "USD", "site_currency_first": True},
    ),
    "pinduoduo/goods_off_sale.html": ("https://mobile.yangkeduo.com/goods.html?goods_id=402211334455", {}),
    "pinduoduo/goods_on_sale_in_cent.html": ("https://mobile.yangkeduo.com/goods.html?goods_id=167900112233", {}),
    "pinduoduo/goods_rawdata.html": ("https://mobile.yangkeduo.com/goods.html?goods_id=1", {}),
    "pinduoduo/goods_rawdata_yuan.html": ("https://mobile.yangkeduo.com/goods.html?goods_id=523118806612", {}),
    "prestashop/classic8_discount_pretax_og.html": (
        "https://www.atlas-menage.example.ma/soin-cheveux/1874-seche-cheveux-ionique-2200-w.html",
        {"default_currency": "EUR"},
    ),
    "rakuten/item_legacy_price2.html": (
        "https://item.rakuten.co.jp/lumiel-r/lmv12-wh/",
        {"site_currency_first": True},
    ),
    "search/alibaba1688_offer_search.html": ("https://s.1688.com/selloffer/offer_search.htm?keywords=x", {}),
    "search/amazon_2025.html": ("https://www.amazon.com/s?k=x", {}),
    "search/ebay_cards_2025.html": ("https://www.ebay.com/sch/i.html?_nkw=x", {}),
    "search/jd_cards_2025.html": ("https://search.jd.com/Search?keyword=x", {}),
    "search/magento_luma.html": ("https://shop.example.com/catalogsearch/result/?q=x", {}),
    "search/pinduoduo_mobile_search.html": ("https://mobile.yangkeduo.com/search_result.html?search_key=x", {}),
    "search/shopify_dawn.html": ("https://shop.example.com/search?q=x", {}),
    "search/shopify_horizon.html": ("https://shop.example.com/search?q=x", {}),
    "search/vipshop_suggest_rendered.html": ("https://category.vip.com/suggest.php?keyword=x", {}),
    "search/woocommerce_blocks.html": ("https://shop.example.com/?s=x&post_type=product", {}),
    "search/woocommerce_classic.html": ("https://shop.example.com/?s=x&post_type=product", {}),
    "search/youzan_showcase_search.html": ("https://shop.youzan.com/wscshop/showcase/search?keyword=x", {}),
    "shop/aggregate_offer.html": ("https://shop.example.com/item/1", {}),
    "shop/aggregate_offer_one_price.html": (
        "https://maplefield.invalid/es/listing/550000001/felpudo-hola-calabaza",
        {},
    ),
    "shop/bigcommerce_inc_ex_gst.html": ("https://www.southerncross-audio.com.au/studio-monitor-pair-s8/", {}),
    "shop/bigcommerce_min_max_price.html": ("https://www.trailhead-supply.example/summit-gear-rain-jacket/", {}),
    "shop/buy_box_cart_region.html": (
        "https://www.etsy.com/uk/listing/1122334455/linen-table-runner",
        {"site_currency_first": True},
    ),
    "shop/ex_vat_price_first.html": ("https://fixit-trade-co.uk.invalid/p/cordless-combi-drill-18v-2x5ah/74821", {}),
    "shop/from_label_price.html": ("https://altitude-computers-com.invalid/laptops/aero-14", {}),
    "shop/hostile.html": ("https://shop.example.com/item/1", {}),
    "shop/inline_struck_price.html": ("https://www.gipfelwerk.example/produkte/summit-gear-daunenweste-ridge", {}),
    "shop/instalment_and_regular_price.html": (
        "https://brightside-audio-com.invalid/products/bookshelf-speaker-pair",
        {},
    ),
    "shop/jsonld_product.html": ("https://shop.example.com/item/1", {}),
    "shop/login_wall.html": ("https://shop.example.com/item/1", {}),
    "shop/magento_as_low_as.html": ("https://www.trailhead-outfitters.com/trailhead-softshell-jacket.html", {}),
    "shop/magento_bundle_from_to.html": ("https://www.highpass-sports.example/camp-kit.html", {}),
    "shop/microdata_aggregate_pound_sign.html": (
        "https://ridgeline.invalid/new/the-kestrel-long-sleeve-shirt-RLWF60J6GP.html",
        {},
    ),
    "shop/microdata_ean_product_id.html": ("https://ridgeline.invalid/new/the-falcon-checked-shirt.html", {}),
    "shop/microdata_out_of_stock_text.html": ("https://harbourgardens-co.uk.invalid/bench.html", {}),
    "shop/microdata_product.html": ("https://shop.example.com/item/1", {}),
    "shop/net_price_first.html": ("https://buero-technik-schulz-de.invalid/drucker/laserdrucker-lx900", {}),
    "shop/opencart3_special_related.html": (
        "https://www.peakline-store.example/index.php?route=product/product&product_id=52",
        {},
    ),
    "shop/opengraph_only.html": ("https://shop.example.com/item/1", {}),
    "shop/rdfa_product.html": ("https://shop.example.com/item/1", {}),
    "shop/text_dollar_ca.html": (
        "https://www.maple-trail-outfitters.ca/products/merino-base-layer",
        {"default_currency": "USD", "site_currency_first": True},
    ),
    "shop/text_price_range.html": ("https://ridgeline.invalid/products/trail-sock", {}),
    "shop/text_rupees_in.html": (
        "https://www.desi-threads.in/products/handloom-cotton-kurta",
        {"default_currency": "USD", "site_currency_first": True},
    ),
    "shop/text_yen_jp.html": (
        "https://www.zakka-hinata.jp/items/64f0a1b2c3",
        {"default_currency": "USD", "site_currency_first": True},
    ),
    "shop/unit_price_first.html": ("https://greengrocer-online-ie.invalid/product/irish-cheddar-500g", {}),
    "shop/was_now_one_box.html": (
        "https://www.walmart.com/ip/Homestead-10-Piece-Nonstick-Cookware-Set/555123456",
        {"site_currency_first": True},
    ),
    "shop/wix_capitalized_jsonld.html": (
        "https://www.trailheadsupply.example/product-page/summit-gear-usb-headlamp",
        {},
    ),
    "shopify/analytics_meta_variants_no_sku.html": (
        "https://fjellbu-outfitters.invalid/products/summit-gear-down-quilt",
        {},
    ),
    "shopify/dawn_on_sale_no_jsonld.html": ("https://harbourandpine.example/products/summit-gear-grid-fleece", {}),
    "shopify/impulse_variant_offers_no_sku.html": (
        "https://harbourandpine.example/products/summit-gear-down-jacket-ridge",
        {},
    ),
    "shopify/product.html": ("https://summit.example/products/summit-bottle", {}),
    "shopify/product_analytics_meta.html": ("https://northfork-trading.invalid/products/northfork-down-bag", {}),
    "shopify/product_group_first_sold_out.html": ("https://www.kettleandcrumb.co/products/stoneware-mug-set", {}),
    "shopify/product_sold_out_og_price.html": ("https://nordic-lamps-eu.invalid/products/opal", {}),
    "shopify/product_theme_jsonld.html": (
        "https://trailhead-supply.invalid/products/titanium-camp-mug-450",
        {"site_currency_first": True},
    ),
    "suning/product.html": ("https://product.suning.com/0070088095/12411692175.html", {"platform": "website"}),
    "taobao/captcha.html": ("https://item.taobao.com/item.htm?id=1", {}),
    "taobao/classic_item.html": ("https://item.taobao.com/item.htm?id=620117834455", {}),
    "taobao/classic_off_sale.html": ("https://item.taobao.com/item.htm?id=590011223344", {}),
    "taobao/classic_shelf_range.html": ("https://item.taobao.com/item.htm?id=650022310498", {}),
    "taobao/detail_price_module.html": ("https://item.taobao.com/item.htm?id=733190021877", {}),
    "taobao/detail_security_price.html": ("https://item.taobao.com/item.htm?id=760112233445", {}),
    "taobao/error_noitem.html": ("https://error.item.taobao.com/error/noitem?itemid=678598686014", {}),
    "taobao/gbk_listing.html": ("https://item.taobao.com/item.htm?id=1", {}),
    "taobao/login_page_at_item_url.html": ("https://item.taobao.com/item.htm?id=590011223344", {}),
    "target/pdp_tgt_data.html": (
        "https://www.target.com/p/brightline-6qt-digital-air-fryer-with-viewing-window-black/-/A-89381212",
        {},
    ),
    "tmall/classic_shelf_range.html": ("https://detail.tmall.com/item.htm?id=640018822731", {}),
    "tmall/classic_sku_map.html": ("https://detail.tmall.com/item.htm?id=640018822731&skuId=4500012302", {}),
    "tmall/detail_coupon.html": ("https://detail.tmall.com/item.htm?id=812233445566", {}),
    "tmall/detail_gbk.html": ("https://detail.tmall.com/item.htm?id=1", {}),
    "tmall/detail_ice_state.html": ("https://detail.tmall.com/item.htm?id=812233445566", {}),
    "tmall/detail_purchase_panel.html": ("https://detail.tmall.com/item.htm?id=711920345561", {}),
    "tmall/from_price.html": ("https://shop.example.com/item/1", {}),
    "tmall/mobile_detail_state.html": ("https://detail.m.tmall.com/item.htm?id=690011223344", {}),
    "tmall/mobile_mdskip_sku_prices.html": (
        "https://detail.m.tmall.com/item.htm?id=701122334455&skuId=4300112233403",
        {},
    ),
    "tokopedia/pdp_testid_price.html": (
        "https://www.tokopedia.com/lumiel-official/lumiel-vacuum-cleaner-cordless-v12-putih",
        {"site_currency_first": True},
    ),
    "ueeshop/detail_microdata_clp.html": (
        "https://www.voltaro.cl/products/power-bank-magnetico-10000mah-p0318.html",
        {},
    ),
    "vip/detail_special_price.html": ("https://detail.vip.com/detail-1711320456-6920047731856601823.html", {}),
    "walmart/ip_next_data_hero_price.html": (
        "https://www.walmart.com/ip/Brightline-12-Cup-Programmable-Coffee-Maker-Black/5512345678",
        {},
    ),
    "weidian/item_rocker_state.html": ("https://weidian.com/item.html?itemID=7392018845", {}),
    "woocommerce/block_theme_single_product_no_jsonld.html": (
        "https://fernhollowhome.example/product/hearthside-wool-throw-blanket/",
        {},
    ),
    "woocommerce/grouped_jsonld.html": ("https://ridgeline-outdoor.example/product/trekking-starter-set/", {}),
    "woocommerce/product_sale.html": ("https://trailhead.example/product/tee", {}),
    "woocommerce/sale_with_jsonld.html": (
        "https://alpinebasecamp.invalid/product/summit-trekking-poles/",
        {"site_currency_first": True},
    ),
    "woocommerce/variable_no_skus.html": ("https://harbourline.invalid/product/deck-oil/", {}),
    "woocommerce/variable_range.html": (
        "https://ridgeline.invalid/product/cascade-softshell-jacket/",
        {"site_currency_first": True},
    ),
    "yahoo_shopping/item_next_data_jsonld.html": (
        "https://store.shopping.yahoo.co.jp/lumiel-store/lmv12-wh.html",
        {"site_currency_first": True},
    ),
    "yanxuan/item_detail.html": ("https://you.163.com/item/detail?id=1516026", {"platform": "website"}),
    "youzan/goods.html": ("https://shop1.youzan.com/wscgoods/detail/1", {}),
    "youzan/goods_delisted.html": ("https://detail.youzan.com/show/goods?alias=3p1xk2d9mf0qa", {}),
    "youzan/goods_escaped_state.html": ("https://shop40871233.m.youzan.com/wscgoods/detail/2xk7q1m9a0zb3", {}),
    "youzan/goods_global_data.html": ("https://shop44077958.youzan.com/wscgoods/detail/2fzq8w1k7x3ab", {}),
    "youzan/goods_rendered.html": ("https://h5.youzan.com/v2/goods/2oq8x1vyk3m7d", {}),
    "youzan/goods_shop_closed.html": ("https://detail.youzan.com/show/goods?alias=1q9zk3a7cc1xb", {}),
}
NEUTRAL_URL = "https://shop.example.com/item/1"

# Pages whose price is answered by a price service, and the saved answer each is read again with.
FOLLOW_UP = {
    "jd/item_price_api.html": "jd/prices_mgets.json",
    "shopify/product.html": "shopify/product.js",
    "suning/product.html": "suning/price_answer.jsonp",
}
