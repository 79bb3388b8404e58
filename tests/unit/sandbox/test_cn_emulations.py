"""The Taobao, JD, Pinduoduo and Youzan emulations: signatures checked, limits, units and throttles in each shape."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import requests

from oneprice.settings import LoadedConfig
from sandbox import Sandbox
from sandbox.cn_common import CnShop

GMT8 = timezone(timedelta(hours=8))


def creds(config: LoadedConfig, channel: str) -> dict[str, str]:
    return {k: v.get_secret_value() for k, v in config.settings.channel(channel).credentials.items()}


def shop(sandbox: Sandbox, kind: str, name: str) -> CnShop:
    emulation: Any = sandbox.emulation(kind)
    found: CnShop = emulation.shop(name)
    return found


def md5_sign(params: dict[str, str], secret: str) -> str:
    base = "".join(k + params[k] for k in sorted(params))
    return hashlib.md5((secret + base + secret).encode()).hexdigest().upper()  # noqa: S324 - the documented algorithm


def top(sandbox: Sandbox, config: LoadedConfig, method: str, *, secret: str | None = None, **business: str) -> Any:
    c = creds(config, "tmall-flagship")
    params = {
        "method": method,
        "app_key": c["app_key"],
        "session": c["session"],
        "timestamp": datetime.now(GMT8).strftime("%Y-%m-%d %H:%M:%S"),
        "v": "2.0",
        "sign_method": "hmac",
        "format": "json",
        **business,
    }
    base = "".join(k + params[k] for k in sorted(params))
    key = (secret or c["app_secret"]).encode()
    params["sign"] = hmac.new(key, base.encode(), hashlib.md5).hexdigest().upper()
    return requests.post(f"{sandbox.url}/taobao/tmall-flagship/router/rest", data=params, timeout=10).json()


def test_seeded_items_hold_the_catalog_skus_a_little_off(sandbox: Sandbox, demo_config: LoadedConfig) -> None:
    tmall = shop(sandbox, "taobao", "tmall-flagship")
    skus = {s.outer_id: s for item in tmall.items.values() for s in item.skus}
    catalog = {p.sku: p for p in demo_config.catalog.products if p.status == "active" and not p.channels}
    assert set(catalog) <= set(skus)
    off = [k for k, s in skus.items() if s.price != catalog[k].unified_price.amount or s.quantity != catalog[k].stock]
    assert 0 < len(off) < len(skus)
    jacket = next(i for i in tmall.items.values() if any(s.outer_id == "SY-JK01-BLK-M" for s in i.skus))
    assert jacket.title == "山屿 岚峰 GORE-TEX 冲锋衣" and len(jacket.skus) == 4


def test_taobao_checks_the_signature_and_answers_in_top_shape(sandbox: Sandbox, demo_config: LoadedConfig) -> None:
    assert (
        top(sandbox, demo_config, "taobao.items.onsale.get", page_no="1")["items_onsale_get_response"]["total_results"]
        > 0
    )
    refused = top(sandbox, demo_config, "taobao.items.onsale.get", secret="wrong")
    assert refused["error_response"]["code"] == 25


def test_taobao_takes_at_most_20_skus_of_stock(sandbox: Sandbox, demo_config: LoadedConfig) -> None:
    pairs = ";".join(f"{5000 + i}:1" for i in range(21))
    answer = top(sandbox, demo_config, "taobao.skus.quantity.update", num_iid="1001", skuid_quantities=pairs, type="1")
    assert answer["error_response"]["sub_code"] == "isv.invalid-parameter"


def test_taobao_throttle_and_budget_in_top_shape(sandbox: Sandbox, demo_config: LoadedConfig) -> None:
    tmall = shop(sandbox, "taobao", "tmall-flagship")
    tmall.throttle_next(9)
    ban = top(sandbox, demo_config, "taobao.items.onsale.get")["error_response"]
    assert (ban["code"], ban["sub_msg"]) == (7, "This ban will last for 9 more seconds")
    now = [100.0]
    tmall.set_budget(2, 10.0, clock=lambda: now[0])
    try:
        answers = [top(sandbox, demo_config, "taobao.items.onsale.get") for _ in range(3)]
        assert [("error_response" in a) for a in answers] == [False, False, True]
        assert "This ban will last for" in answers[2]["error_response"]["sub_msg"]
        now[0] += 10.0
        assert "error_response" not in top(sandbox, demo_config, "taobao.items.onsale.get")
    finally:
        tmall.set_budget(None)


def test_jd_wants_its_signature_and_answers_with_responce(sandbox: Sandbox, demo_config: LoadedConfig) -> None:
    c = creds(demo_config, "jd-pop")
    params = {
        "method": "jingdong.sku.read.searchSkuList",
        "app_key": c["app_key"],
        "access_token": c["access_token"],
        "timestamp": "2026-11-27 20:00:00",
        "v": "2.0",
        "360buy_param_json": json.dumps({"page": 1, "pageSize": 5}),
    }
    url = f"{sandbox.url}/jd/jd-pop/routerjson"
    wrong = requests.post(url, data={**params, "sign": md5_sign(params, "nope")}, timeout=10).json()
    assert wrong["error_response"]["code"] == "22"
    right = requests.post(url, data={**params, "sign": md5_sign(params, c["app_secret"])}, timeout=10).json()
    page = right["jingdong_sku_read_searchSkuList_responce"]["page"]
    assert len(page["data"]) == 5 and page["totalItem"] > 5


def pdd(sandbox: Sandbox, config: LoadedConfig, api: str, **business: str) -> Any:
    c = creds(config, "pdd-mall")
    params = {
        "type": api,
        "client_id": c["client_id"],
        "access_token": c["access_token"],
        "timestamp": "1795780800",
        "data_type": "JSON",
        "version": "V1",
        **business,
    }
    params["sign"] = md5_sign(params, c["client_secret"])
    return requests.post(f"{sandbox.url}/pinduoduo/pdd-mall/api/router", data=params, timeout=10).json()


def test_pinduoduo_prices_are_fen_and_group_below_single(sandbox: Sandbox, demo_config: LoadedConfig) -> None:
    detail = pdd(sandbox, demo_config, "pdd.goods.detail.get", goods_id="1001")["goods_detail_get_response"]
    sku = detail["sku_list"][0]
    assert isinstance(sku["price"], int) and sku["multi_price"] < sku["price"]
    same = json.dumps([{"sku_id": sku["sku_id"], "single_price": 1000, "group_price": 1000}])
    refused = pdd(sandbox, demo_config, "pdd.goods.sku.price.update", goods_id="1001", sku_price_list=same)
    assert refused["error_response"]["error_code"] == 50001
    yuan = json.dumps([{"sku_id": sku["sku_id"], "single_price": "10.00", "group_price": "9.00"}])
    assert "error_response" in pdd(
        sandbox, demo_config, "pdd.goods.sku.price.update", goods_id="1001", sku_price_list=yuan
    )
    shop(sandbox, "pinduoduo", "pdd-mall").throttle_next(3)
    assert pdd(sandbox, demo_config, "pdd.goods.list.get")["error_response"]["error_code"] == 70031


@pytest.mark.parametrize(("token", "success"), [("sandbox_youzan_token", True), ("wrong", False)])
def test_youzan_checks_the_token(sandbox: Sandbox, token: str, success: bool) -> None:
    url = f"{sandbox.url}/youzan/youzan-wx/api/youzan.items.onsale.get/3.0.0"
    answer = requests.post(url, params={"access_token": token}, json={"page_no": 1}, timeout=10).json()
    assert answer["success"] is success
    if not success:
        assert answer["code"] == 4203
