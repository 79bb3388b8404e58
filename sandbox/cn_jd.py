"""The JOS gateway at `/jd/<channel>/routerjson`: signed form POSTs, business params in `360buy_param_json`.

Answers `<method>_responce` on success and `error_response {code, zh_desc, en_desc}` on failure.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from sandbox.cn_common import CnShop, Fault
from sandbox.server import Request, Response, Router

logger = logging.getLogger(__name__)

PATH = r"/jd/(?P<channel>[^/]+)/routerjson"
WRITES = frozenset({"jingdong.price.write.updateSkuJdPrice", "jingdong.stock.write.updateSkuStock"})
THROTTLE_CODE = "60"
_PRICE_RE = re.compile(r"^\d+(\.\d{1,2})?$")


class JosError(Exception):
    def __init__(self, code: str, zh: str, en: str, status: int = 200) -> None:
        super().__init__(en)
        self.status = status
        self.body = {"code": code, "zh_desc": zh, "en_desc": en}


def jos_sign(params: Mapping[str, str], secret: str) -> str:
    base = "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign")
    return hashlib.md5((secret + base + secret).encode()).hexdigest().upper()  # noqa: S324 - the platform signs with MD5


class JdGateway:
    """Serves every JD channel's shop; credentials are `app_key`, `app_secret`, `access_token`."""

    def __init__(self, shops: Mapping[str, CnShop]) -> None:
        self.shops = shops
        self.methods: dict[str, Callable[[CnShop, dict[str, Any]], dict[str, Any]]] = {
            "jingdong.sku.read.searchSkuList": self.search_skus,
            "jingdong.price.write.updateSkuJdPrice": self.update_price,
            "jingdong.stock.write.updateSkuStock": self.update_stock,
        }

    def install(self, router: Router) -> None:
        router.add(("GET", "POST"), PATH, self.serve)

    def serve(self, request: Request) -> Response:
        shop = self.shops.get(request.params["channel"])
        if shop is None:
            return Response.text("not found\n", 404)
        params = {k: v[-1] for k, v in request.query.items()}
        params.update(parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True))
        api = params.get("method", "")
        fault = shop.record(api, write=api in WRITES)
        try:
            if fault is not None:
                raise fault_error(fault)
            self.check(shop, params)
            handler = self.methods.get(api)
            if handler is None:
                raise JosError("5", "无效的方法名", "Invalid method")
            try:
                business = json.loads(params.get("360buy_param_json") or "{}")
            except ValueError:
                raise JosError("7", "360buy_param_json 不是合法的 JSON", "Invalid 360buy_param_json") from None
            if not isinstance(business, dict):
                raise JosError("7", "360buy_param_json 必须是对象", "Invalid 360buy_param_json")
            with shop.lock:
                body = handler(shop, business)
        except JosError as e:
            logger.info("sandbox: jd %s %s -> error %s", shop.name, api, e.body["code"])
            return Response.json({"error_response": e.body}, e.status)
        return Response.json({api.replace(".", "_") + "_responce": {"code": "0", **body}})

    @staticmethod
    def check(shop: CnShop, params: dict[str, str]) -> None:
        creds = shop.credentials
        if not hmac.compare_digest(params.get("app_key", ""), creds.get("app_key", "")):
            raise JosError("21", "app_key 无效", "Invalid app_key")
        if not hmac.compare_digest(params.get("sign", ""), jos_sign(params, creds.get("app_secret", ""))):
            raise JosError("22", "签名无效", "Invalid signature")
        if not params.get("timestamp") or params.get("v") != "2.0":
            raise JosError("7", "缺少 timestamp 或 v", "Missing timestamp or v")
        if not hmac.compare_digest(params.get("access_token", ""), creds.get("access_token", "")):
            raise JosError("19", "access_token 无效或已过期", "Invalid access_token")

    # -- methods ----------------------------------------------------------------------

    @staticmethod
    def search_skus(shop: CnShop, args: dict[str, Any]) -> dict[str, Any]:
        page, size = _int(args, "page", 1), _int(args, "pageSize", 20)
        if size > 100:
            raise JosError("100", "pageSize 不能超过 100", "pageSize must not exceed 100")
        rows = [
            {
                "skuId": s.sku_id,
                "wareId": item.item_id,
                "outerId": s.outer_id,
                "skuName": " ".join([item.title, *(v for _, v in s.props)]),
                "jdPrice": f"{s.price:.2f}",
                "stockNum": s.quantity,
                "status": 1 if item.onsale and s.onsale else 2,
                "modified": s.modified,
            }
            for item in sorted(shop.items.values(), key=lambda i: i.item_id)
            for s in item.skus
        ]
        chunk = rows[(page - 1) * size : page * size]
        return {"page": {"data": chunk, "totalItem": len(rows), "pageNo": page, "pageSize": size}}

    @staticmethod
    def update_price(shop: CnShop, args: dict[str, Any]) -> dict[str, Any]:
        item, sku = _sku(shop, args)
        price = str(args.get("jdPrice", ""))
        if not _PRICE_RE.match(price) or Decimal(price) <= 0:
            raise JosError("100", "jdPrice 必须是两位小数的元金额", "jdPrice must be yuan with 2 decimals")
        sku.price = Decimal(price)
        shop.touch(item, sku)
        return {"success": True}

    @staticmethod
    def update_stock(shop: CnShop, args: dict[str, Any]) -> dict[str, Any]:
        item, sku = _sku(shop, args)
        qty = args.get("stockNum")
        if not isinstance(qty, int) or isinstance(qty, bool) or qty < 0:
            raise JosError("100", "stockNum 必须是非负整数", "stockNum must be a non-negative integer")
        sku.quantity = qty
        shop.touch(item, sku)
        return {"success": True}


def _sku(shop: CnShop, args: dict[str, Any]) -> Any:
    sku_id = args.get("skuId")
    found = shop.sku_anywhere(sku_id) if isinstance(sku_id, int) and not isinstance(sku_id, bool) else None
    if found is None:
        raise JosError("100", f"SKU {sku_id} 不存在", f"SKU {sku_id} does not exist")
    return found


def fault_error(fault: Fault) -> JosError:
    if fault.kind == "throttle":
        return JosError(
            THROTTLE_CODE,
            f"调用频率超限，请 {fault.seconds} 秒后再试",
            f"Call frequency exceeded, retry after {fault.seconds} seconds",
        )
    return JosError("1", "服务不可用", "Service unavailable", status=503)


def _int(args: Mapping[str, Any], name: str, default: int) -> int:
    value = args.get(name, default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise JosError("100", f"{name} 必须是正整数", f"{name} must be a positive integer")
    return value
