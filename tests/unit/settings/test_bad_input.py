"""Bad input in the config and the catalog: each fault named by file:line and path, nothing guessed."""

from __future__ import annotations

from pathlib import Path

import pytest
from config_files import edit

from oneprice.errors import ConfigError
from oneprice.settings import load_config, mask_secret, masked
from oneprice.settings.csvfile import read_csv
from oneprice.settings.secrets import remember, scrub


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def problems(path: Path, **kw: bool) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(path, **kw)
    return [str(p) for p in info.value.problems]


# -- the catalog ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("price", "expected"),
    [
        ("12.999", "'12.999' has 3 decimal places; CNY has 2 (it would be rounded)"),
        ("1e3", "'1e3' is not a number as a price is written"),
        ("1_000", "'1_000' is not a number as a price is written"),
        ("1299.", "'1299.' is not a number as a price is written"),
        ("-5", "must not be negative (got -5)"),
        ("0", "0 would sell the product for nothing on every channel"),
        ("0.00", "0 would sell the product for nothing on every channel"),
        ("", "empty: every product needs a unified price"),
    ],
)
def test_catalog_prices_are_refused_not_rounded(cfgdir: Path, price: str, expected: str) -> None:
    edit(cfgdir / "catalog.csv", "1299.00,CNY,10", f"{price},CNY,10")
    [msg] = problems(cfgdir / "c.yaml")
    assert msg.startswith(f"{cfgdir / 'catalog.csv'}:2: products[JK-1-M].unified_price: {expected}"), msg


def test_a_price_with_as_many_decimals_as_the_currency_loads(cfgdir: Path) -> None:
    edit(cfgdir / "catalog.csv", "1299.00,CNY,10", "1299.000,JPY,10")  # trailing zeros round nothing
    products = load_config(cfgdir / "c.yaml").catalog.by_sku()
    assert str(products["JK-1-M"].unified_price) == "1299 JPY"
    edit(cfgdir / "catalog.csv", "1299.000,JPY,10", "1299.5,JPY,10")
    [msg] = problems(cfgdir / "c.yaml")
    assert msg.endswith("unified_price: '1299.5' has 1 decimal place; JPY has 0 (it would be rounded)")


def test_gbk_catalog_names_the_line_and_the_encoding(cfgdir: Path) -> None:
    csv_file = cfgdir / "catalog.csv"
    csv_file.write_bytes(csv_file.read_text(encoding="utf-8").replace("Storm jacket L", "山屿 冲锋衣").encode("gbk"))
    [msg] = problems(cfgdir / "c.yaml")
    assert msg.startswith(f"{csv_file}:3: not UTF-8 text (byte 0x"), msg
    assert msg.endswith("it looks like GBK/GB18030 (Excel's default on Chinese Windows); save it as 'CSV UTF-8'")


def test_a_workbook_saved_as_csv_is_named(cfgdir: Path) -> None:
    (cfgdir / "catalog.csv").write_bytes(b"PK\x03\x04" + bytes(range(256)))
    assert problems(cfgdir / "c.yaml") == [
        f"{cfgdir / 'catalog.csv'}: this is an Excel workbook (.xlsx) or another zip file, not CSV text; "
        "save it as 'CSV UTF-8'"
    ]


def test_bom_crlf_blank_rows_and_header_case_are_read(cfgdir: Path) -> None:
    csv_file = cfgdir / "catalog.csv"
    lines = csv_file.read_text(encoding="utf-8").splitlines()
    lines[0] = " " + lines[0].upper().replace(",", " , ")
    lines.insert(2, "")
    lines.insert(3, ",,,,,,,,,,,,")
    csv_file.write_bytes(b"\xef\xbb\xbf" + "\r\n".join([*lines, "", ""]).encode("utf-8"))
    products = load_config(cfgdir / "c.yaml").catalog.by_sku()
    assert sorted(products) == ["BP-30", "JK-1-L", "JK-1-M"]
    assert str(products["BP-30"].unified_price.amount) == "499.90"


def test_a_row_with_fewer_fields_is_not_filled_with_defaults(cfgdir: Path) -> None:
    edit(cfgdir / "catalog.csv", "1299,CNY,5,active,shop", "1299")
    assert problems(cfgdir / "c.yaml") == [
        f"{cfgdir / 'catalog.csv'}:3: fewer fields than columns (9; the header has 13)"
    ]


def test_an_unclosed_quote_is_reported_where_it_opens(cfgdir: Path) -> None:
    edit(cfgdir / "catalog.csv", "Storm jacket L", '"Storm jacket L')
    [msg] = problems(cfgdir / "c.yaml")
    assert msg.startswith(f"{cfgdir / 'catalog.csv'}:3: ")
    assert "closing '\"' missing" in msg


def test_semicolon_separated_catalog_is_named(cfgdir: Path) -> None:
    csv_file = cfgdir / "catalog.csv"
    csv_file.write_text(csv_file.read_text(encoding="utf-8").replace(",", ";"), encoding="utf-8")
    assert problems(cfgdir / "c.yaml") == [f"{csv_file}:1: columns are separated by ';': save the file with ','"]


def test_empty_catalog_file(cfgdir: Path) -> None:
    (cfgdir / "catalog.csv").write_text("", encoding="utf-8")
    assert problems(cfgdir / "c.yaml") == [f"{cfgdir / 'catalog.csv'}: the catalog is empty (no header row)"]


def test_read_csv_gives_each_row_its_first_line(tmp_path: Path) -> None:
    f = tmp_path / "l.csv"
    f.write_text('title,price\n\n"two\nlines",1\nthree,2\n', encoding="utf-8")
    found: list = []
    assert read_csv(f, found) is None  # a catalog or listing has no field over several lines
    assert [str(p) for p in found] == [f"{f}:3: a quoted field runs from line 3 to 4: is a closing '\"' missing?"]


# -- ${VAR} --------------------------------------------------------------------------------


def test_an_empty_env_var_is_named_once(cfgdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPRICE_TEST_EMPTY", "")
    edit(cfgdir / "c.yaml", "${SHOP_KEY:-ck_test}", "${ONEPRICE_TEST_EMPTY}")
    assert problems(cfgdir / "c.yaml") == [
        f"{cfgdir / 'c.yaml'}:18: channels[0].credentials.consumer_key: environment variable ONEPRICE_TEST_EMPTY "
        "is set but empty (write ${ONEPRICE_TEST_EMPTY:-default})"
    ]


# -- references that point nowhere ----------------------------------------------------------

PROMO = """
  promotions:
    - name: "618"
      start: "2026-06-01T00:00:00+08:00"
      end: "2026-06-19T00:00:00+08:00"
      platforms: [tmall]
      floor_percent: "15"
    - name: apparel 618
      start: "2026-06-10T00:00:00+08:00"
      end: "2026-06-12T00:00:00+08:00"
      platforms: [tmall]
      product_lines: [apparel]
      floor_percent: "20"
"""


def test_a_narrower_promotion_with_the_lower_floor_applies_in_any_order(cfgdir: Path) -> None:
    # The lowest floor applies where promotions overlap: 'apparel 618' (20% off) is no dead entry
    # behind the wider '618' (15% off), wherever it is listed.
    append(cfgdir / "c.yaml", PROMO)
    promos = load_config(cfgdir / "c.yaml").settings.alerts.promotions
    assert [p.name for p in promos] == ["618", "apparel 618"]


@pytest.mark.parametrize(
    ("wide", "narrow", "dead"),
    [
        ('floor_percent: "20"', 'floor_percent: "15"', True),  # the wide one's floor is lower all along
        ('floor_percent: "15"', 'floor_percent: "15"', True),  # equal floors: the first listed applies
        ('floor_price: "80.00"', 'floor_price: "90.00"', True),
        ('floor_price: "90.00"', 'floor_price: "80.00"', False),
        ('floor_percent: "20"', 'floor_price: "90.00"', False),  # kinds compare per product: not judged
    ],
)
def test_a_promotion_that_never_applies_is_reported(cfgdir: Path, wide: str, narrow: str, dead: bool) -> None:
    promo = PROMO.replace('floor_percent: "15"', "WIDE").replace('floor_percent: "20"', narrow).replace("WIDE", wide)
    append(cfgdir / "c.yaml", promo)
    if not dead:
        assert len(load_config(cfgdir / "c.yaml").settings.alerts.promotions) == 2
        return
    [msg] = problems(cfgdir / "c.yaml")
    assert msg.startswith(f"{cfgdir / 'c.yaml'}:39: alerts.promotions[1]: 'apparel 618' never applies: '618'")
    assert "for all of its window (2026-06-10T00:00:00+08:00 to 2026-06-12T00:00:00+08:00)" in msg


def test_a_promotion_outlasting_the_wider_one_is_no_dead_entry(cfgdir: Path) -> None:
    promo = PROMO.replace('floor_percent: "15"', 'floor_percent: "25"').replace(
        'end: "2026-06-12T00:00:00+08:00"', 'end: "2026-06-22T00:00:00+08:00"'
    )
    append(cfgdir / "c.yaml", promo)
    assert len(load_config(cfgdir / "c.yaml").settings.alerts.promotions) == 2


def test_the_narrower_promotion_listed_first_is_fine(cfgdir: Path) -> None:
    first, second = PROMO.split("    - name: apparel 618")
    append(cfgdir / "c.yaml", first.replace("promotions:\n", "promotions:\n    - name: apparel 618" + second))
    promos = load_config(cfgdir / "c.yaml").settings.alerts.promotions
    assert [p.name for p in promos] == ["apparel 618", "618"]


FLOOR_PROMO = """
  promotions:
    - name: 双11
      start: "2026-11-10T20:00:00+08:00"
      end: "2026-11-12T00:00:00+08:00"
      floor_price: "{floor}"
"""


@pytest.mark.parametrize(
    ("floor", "limit", "expected"),
    [
        # Every product: the pack at 499.90 is below the floor.
        ("999.00", "", "floor_price 999.00 CNY is above the unified price of BP-30 (499.90 CNY); during the"),
        (
            "1300",
            "products: [JK-1-M, BP-30]",
            "floor_price 1300 CNY is above the unified price of BP-30 (499.90 CNY), JK-1-M (1299.00 CNY);",
        ),
        ("1299.01", "product_lines: [apparel]", "is above the unified price of JK-1-L (1299.00 CNY), JK-1-M"),
    ],
)
def test_a_promotion_floor_above_the_unified_price_is_refused(
    cfgdir: Path, floor: str, limit: str, expected: str
) -> None:
    yaml = FLOOR_PROMO.format(floor=floor) + (f"      {limit}\n" if limit else "")
    append(cfgdir / "c.yaml", yaml)
    [msg] = problems(cfgdir / "c.yaml")
    assert msg.startswith(f"{cfgdir / 'c.yaml'}:37: alerts.promotions[0].floor_price: promotion '双11': "), msg
    assert expected in msg, msg
    assert msg.endswith("lower the floor, use floor_percent, or limit the promotion with products or product_lines")


@pytest.mark.parametrize(
    ("floor", "limit"),
    [("1299.00", "products: [JK-1-M]"), ("499.90", ""), ("1000", "product_lines: [apparel]")],
)
def test_a_promotion_floor_at_or_below_every_covered_price_loads(cfgdir: Path, floor: str, limit: str) -> None:
    append(cfgdir / "c.yaml", FLOOR_PROMO.format(floor=floor) + (f"      {limit}\n" if limit else ""))
    [promo] = load_config(cfgdir / "c.yaml").settings.alerts.promotions
    assert str(promo.floor_price) == floor


OVERRIDE = "  overrides:\n    - {rule: undercutt, platform: tmal, seller: nobody}\n"


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        (
            PROMO.replace("platforms: [tmall]", "platforms: [tmal]", 1),
            "promotions[0].platforms[0]: unknown platform 'tmal'",
        ),
        (
            PROMO.replace("product_lines: [apparel]", "product_lines: [aparel]"),
            "promotions[1].product_lines[0]: unknown product line 'aparel' (known: apparel, packs)",
        ),
        (
            PROMO.replace("product_lines: [apparel]", "products: [JK-9]"),
            "promotions[1].products[0]: no product 'JK-9' in the catalog",
        ),
        (OVERRIDE, "overrides[0].rule: unknown rule 'undercutt'"),
        (OVERRIDE, "overrides[0].platform: unknown platform 'tmal'"),
        (OVERRIDE, "overrides[0].seller: no reseller 'nobody'"),
        ("  notices: {route: sms}\n", "alerts.notices.route: no route 'sms' (routes: mail)"),
        ("  notices: {templates: nowhere}\n", "alerts.notices.templates: no such directory: "),
    ],
)
def test_alert_settings_pointing_nowhere(cfgdir: Path, yaml: str, expected: str) -> None:
    append(cfgdir / "c.yaml", yaml)
    found = problems(cfgdir / "c.yaml", thorough="templates" in yaml)
    assert any(expected in p and p.startswith(f"{cfgdir / 'c.yaml'}:") for p in found), found


def test_route_filters_pointing_nowhere(cfgdir: Path) -> None:
    edit(cfgdir / "c.yaml", "url: mailto", "platforms: [tmall, jdd]\n      rules: [drift]\n      url: mailto")
    assert problems(cfgdir / "c.yaml") == [
        f"{cfgdir / 'c.yaml'}:31: alerts.routes[0].platforms[1]: unknown platform 'jdd' (known: taobao, tmall, jd, "
        "pinduoduo, youzan, douyin, 1688, vipshop, weidian, shopify, woocommerce, amazon, ebay, website)"
    ]


def test_channel_override_for_an_unknown_sku_and_with_too_many_decimals(cfgdir: Path) -> None:
    edit(
        cfgdir / "c.yaml",
        "      consumer_secret: ${SHOP_SECRET:-cs_supersecret}\n",
        "      consumer_secret: ${SHOP_SECRET:-cs_supersecret}\n    overrides:\n"
        "      JK-9: {price: '10.00', reason: clearance}\n      BP-30: {price: 449.905, reason: clearance}\n",
    )
    assert problems(cfgdir / "c.yaml") == [
        f"{cfgdir / 'c.yaml'}:21: channels[0].overrides.JK-9: no product 'JK-9' in the catalog",
        f"{cfgdir / 'c.yaml'}:22: channels[0].overrides.BP-30.price: '449.905' has 3 decimal places; CNY has 2 "
        "(it would be rounded)",
    ]


def test_tolerance_for_an_unknown_product_line(cfgdir: Path) -> None:
    edit(cfgdir / "c.yaml", "    packs: {absolute: 20.50}", "    pack: {absolute: 20.50}")
    assert problems(cfgdir / "c.yaml") == [
        f"{cfgdir / 'c.yaml'}:12: policy.product_lines.pack: unknown product line 'pack' (known: apparel, packs)"
    ]


def test_reference_checks_wait_for_a_readable_catalog(cfgdir: Path) -> None:
    append(
        cfgdir / "c.yaml", PROMO.split("    - name: apparel")[0].replace("[tmall]", "[tmall]\n      products: [JK-9]")
    )
    edit(cfgdir / "catalog.csv", "1299.00,CNY,10", "abc,CNY,10")
    found = problems(cfgdir / "c.yaml")
    assert len(found) == 1 and "unified_price" in found[0], found


# -- config check: templates and route URLs --------------------------------------------------


def test_thorough_check_parses_notice_templates(cfgdir: Path) -> None:
    (cfgdir / "notices").mkdir()
    (cfgdir / "notices" / "first_notice.en.txt").write_text(
        "Dear {{ seller }},\n{% for item in items %}\n- {{ item.sku }}\n{% endfo %}\n", encoding="utf-8"
    )
    (cfgdir / "notices" / "first_notice.zh-CN.txt").write_bytes("您好 {{ seller }}".encode("gbk"))
    append(cfgdir / "c.yaml", "  notices: {templates: notices}\n")
    edit(cfgdir / "c.yaml", "to=a@b.example", "to=a@b.example&from=alerts@b.example")
    assert load_config(cfgdir / "c.yaml").settings.alerts.notices.templates == "notices"  # not parsed by default
    found = problems(cfgdir / "c.yaml", thorough=True)
    en, zh = cfgdir / "notices" / "first_notice.en.txt", cfgdir / "notices" / "first_notice.zh-CN.txt"
    assert found[0].startswith(f"{cfgdir / 'c.yaml'}:32: alerts.notices.templates: {en}:4: template syntax error: ")
    assert found[1] == f"{cfgdir / 'c.yaml'}:32: alerts.notices.templates: {zh}: not UTF-8 text; save it as UTF-8"


def test_thorough_check_refuses_unusable_route_urls_without_showing_secrets(
    cfgdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ONEPRICE_TEST_ROUTE_PASSWORD", "pw-Zq81xx")
    edit(cfgdir / "c.yaml", "mailto://user:hunter2@", "mailto://user:${ONEPRICE_TEST_ROUTE_PASSWORD}@")
    edit(cfgdir / "c.yaml", "to=a@b.example", "to=a@b.example&from=alerts@b.example")
    append(
        cfgdir / "c.yaml", "    - {name: chat, url: 'nosuchservice://token-zq81xx/'}\n    - {name: bare, url: oops}\n"
    )
    found = problems(cfgdir / "c.yaml", thorough=True)
    assert found == [
        f"{cfgdir / 'c.yaml'}:32: alerts.routes[1].url: not a usable Apprise URL (nosuchservice://token-zq81xx/): "
        "unknown scheme, or a required part is missing",
        f"{cfgdir / 'c.yaml'}:33: alerts.routes[2].url: not an Apprise URL (scheme://...; log:// is the built-in log)",
    ]
    assert "pw-Zq81xx" not in "\n".join(found)


# -- secrets --------------------------------------------------------------------------------


def test_env_secret_in_a_plain_field_never_shows(cfgdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ONEPRICE_TEST_SHOP_TOKEN", "tok-Vb27Lq55")
    edit(cfgdir / "c.yaml", "/woo/shop", "/woo/shop?token=${ONEPRICE_TEST_SHOP_TOKEN}")
    doc = masked(load_config(cfgdir / "c.yaml").settings)
    assert doc["channels"][0]["base_url"] == "http://127.0.0.1:8700/woo/shop?token=***"


def test_env_value_of_a_secret_field_is_scrubbed_everywhere(cfgdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOP_SECRET", "cs-Hk31Pw90")  # the name says nothing: the field does
    load_config(cfgdir / "c.yaml")
    assert scrub("refused cs-Hk31Pw90 for shop") == "refused *** for shop"


def test_file_values_and_short_values_are_not_scrubbed() -> None:
    remember("abc")
    remember("sqlite:////var/lib/oneprice/prices.db")
    assert scrub("abc at sqlite:////var/lib/oneprice/prices.db") == "abc at sqlite:////var/lib/oneprice/prices.db"


def test_url_secrets_keep_where_they_point() -> None:
    remember("postgresql://app:pg-Tr55Yu12@db.example:5432/prices")
    assert scrub("cannot reach postgresql://app:pg-Tr55Yu12@db.example:5432") == (
        "cannot reach postgresql://app:***@db.example:5432"
    )
    assert mask_secret("dingtalk://0123456789abcdef0123456789abcdef/") == "dingtalk://***/"
    assert mask_secret("postgresql://app:x@db:5432/prices") == "postgresql://***@db:5432/prices"


def test_gbk_config_names_the_line(cfgdir: Path) -> None:
    config = cfgdir / "c.yaml"
    config.write_bytes(config.read_text(encoding="utf-8").encode("gbk"))  # 星光数码 is on line 22
    assert problems(config) == [f"{config}:22: not UTF-8 text (invalid continuation byte); save it as UTF-8"]


def test_an_empty_credential_says_so(cfgdir: Path) -> None:
    from adapters import channel_validators

    edit(cfgdir / "c.yaml", "${SHOP_KEY:-ck_test}", '""')
    with pytest.raises(ConfigError) as info:
        load_config(cfgdir / "c.yaml", channel_validators=channel_validators())
    assert [str(p) for p in info.value.problems] == [
        f"{cfgdir / 'c.yaml'}:18: channels[0].credentials.consumer_key: must not be empty"
    ]


def test_the_rule_names_config_may_name_are_the_rules_there_are() -> None:
    """`alerts.overrides[].rule` is checked against RULE_NAMES, kept apart to spare the settings an import
    of the rules; it must list exactly the rules alerting runs."""
    from alerts.rules import RULES
    from alerts.rules.coverage import RULE as COVERAGE
    from oneprice.settings.crosscheck import RULE_NAMES
    from sync.verifier import RULE as OWN_CHANNEL

    assert sorted(RULE_NAMES) == sorted({*RULES, COVERAGE, OWN_CHANNEL})
