"""The TOP router at `/taobao/<channel>/router/rest`: signed form POSTs, answers in TOP's JSON shapes.

Checks app key, signature (md5 or hmac), session and timestamp as TOP does; throttles with code 7.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from sandbox.cn_common import CnItem, CnShop, CnSku, Fault
from sandbox.server import Request, Response, Router

logger = logging.getLogger(__name__)

PATH = r"/taobao/(?P<channel>[^/]+)/router/rest"
GMT8 = timezone(timedelta(hours=8))
STOCK_LIMIT = 20
READ_LIMIT = 20
_PRICE_RE = re.compile(r"^\d+(\.\d{1,2})?$")
WRITES = frozenset({"taobao.item.sku.price.update", "taobao.skus.quantity.update"})


class TopError(Exception):
    def __init__(self, code: int, msg: str, sub_code: str = "", sub_msg: str = "") -> None:
        super().__init__(msg)
        self.body = {"code": code, "msg": msg, "request_id": uuid.uuid4().hex[:12]}
        if sub_code:
            self.body.update(sub_code=sub_code, sub_msg=sub_msg)


def isv(sub_code: str, sub_msg: str) -> TopError:
    return TopError(15, "Remote service error", sub_code, sub_msg)


def top_sign(params: Mapping[str, str], secret: str, method: str) -> str:
    base = "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign").encode()
    if method == "hmac":
        return hmac.new(secret.encode(), base, hashlib.md5).hexdigest().upper()
    return hashlib.md5(secret.encode() + base + secret.encode()).hexdigest().upper()  # noqa: S324 - the platform signs with MD5


class TaobaoGateway:
    """Serves every Taobao/Tmall channel's shop; credentials are `app_key`, `app_secret`, `session`."""

    def __init__(self, shops: Mapping[str, CnShop]) -> None:
        self.shops = shops
        self.methods: dict[str, Callable[[CnShop, dict[str, str]], dict[str, Any]]] = {
            "taobao.items.onsale.get": self.onsale_get,
            "taobao.items.seller.list.get": self.seller_list_get,
            "taobao.item.sku.price.update": self.sku_price_update,
            "taobao.skus.quantity.update": self.skus_quantity_update,
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
                raise TopError(22, "Invalid method")
            with shop.lock:
                body = handler(shop, params)
        except TopError as e:
            logger.info("sandbox: taobao %s %s -> error %s", shop.name, api, e.body.get("sub_code") or e.body["code"])
            return Response.json({"error_response": e.body})
        return Response.json({api.removeprefix("taobao.").replace(".", "_") + "_response": body})

    @staticmethod
    def check(shop: CnShop, params: dict[str, str]) -> None:
        creds = shop.credentials
        if not params.get("app_key"):
            raise TopError(28, "Missing app key")
        if not hmac.compare_digest(params["app_key"], creds.get("app_key", "")):
            raise TopError(29, "Invalid app Key")
        method = params.get("sign_method", "md5")
        if method not in ("md5", "hmac"):
            raise TopError(31, "Invalid sign method")
        expected = top_sign(params, creds.get("app_secret", ""), method)
        if not hmac.compare_digest(params.get("sign", ""), expected):
            raise TopError(25, "Invalid signature")
        try:
            sent = datetime.strptime(params.get("timestamp", ""), "%Y-%m-%d %H:%M:%S").replace(tzinfo=GMT8)
        except ValueError:
            raise TopError(33, "Invalid timestamp") from None
        if abs(datetime.now(UTC) - sent) > timedelta(minutes=10):
            raise TopError(33, "Invalid timestamp", "isv.invalid-timestamp", "more than 10 minutes off")
        if not params.get("session"):
            raise TopError(26, "Missing session")
        if not hmac.compare_digest(params["session"], creds.get("session", "")):
            raise TopError(27, "Invalid session", "invalid-sessionkey", "session key is invalid or expired")

    # -- methods ----------------------------------------------------------------------

    @staticmethod
    def onsale_get(shop: CnShop, params: dict[str, str]) -> dict[str, Any]:
        page, size = _int(params, "page_no", 1), _int(params, "page_size", 40)
        if size > 200:
            raise isv("isv.invalid-parameter", "page_size must not exceed 200")
        items = sorted((i for i in shop.items.values() if i.onsale), key=lambda i: i.item_id)
        chunk = items[(page - 1) * size : page * size]
        return {
            "total_results": len(items),
            "items": {"item": [{"num_iid": i.item_id, "title": i.title} for i in chunk]},
        }

    @staticmethod
    def seller_list_get(shop: CnShop, params: dict[str, str]) -> dict[str, Any]:
        ids = [s for s in params.get("num_iids", "").split(",") if s.strip()]
        if len(ids) > READ_LIMIT:
            raise isv("isv.invalid-parameter", f"num_iids takes at most {READ_LIMIT} ids")
        items = [shop.items[int(i)] for i in ids if i.strip().isdigit() and int(i) in shop.items]
        return {"items": {"item": [_item_json(i) for i in items]}}

    @staticmethod
    def sku_price_update(shop: CnShop, params: dict[str, str]) -> dict[str, Any]:
        item_id, price = _int(params, "num_iid", 0), params.get("price", "")
        if item_id not in shop.items:
            raise isv("isv.item-not-exist", f"item {item_id} does not exist")
        sku = shop.find_sku(item_id, outer_id=params.get("outer_id"))
        if sku is None:
            raise isv("isv.item-sku-not-exist", "no SKU with this outer_id on the item")
        if not _PRICE_RE.match(price) or Decimal(price) <= 0:
            raise isv("isv.invalid-parameter:price", f"price {price!r} is not a yuan amount with 2 decimals")
        sku.price = Decimal(price)
        modified = shop.touch(shop.items[item_id], sku)
        return {"sku": {"num_iid": item_id, "sku_id": sku.sku_id, "modified": modified}}

    @staticmethod
    def skus_quantity_update(shop: CnShop, params: dict[str, str]) -> dict[str, Any]:
        item_id = _int(params, "num_iid", 0)
        item = shop.items.get(item_id)
        if item is None:
            raise isv("isv.item-not-exist", f"item {item_id} does not exist")
        kind = params.get("type", "1")
        if kind not in ("1", "2"):
            raise isv("isv.invalid-parameter:type", "type must be 1 (full) or 2 (incremental)")
        pairs = [p.split(":") for p in params.get("skuid_quantities", "").split(";") if p]
        if len(pairs) > STOCK_LIMIT:
            raise isv("isv.invalid-parameter", f"at most {STOCK_LIMIT} SKUs per call")
        updates: list[tuple[CnSku, int]] = []
        for pair in pairs:
            if len(pair) != 2 or not pair[0].isdigit() or not pair[1].lstrip("-").isdigit():
                raise isv("isv.invalid-parameter", "skuid_quantities is 'skuId:quantity;...'")
            sku = shop.find_sku(item_id, sku_id=int(pair[0]))
            if sku is None:
                raise isv("isv.item-sku-not-exist", f"SKU {pair[0]} is not on item {item_id}")
            qty = int(pair[1])
            if kind == "1" and qty < 0:
                raise isv("isv.invalid-parameter", "a full quantity cannot be negative")
            updates.append((sku, qty if kind == "1" else max(sku.quantity + qty, 0)))
        for sku, qty in updates:
            sku.quantity = qty
            shop.touch(item, sku)
        return {"item": {"num_iid": item_id, "modified": item.modified}}


def fault_error(fault: Fault) -> TopError:
    if fault.kind == "throttle":
        return TopError(
            7,
            "App Call Limited",
            "accesscontrol.limited-by-app-access-count",
            f"This ban will last for {fault.seconds} more seconds",
        )
    return TopError(15, "Remote service error", "isp.remote-service-unavailable", "service unavailable")


def _int(params: Mapping[str, str], name: str, default: int) -> int:
    raw = params.get(name, "")
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise isv(f"isv.invalid-parameter:{name}", f"{name} must be a positive integer")
    return int(raw)


def _item_json(item: CnItem) -> dict[str, Any]:
    return {
        "num_iid": item.item_id,
        "title": item.title,
        "approve_status": "onsale" if item.onsale else "instock",
        "modified": item.modified,
        "skus": {
            "sku": [
                {
                    "sku_id": s.sku_id,
                    "outer_id": s.outer_id,
                    "price": f"{s.price:.2f}",
                    "quantity": s.quantity,
                    "properties_name": ";".join(
                        f"{20000 + k}:{s.sku_id * 10 + k}:{name}:{value}" for k, (name, value) in enumerate(s.props)
                    ),
                    "modified": s.modified,
                }
                for s in item.skus
            ]
        },
    }
