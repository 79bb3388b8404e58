"""TOP request signing: sorted `key+value` pairs, MD5 with the secret at both ends or HMAC-MD5; uppercase hex.

Pure functions; the same algorithm verifies signatures in the sandbox.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Literal

SignMethod = Literal["md5", "hmac"]


def sign_base(params: Mapping[str, str]) -> str:
    """Every parameter except `sign`, sorted by name (ASCII), as `key+value` with no separators."""
    return "".join(f"{k}{params[k]}" for k in sorted(params) if k != "sign")


def top_sign(params: Mapping[str, str], secret: str, method: SignMethod = "md5") -> str:
    """The `sign` parameter of a TOP call: `md5` is MD5(secret + base + secret), `hmac` HMAC-MD5(secret, base)."""
    base = sign_base(params).encode("utf-8")
    key = secret.encode("utf-8")
    if method == "hmac":
        return hmac.new(key, base, hashlib.md5).hexdigest().upper()
    return hashlib.md5(key + base + key).hexdigest().upper()  # noqa: S324 - the platform signs with MD5
