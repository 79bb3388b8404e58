"""JOS request signing: MD5(secret + sorted `key+value` pairs + secret), uppercase hex.

Pure; `360buy_param_json` is signed as the exact JSON string that is sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping


def sign_base(params: Mapping[str, str]) -> str:
    """Every parameter except `sign`, sorted by name, as `key+value` with no separators."""
    return "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign")


def jos_sign(params: Mapping[str, str], secret: str) -> str:
    """The `sign` parameter of a JOS call."""
    key = secret.encode("utf-8")
    return hashlib.md5(key + sign_base(params).encode("utf-8") + key).hexdigest().upper()  # noqa: S324 - the platform signs with MD5
