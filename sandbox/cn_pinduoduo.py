"""The Pinduoduo router at `/pinduoduo/<channel>/api/router`: signed form POSTs, prices in fen.

Answers `<name>_response` on success and `error_response {error_code, error_msg, sub_code, sub_msg}`.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from sandbox.cn_common import CnItem, CnShop, CnSku, Fault
from sandbox.server import Request, Response, Router

logger = logging.getLogger(__name__)

PATH = r"/pinduoduo/(?P<channel>[^/]+)/api/router"
WRITES = frozenset({"pdd.goods.sku.price.update", "pdd.goods.quantity.update"})
RESPONSE_KEYS = {
    "pdd.goods.list.get": "goods_list_get_response",
    "pdd.goods.detail.get": "goods_detail_get_response",
    "pdd.goods.sku.price.update": "goods_update_sku_price_response",
    "pdd.goods.quantity.update": "goods_quantity_update_response",
}
SKUS_PER_PRICE_CALL = 200


class PddError(Exception):
    def __init__(self, code: int, msg: str, sub_msg: str = "") -> None:
        super().__init__(msg)
        self.body = {
            "error_code": code,
            "error_msg": msg,
            "sub_code": str(code),
            "sub_msg": sub_msg or msg,
            "request_id": uuid.uuid4().hex[:16],
        }


def pdd_sign(params: Mapping[str, str], secret: str) -> str:
    base = "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign")
    return hashlib.md5((secret + base + secret).encode()).hexdigest().upper()  # noqa: S324 - the platform signs with MD5


def fen(amount: Decimal) -> int:
    return int(amount * 100)


class PinduoduoGateway:
    """Serves every Pinduoduo channel's mall; credentials are `client_id`, `client_secret`, `access_token`."""

    def __init__(self, shops: Mapping[str, CnShop]) -> None:
        self.shops = shops
        self.methods: dict[str, Callable[[CnShop, dict[str, str]], dict[str, Any]]] = {
            "pdd.goods.list.get": self.goods_list,
            "pdd.goods.detail.get": self.goods_detail,
            "pdd.goods.sku.price.update": self.sku_price_update,
            "pdd.goods.quantity.update": self.quantity_update,
        }

    def install(self, router: Router) -> None:
        router.add("POST", PATH, self.serve)

    def serve(self, request: Request) -> Response:
        shop = self.shops.get(request.params["channel"])
        if shop is None:
            return Response.text("not found\n", 404)
        params = dict(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        api = params.get("type", "")
        fault = shop.record(api, write=api in WRITES)
        try:
            if fault is not None:
                raise fault_error(fault)
            self.check(shop, params)
            handler = self.methods.get(api)
            if handler is None:
                raise PddError(10002, "接口不存在", f"unknown type {api!r}")
            with shop.lock:
                body = handler(shop, params)
        except PddError as e:
            logger.info("sandbox: pinduoduo %s %s -> error %s", shop.name, api, e.body["error_code"])
            return Response.json({"error_response": e.body})
        return Response.json({RESPONSE_KEYS[api]: body})

    @staticmethod
    def check(shop: CnShop, params: dict[str, str]) -> None:
        creds = shop.credentials
        if not hmac.compare_digest(params.get("client_id", ""), creds.get("client_id", "")):
            raise PddError(10016, "client_id 无效")
        if not hmac.compare_digest(params.get("sign", ""), pdd_sign(params, creds.get("client_secret", ""))):
            raise PddError(10017, "签名错误", "sign is invalid")
        if params.get("data_type", "JSON") != "JSON" or not params.get("timestamp", "").isdigit():
            raise PddError(10000, "参数错误", "timestamp must be unix seconds, data_type JSON")
        if not hmac.compare_digest(params.get("access_token", ""), creds.get("access_token", "")):
            raise PddError(10019, "access_token 已过期")

    # -- methods ----------------------------------------------------------------------

    @staticmethod
    def goods_list(shop: CnShop, params: dict[str, str]) -> dict[str, Any]:
        page, size = _int(params, "page", 1), _int(params, "page_size", 100)
        if size > 100:
            raise PddError(10000, "参数错误", "page_size must not exceed 100")
        goods = sorted(shop.items.values(), key=lambda i: i.item_id)
        chunk = goods[(page - 1) * size : page * size]
        rows = [{"goods_id": g.item_id, "goods_name": g.title, "is_onsale": int(g.onsale)} for g in chunk]
        return {"goods_list": rows, "total_count": len(goods)}

    @staticmethod
    def goods_detail(shop: CnShop, params: dict[str, str]) -> dict[str, Any]:
        goods = _goods(shop, params)
        return {
            "goods_id": goods.item_id,
            "goods_name": goods.title,
            "is_onsale": int(goods.onsale),
            "sku_list": [_sku_json(s) for s in goods.skus],
        }

    @staticmethod
    def sku_price_update(shop: CnShop, params: dict[str, str]) -> dict[str, Any]:
        goods = _goods(shop, params)
        try:
            entries = json.loads(params.get("sku_price_list", ""))
        except ValueError:
            raise PddError(10000, "参数错误", "sku_price_list is not JSON") from None
        if not isinstance(entries, list) or not entries or len(entries) > SKUS_PER_PRICE_CALL:
            raise PddError(10000, "参数错误", f"sku_price_list takes 1 to {SKUS_PER_PRICE_CALL} SKUs")
        updates: list[tuple[CnSku, int, int, bool]] = []
        for e in entries:
            if not isinstance(e, dict):
                raise PddError(10000, "参数错误", "each sku_price_list entry is an object")
            single, group = e.get("single_price"), e.get("group_price")
            if not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in (single, group)):
                raise PddError(10000, "参数错误", "single_price and group_price are positive integers in fen")
            assert isinstance(single, int) and isinstance(group, int)
            if group >= single:
                raise PddError(50001, "拼团价必须低于单买价", "group_price must be lower than single_price")
            sku = shop.find_sku(goods.item_id, sku_id=e.get("sku_id") if isinstance(e.get("sku_id"), int) else -1)
            if sku is None:
                raise PddError(50002, "SKU 不属于该商品", f"sku {e.get('sku_id')} is not on goods {goods.item_id}")
            updates.append((sku, single, group, e.get("is_onsale", 1) != 0))
        for sku, single, group, onsale in updates:
            sku.price, sku.group_price, sku.onsale = Decimal(single) / 100, Decimal(group) / 100, onsale
            shop.touch(goods, sku)
        return {"is_success": True}

    @staticmethod
    def quantity_update(shop: CnShop, params: dict[str, str]) -> dict[str, Any]:
        goods = _goods(shop, params)
        sku_id = params.get("sku_id", "")
        sku = shop.find_sku(goods.item_id, sku_id=int(sku_id)) if sku_id.isdigit() else None
        if sku is None:
            raise PddError(50002, "SKU 不属于该商品", f"sku {sku_id} is not on goods {goods.item_id}")
        kind, raw = params.get("update_type", "1"), params.get("quantity", "")
        if kind not in ("1", "2") or not raw.lstrip("-").isdigit():
            raise PddError(10000, "参数错误", "update_type 1 (full) or 2 (incremental) and an integer quantity")
        qty = int(raw)
        if kind == "1" and qty < 0:
            raise PddError(10000, "参数错误", "a full quantity cannot be negative")
        sku.quantity = qty if kind == "1" else max(sku.quantity + qty, 0)
        shop.touch(goods, sku)
        return {"is_success": True}


def _sku_json(s: CnSku) -> dict[str, Any]:
    group = s.group_price if s.group_price is not None else s.price - 1
    return {
        "sku_id": s.sku_id,
        "out_sku_sn": s.outer_id,
        "price": fen(s.price),
        "multi_price": fen(group),
        "quantity": s.quantity,
        "is_onsale": int(s.onsale),
        "spec": [{"parent_name": name, "spec_name": value} for name, value in s.props],
    }


def _goods(shop: CnShop, params: dict[str, str]) -> CnItem:
    raw = params.get("goods_id", "")
    goods = shop.items.get(int(raw)) if raw.isdigit() else None
    if goods is None:
        raise PddError(50000, "商品不存在", f"goods {raw} does not exist")
    return goods


def fault_error(fault: Fault) -> PddError:
    if fault.kind == "throttle":
        return PddError(70031, "调用过于频繁", f"calls too frequent; try again in {fault.seconds} seconds")
    return PddError(52103, "服务暂时不可用", "service temporarily unavailable")


def _int(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise PddError(10000, "参数错误", f"{name} must be a positive integer")
    return int(raw)
