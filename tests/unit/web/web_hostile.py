"""Hostile dashboard data for the security tests: every scraped field carries markup that breaks out
of text, attribute and URL contexts, and the captured pages try to run script and load remote things."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from oneprice.domain.alert import Severity, Violation
from oneprice.domain.money import Money
from oneprice.domain.observation import Observation, ObservationStatus, seller_key
from oneprice.storage import AlertRepository, Database, ObservationRepository
from oneprice.storage.reviews import ReviewRepository

# Every payload calls alert(): a browser test fails on any dialog.
SELLER = "\"'><svg onload=alert('seller')>星辰数码专营店"
TITLE = "</title></textarea>\"'><img src=x onerror=alert('title')> OnePhone 12"
REASON = "<img src=x onerror=alert('reason')>"
RAW_PRICE = '=HYPERLINK("http://127.0.0.1:9/x","price")'
JS_URL = "javascript:alert('url')"
WEB_URL = "https://shop.example.test/item/1?a=1&b=2"
MESSAGE = SELLER + " " + TITLE + " =cmd|' /C calc'!A0"
# A Chinese listing page as a Chinese marketplace serves it: GBK bytes, the charset in the header only.
GBK_TEXT = "山屿 岚峰 冲锋衣 ￥1099"
GBK_PAGE = f"<html><head><title>t</title></head><body><h1>{GBK_TEXT}</h1></body></html>".encode("gbk")


def evidence_page(track: str) -> bytes:
    """A captured page that tries everything: script, handlers, a refresh, remote loads of every kind, a form."""
    return f"""<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="refresh" content="0;url={track}/refresh">
<base href="{track}/base/">
<link rel="stylesheet" href="{track}/css"><link rel="prefetch" href="{track}/prefetch">
<style>@import url({track}/import); body {{ background: url({track}/bg) }}</style>
<script src="{track}/script.js"></script>
<script>alert('evidence');parent.document.body.innerHTML='pwned'</script></head>
<body onload="alert('onload')"><h1 id="captured">captured page</h1>
<img src="{track}/img"><img src="relative.png"><iframe src="{track}/iframe"></iframe>
<object data="{track}/object"></object><embed src="{track}/embed"><video poster="{track}/poster"></video>
<audio src="{track}/audio" autoplay></audio><svg><image href="{track}/svg-image"/></svg>
<form id="steal" action="{track}/form" method="post"><input name="a" value="1"><button id="go">go</button></form>
<img src=x onerror="alert('img')"></body></html>""".encode()


@dataclass
class Hostile:
    alert_id: int
    link_alert_id: int
    observation_id: int
    gbk_observation_id: int
    seller_key: str


def add_hostile(db: Database, now: datetime, track: str = "http://127.0.0.1:9") -> Hostile:
    """An unknown seller with hostile name, title, URL, raw price, message; a review item; a GBK page."""
    observations, alerts = ObservationRepository(db), AlertRepository(db)
    key = seller_key(None, SELLER)
    obs = Observation(
        target_id="hostile-1", url=JS_URL, platform="taobao", observed_at=now, status=ObservationStatus.OK,
        price=Money.of(Decimal("10"), "CNY"), raw_price=RAW_PRICE, method="json-ld", confidence=Decimal("0.9"),
        seller_name=SELLER, reseller_id=None, product_sku="SY-BT11-42", title=TITLE,
    )  # fmt: skip
    oid = observations.add(obs, evidence=evidence_page(track))
    gbk = Observation(
        target_id="hostile-gbk", url=WEB_URL, platform="tmall", observed_at=now, status=ObservationStatus.OK,
        price=Money.of(Decimal("1099"), "CNY"), raw_price="￥1099", method="json-ld", confidence=Decimal("0.9"),
        seller_name=SELLER, reseller_id=None, product_sku="SY-JK01-BLK-M", title=TITLE,
    )  # fmt: skip
    gid = observations.add(gbk, evidence=GBK_PAGE, content_type="text/html; charset=GBK")

    def violation(sku: str, url: str, observation_id: int, platform: str) -> Violation:
        return Violation(
            rule="undercut", product_sku=sku, seller_key=key, seller_name=SELLER, reseller_id=None,
            platform=platform, unified_price=Money.of("899", "CNY"), observed_price=Money.of("10", "CNY"),
            gap_percent=Decimal("98.89"), severity=Severity.CRITICAL, message=MESSAGE, url=url,
            observation_id=observation_id, observed_at=now,
        )  # fmt: skip

    opened = alerts.apply(
        [violation("SY-BT11-42", JS_URL, oid, "taobao"), violation("SY-JK01-BLK-M", WEB_URL, gid, "tmall")], [], now
    ).opened
    by_sku = {a.product_sku: a.id for a in opened}
    review = Observation(
        target_id="hostile-review", url=JS_URL, platform="jd", observed_at=now, status=ObservationStatus.REVIEW,
        price=Money.of("5", "CNY"), raw_price=RAW_PRICE, seller_name=SELLER, title=TITLE,
        confidence=Decimal("0.3"), reason=REASON,
    )  # fmt: skip
    ReviewRepository(db).enqueue(review, observations.add(review, evidence=evidence_page(track)))
    return Hostile(by_sku["SY-BT11-42"], by_sku["SY-JK01-BLK-M"], oid, gid, key)
