"""Words and markers that say what a page is besides a product's: a captcha, an anti-bot or login page, a page not
found, an offer sold out or gone. Read by `crawlers.page`; the Chinese profiles share some of them."""

from __future__ import annotations

import re

REASON_CAPTCHA = "captcha"
REASON_ANTI_BOT = "anti_bot"
REASON_LOGIN_WALL = "login_wall"


def _by_first_character(pattern: str) -> str:
    """`pattern`'s alternatives, each of which begins with a plain character, grouped by that character:
    "sold out|sin stock|缺货" -> "s(?:old out|in stock)|缺货". The same matches, found faster on a long text:
    at a position the engine tries the one group of its character, not every alternative in turn."""
    groups: dict[str, list[str]] = {}
    for alternative in _top_alternatives(pattern):
        first = alternative[:1]
        if not first or first in "\\()[].^$*+?{|":
            raise ValueError(f"an alternative must begin with a plain character: {alternative!r}")
        groups.setdefault(first, []).append(alternative[1:])
    return "|".join(f"{c}(?:{'|'.join(rests)})" if len(rests) > 1 else c + rests[0] for c, rests in groups.items())


def _top_alternatives(pattern: str) -> list[str]:
    """The alternatives of `pattern` at its top level (outside groups and character classes)."""
    out: list[str] = []
    depth, start, i = 0, 0, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = pattern.index("]", i + 2)
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    out.append(pattern[start:])
    return out


_CAPTCHA = re.compile(
    r"captcha|验证码|滑块|滑动验证|nc_(?:\d+_)?wrapper|安全验证|人机验证|verify(?:ing)? (?:that )?you are (?:a )?human"
    r"|jdjrv|man-machine|完成拼图|验证一下"  # JD's risk page: a jigsaw slider ("向右滑动完成拼图")
    r"|京东验证|risk_handler"  # JD's risk page and its address (`cfe.m.jd.com/privatedomain/risk_handler/…`)
    r"|请(?:先)?完成(?:安全|人机)?验证"  # Pinduoduo's and Xiaohongshu's check ("请完成验证后继续访问")
    r"|press (?:&(?:amp;)?|and) hold to confirm"  # PerimeterX's check (a manual's "press and hold the button" is none)
    r"|gokuprops"  # AWS WAF's challenge page (`window.gokuProps`)
    r"|_____tmd_____/punish|x5secdata=",  # Alibaba's slider check (`_PUNISH`)
    re.IGNORECASE,
)
# Alibaba's anti-bot (Taobao, Tmall, 1688, AliExpress) redirects to `/_____tmd_____/punish?x5secdata=...`, a
# slider captcha, or answers the item's address with a page whose only content is a script sending the
# visitor there (`window.location.replace("…/_____tmd_____/punish?x5secdata=…")`, `{"action": "captcha"}`).
# Other checks are served the same ways: JD sends the visitor to `cfe.m.jd.com/privatedomain/risk_handler/…`,
# Amazon's robot check posts to `/errors/validateCaptcha`, DataDome's page is a script loading its captcha from
# `geo.captcha-delivery.com`, Cloudflare's challenge page sets `window._cf_chl_opt` and AWS WAF's `gokuProps`.
# Each names the check itself, never a product page that merely protects a form (`challenge.js` of AWS WAF's
# SDK and Cloudflare's Turnstile widget are loaded by live pages too, and are not named here).
_PUNISH = re.compile(r"_____tmd_____/punish|[?&]x5secdata=|/risk_handler/|/errors/validatecaptcha", re.IGNORECASE)
_CHALLENGE_SCRIPT = re.compile(
    r"_____tmd_____/punish|[?&]x5secdata=|/risk_handler/|captcha-delivery\.com|_cf_chl_opt|gokuprops", re.IGNORECASE
)
# Words one of which every `_CHALLENGE_SCRIPT` match holds, to skip the scripts of a page that has none.
_CHALLENGE_WORDS = ("_____tmd_____", "x5secdata", "risk_handler", "captcha-delivery", "_cf_chl_opt", "gokuprops")
_ANTI_BOT = re.compile(
    r"访问受限|访问被拒绝|访问过于频繁|请求过于频繁|访问人数过多|robot check|unusual traffic|are you a robot"
    r"|you(?:.re| are) not a robot|checking (?:your browser|if the site connection is secure)"
    r"|automated (?:access|queries)"
    r"|too many requests|you have been blocked|enable javascript and cookies to continue"
    r"|needs to review the security of your connection|_cf_chl_opt"  # Cloudflare's challenge and block pages
    r"|your connection needs to be verified"  # Shopify's bot check
    r"|you don.t have permission to access|requested url was rejected"  # Akamai's and F5's "Access Denied"
    r"|incapsula incident|_incapsula_resource|sucuri website firewall",
    re.IGNORECASE,
)
# The two patterns above without IGNORECASE, for text already lowered: several times faster on a big
# page. Exact as long as the text holds none of the characters that match an ASCII letter of the
# patterns only under IGNORECASE's Unicode rules (dotted/dotless i, long s, Kelvin sign).
_MARKERS_LOWER = re.compile(_by_first_character(f"{_CAPTCHA.pattern}|{_ANTI_BOT.pattern}"))
_CASE_SPECIAL = ("\u0130", "\u0131", "\u017f", "\u212a")


def has_marker(text: str, lowered: str | None = None) -> bool:
    """Whether `_CAPTCHA` or `_ANTI_BOT` finds anything in `text` (same answer, less work).

    `lowered` is `text.lower()` when the caller has it already.
    """
    if any(c in text for c in _CASE_SPECIAL):
        return bool(_CAPTCHA.search(text) or _ANTI_BOT.search(text))
    return _MARKERS_LOWER.search(text.lower() if lowered is None else lowered) is not None


# Titles of block pages: Cloudflare's ("Just a moment...", "Attention Required!"), Akamai's and PerimeterX's
# ("Access Denied", "Access to this page has been denied"), Sucuri's, a rate limit's, JD's risk page.
_BLOCKED_TITLE = re.compile(
    r"^\s*(?:access denied|just a moment|attention required|403 forbidden|access to this page has been denied"
    r"|(?:429 )?too many requests|sucuri website firewall|request rejected|robot check|京东验证|安全验证|验证码)",
    re.IGNORECASE,
)
# Widgets that sit on normal pages (a review form's reCAPTCHA) say nothing about this page being blocked.
_HARMLESS_WIDGET = re.compile(r"recaptcha|hcaptcha", re.IGNORECASE)
_LOGIN_HOST = re.compile(r"^(?:login|passport|signin|account|auth)\.", re.IGNORECASE)
_LOGIN_PATH = re.compile(r"/(?:member/)?(?:login|signin|sign-in|sign_in)(?:[./?]|$)", re.IGNORECASE)
_LOGIN_TITLE = re.compile(r"登录|登陆|log ?in|sign ?in", re.IGNORECASE)
_LOGIN_FORM_WORDS = re.compile(r"登录|登陆|log ?in|sign ?in|signin", re.IGNORECASE)
# Script state that asks the visitor to log in instead of showing the goods: Pinduoduo's goods page
# answers a visitor it does not know with `window.rawData = {"store":{"initDataObj":{"needLogin":true}}}`.
# Words that only a login page or a login wall shows as its content: a page that shows no price and says them
# asks the visitor to log in (Taobao's login page at the item's address: "密码登录", "扫码登录"; Xiaohongshu's
# and Douyin's "登录后查看更多"). A shop's header says "请登录" or "Sign in" beside every price, never these.
_LOGIN_WALL_TEXT = re.compile(
    r"密码登录|扫码登录|短信登录|验证码登录|手机号登录|账号登录|登录后(?:查看|即可|继续|才能|可见)|请先登录"
    r"|(?:sign|log) ?in to (?:continue|view|see)",
    re.IGNORECASE,
)
# The title or main heading of a "page not found" page, that a shop serves with status 200 and often fills with
# other products' prices ("404 Page Not Found", "Page not found – Shop", "Oops! That page can't be found").
# A product named "Error 404 Tee" is no such page: "404" must end the words or be followed by what a 404 says.
_NOT_FOUND_HEADING = re.compile(
    r"^\s*(?:(?:error\s*)?404(?:\s*(?:error|page|not found)|\s*[-–—|:!.·]|\s*$)|not found\s*(?:$|[-–—|:!.·])"
    r"|oops!?\s*(?:that|this) page)"
    r"|\b(?:404|page) not found\s*(?:$|[-–—|:!.·,])|page (?:can.t|cannot|could not|couldn.t) be found"
    r"|seite nicht gefunden|page introuvable|página no encontrada|pagina non trovata|pagina niet gevonden"
    r"|страница не найдена|ページが見つかりません|页面不存在|页面找不到|页面未找到",
    re.IGNORECASE,
)
_LOGIN_STATE = re.compile(r"window\.rawData\s*=\s*(?=\{)")
_LOGIN_STATE_WORD = "needLogin"
# Phrases saying this offer cannot be bought. `_NOT_AVAILABLE` says only "not available", which a shop also
# writes of a service ("Envío no disponible", "Spedizione non disponibile in Sardegna"): the words beside it
# can take it back (`_SERVICE_BEFORE`, `_SERVICE_AFTER`). `_GONE` says that the item's address leads to no
# page at all (a soft 404); a delisted or ended listing is sold out, as a profile reads it.
_NOT_AVAILABLE_WORDS = r"non disponibil[ei]|non disponible|no disponible|niedostępn[ya]|indisponível|indisponible"
_GONE_WORDS = (
    r"页面不存在|页面找不到|页面走丢|not a functioning page"
    r"|page you (?:requested|were looking for|are looking for) (?:does not|doesn.t) exist"
    r"|page (?:can.t|cannot|could not|couldn.t) be found"
)
_SOLD_OUT_WORDS = (
    r"售罄|已下架|已下柜|宝贝不存在|商品不存在|无货|缺货|已抢光|已售完|补货中|暂无库存|sold out|out of stock"
    r"|no longer available|currently unavailable|ausverkauft|nicht (?:mehr )?verfügbar|nicht auf lager"
    r"|nicht vorrätig|épuisé|rupture de stock|agotado|s(?<=\bs)in stock|sin existencias|esaurito|uitverkocht"
    r"|niet (?:meer )?(?:leverbaar|op voorraad)|esgotado|sem estoque|wyprzedan[ye]|brak (?:w magazynie|towaru)"
    r"|商品已失效|宝贝已失效|链接已失效|listing (?:was|has) ended|bidding has ended"  # delisted, an ended listing
    r"|tükendi|stokta yok|нет в наличии|нет на складе|товар закончился|stok habis|hết hàng|สินค้าหมด|หมดสต็อก"
    rf"|slutsåld|udsolgt|utsolgt|品切れ|在庫切れ|在庫なし|在庫がありません|売り切れ|販売終了|품절|{_NOT_AVAILABLE_WORDS}|{_GONE_WORDS}"
)
_NOT_AVAILABLE = re.compile(_NOT_AVAILABLE_WORDS, re.IGNORECASE)
_GONE = re.compile(_GONE_WORDS, re.IGNORECASE)
_SOLD_OUT = re.compile(_by_first_character(_SOLD_OUT_WORDS), re.IGNORECASE)
# `_SOLD_OUT` without IGNORECASE, for lowered text (the same answer, as for `_MARKERS_LOWER`).
# Every alternative begins with a character (the word boundary of "sin stock" is looked for behind its
# "s"), so a search skips the positions no alternative can begin at; with a `\b` first it tried every
# alternative at every position of the page, 4 times as long on a 60,000-character text. Grouped by that
# character (`_by_first_character`), a position tries only the phrases that begin with its character.
_SOLD_OUT_LOWER = re.compile(_by_first_character(_SOLD_OUT_WORDS))
# A service named before "not available" ("Envío a domicilio no disponible", "Livraison indisponible"), or a
# place or a condition after it ("no disponible en tienda", "non disponibile per la consegna"), unless the
# place is the stock ("non disponibile in magazzino").
_SERVICE_BEFORE = re.compile(
    r"\b(?:env[ií]o|spedizion[ei]|consegna|ritiro|pagamento|pago|reembolso|entrega|recogida|retiro|dostawa|wysyłka"
    r"|odbiór|płatność|livraison|retrait|paiement|shipping|delivery|pick-?up|option|opción|opzione|opção)\b[^.!?]{0,20}$",
    re.IGNORECASE,
)
_SERVICE_AFTER = re.compile(
    r"\s+(?:en|in|per|para|pela|pelo|na|no|w|dla|a|à|au|su|al|nel|nella|con|com|pour|for|to|z)\s+"
    r"(?!magazzino|magazynie|stock|almac[eé]n|estoque|voorraad)",
    re.IGNORECASE,
)
# Words beside a sold-out phrase that take it back: a back-order the shop still takes (Amazon's "Temporarily
# out of stock. Order now and we'll deliver when available.", WooCommerce's "Out of stock – available on
# backorder"), a store's standing notice about no item in particular ("Items sold out online may be available
# in store"), an urgency badge ("Almost sold out", "Order before it's sold out"), a listing filter ("Hide sold
# out items", "Sold out items are hidden") and a past state ("it was sold out last week").
_STILL_BUYABLE_AFTER = re.compile(
    r".{0,48}?(?:order now and we.ll deliver|place your order and we.ll|(?:available|offered) (?:on|for) back-?order"
    r"|can (?:still )?be back-?ordered|may be available in[\s-]stores?\b)"
    r"|\s*(?:items?|products?) (?:are )?(?:hidden|not shown|shown)\b",
    re.IGNORECASE | re.DOTALL,
)
_STILL_BUYABLE_BEFORE = re.compile(
    r"(?:\b(?:almost|nearly|before (?:it|they)(?:.s|.re| is| are)|soon be|may be|might be|was|were"
    r"|hide|show|include|exclude|without|sắp|gần|quase|casi|quasi|bijna|prawie|почти)|即将|快要|马上|もうすぐ)\s*$",
    re.IGNORECASE,
)


def _unavailable(text: str, sold_out: re.Pattern[str]) -> str | None:
    """The word for the first sold-out phrase in `text` that the words beside it do not take back
    (`_STILL_BUYABLE_AFTER`, `_STILL_BUYABLE_BEFORE`, and for "not available" alone a service named beside it):
    "gone" when it says the page has no item (`_GONE`), "sold_out" for any other; None when there is none."""
    for m in sold_out.finditer(text):
        start, end = m.start(), m.end()
        if _STILL_BUYABLE_AFTER.match(text, end) is not None or _STILL_BUYABLE_BEFORE.search(
            text, max(0, start - 24), start
        ):
            continue
        said = m.group(0)
        if _NOT_AVAILABLE.fullmatch(said) and (
            _SERVICE_BEFORE.search(text, max(0, start - 40), start) or _SERVICE_AFTER.match(text, end)
        ):
            continue
        return "gone" if _GONE.fullmatch(said) else "sold_out"
    return None
