"""The youzanyun gateway at `/youzan/<channel>/api/<name>/<version>?access_token=…`: JSON bodies.

Answers `{success, code, message, data, request_id}`; item reads carry prices in fen, the SKU update takes yuan.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from sandbox.cn_common import CnItem, CnShop, Fault
from sandbox.server import Request, Response, Router

logger = logging.getLogger(__name__)

PATH = r"/youzan/(?P<channel>[^/]+)/api/(?P<api>[a-z0-9_.]+)/(?P<version>\d+\.\d+\.\d+)"
WRITES = frozenset({"youzan.item.sku.update"})
THROTTLE_CODE = 4290
_PRICE_RE = re.compile(r"^\d+(\.\d{1,2})?$")


class YouzanError(Exception):
    def __init__(self, code: int, message: str, status: int = 200) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


class YouzanGateway:
    """Serves every Youzan channel's shop; the credential is `access_token`."""

    def __init__(self, shops: Mapping[str, CnShop]) -> None:
        self.shops = shops
        self.methods: dict[str, Callable[[CnShop, dict[str, Any]], dict[str, Any]]] = {
            "youzan.items.onsale.get": self.onsale_get,
            "youzan.item.get": self.item_get,
            "youzan.item.sku.update": self.sku_update,
        }

    def install(self, router: Router) -> None:
        router.add("POST", PATH, self.serve)

    def serve(self, request: Request) -> Response:
        shop = self.shops.get(request.params["channel"])
        if shop is None:
            return Response.text("not found\n", 404)
        api = request.params["api"]
        fault = shop.record(api, write=api in WRITES)
        try:
            if fault is not None:
                raise fault_error(fault)
            token = request.arg("access_token") or ""
            if not token or not hmac.compare_digest(token, shop.credentials.get("access_token", "")):
                raise YouzanError(4203, "access_token 无效或已过期")
            handler = self.methods.get(api)
            if handler is None:
                raise YouzanError(4004, f"API {api} 不存在")
            try:
                body = request.json() or {}
            except (ValueError, UnicodeDecodeError):
                raise YouzanError(4000, "请求体不是合法的 JSON") from None
            if not isinstance(body, dict):
                raise YouzanError(4000, "请求体必须是 JSON 对象")
            with shop.lock:
                data = handler(shop, body)
        except YouzanError as e:
            logger.info("sandbox: youzan %s %s -> error %s", shop.name, api, e.code)
            doc = {"success": False, "code": e.code, "message": e.message, "request_id": uuid.uuid4().hex[:16]}
            return Response.json(doc, e.status)
        ok = {"success": True, "code": 200, "message": "successful", "data": data}
        return Response.json({**ok, "request_id": uuid.uuid4().hex[:16]})

    # -- methods ----------------------------------------------------------------------

    @staticmethod
    def onsale_get(shop: CnShop, body: dict[str, Any]) -> dict[str, Any]:
        page, size = _int(body, "page_no", 1), _int(body, "page_size", 40)
        if size > 300:
            raise YouzanError(4000, "page_size 不能超过 300")
        items = sorted((i for i in shop.items.values() if i.onsale), key=lambda i: i.item_id)
        chunk = items[(page - 1) * size : page * size]
        return {"count": len(items), "items": [{"item_id": i.item_id, "title": i.title} for i in chunk]}

    @staticmethod
    def item_get(shop: CnShop, body: dict[str, Any]) -> dict[str, Any]:
        item = _item(shop, body)
        skus = [
            {
                "sku_id": s.sku_id,
                "item_no": s.outer_id,
                "price": int(s.price * 100),
                "quantity": s.quantity,
                "properties_name_json": json.dumps([{"k": k, "v": v} for k, v in s.props], ensure_ascii=False),
                "modified": s.modified,
            }
            for s in item.skus
        ]
        return {"item": {"item_id": item.item_id, "title": item.title, "is_listing": item.onsale, "skus": skus}}

    @staticmethod
    def sku_update(shop: CnShop, body: dict[str, Any]) -> dict[str, Any]:
        item = _item(shop, body)
        sku_id = body.get("sku_id")
        sku = shop.find_sku(item.item_id, sku_id=sku_id) if isinstance(sku_id, int) else None
        if sku is None:
            raise YouzanError(4000, f"SKU {sku_id} 不属于商品 {item.item_id}")
        price, qty = body.get("price"), body.get("quantity")
        if price is not None and (not isinstance(price, str) or not _PRICE_RE.match(price) or Decimal(price) <= 0):
            raise YouzanError(4000, "price 必须是两位小数的元金额字符串")
        if qty is not None and (not isinstance(qty, int) or isinstance(qty, bool) or qty < 0):
            raise YouzanError(4000, "quantity 必须是非负整数")
        if price is not None:
            sku.price = Decimal(price)
        if qty is not None:
            sku.quantity = qty
        shop.touch(item, sku)
        return {"is_success": True}


def _item(shop: CnShop, body: dict[str, Any]) -> CnItem:
    item_id = body.get("item_id")
    item = shop.items.get(item_id) if isinstance(item_id, int) else None
    if item is None:
        raise YouzanError(4000, f"商品 {item_id} 不存在")
    return item


def fault_error(fault: Fault) -> YouzanError:
    if fault.kind == "throttle":
        return YouzanError(THROTTLE_CODE, f"调用频率超限，请 {fault.seconds} 秒后再试")
    return YouzanError(5000, "服务暂时不可用", status=503)


def _int(body: Mapping[str, Any], name: str, default: int) -> int:
    value = body.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise YouzanError(4000, f"{name} 必须是正整数")
    return value
